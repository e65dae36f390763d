"""What both search engines share, so that they answer alike: bounds, field weights, filter
validation, facet keys and labels, suggestion texts, keys and typed prefixes, snippets, and the
messages a search gives.

The embedded engine (``embedded``) and the Elasticsearch engine (``elasticsearch``) both
import from here; neither imports the other.
"""

import functools
import hashlib
import html
import re

from django.utils.translation import gettext_lazy

from .. import analysis
from ..analysis import normalize
from ..analysis.pinyin import normalize_typed
from ..types import FACETS, GUIDE, ITEM, NOTICE

# Field weights: the embedded engine's BM25 (its ``keys`` column: 0), Elasticsearch's BM25F.
WEIGHTS = {"name": 10.0, "middle": 3.0, "body": 1.0}
MAX_LIMIT = 50  # hits per page
MAX_OFFSET = 1000  # deepest first hit of a page
COUNT_CAP = 10_000  # matches counted at most
SUGGEST_CANDIDATES = 200  # names a suggestion request looks at
MAX_SUGGEST_CHARS = 30  # characters of typed text a suggestion request uses
SNIPPET_CHARS = 90
SNIPPET_SCAN = 4000  # characters of a field looked at for a traditional/full-width snippet

COUNTY_KEY = "county"  # township facet value of county-level documents (catalog items)
KIND_LABELS = {GUIDE: "办事指南", ITEM: "服务事项", NOTICE: "通知公告"}
ONLINE_LABELS = {"1": "可网办", "0": "不可网办"}
COUNTY_LABEL = "区级事项"

# Words of names, alternatives and typed prefixes: where FTS5's ``ascii`` tokenizer splits.
WORD = re.compile(r"[^\W_]+")

MSG_ANY_WORD = gettext_lazy("没有同时包含全部搜索词的结果，下面列出包含部分搜索词的结果。")
MSG_COUNT_CAPPED = gettext_lazy("找到超过%(n)s条结果，只统计了前%(n)s条；请增加搜索词缩小范围。")
MSG_NO_INDEX = gettext_lazy("搜索索引尚未建立，请管理员运行 search_reindex。")
MSG_DEEP_PAGE = gettext_lazy("只能查看前%(n)s条结果，请缩小搜索范围。")
MSG_BAD_FILTER = gettext_lazy("无法识别的筛选条件已被忽略：%(names)s。")


# --- filters and facets -----------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def key_hash(text):
    """A short stable hash (department names as filter keys)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def filter_key(facet, value):
    """The key of one facet value (the embedded engine's ``keys`` token), or None when the
    value cannot be one of that facet."""
    value = "" if value is None else str(value).strip()
    if facet == "kind":
        return f"k{value}" if value in KIND_LABELS else None
    if facet == "township":
        if value in ("", COUNTY_KEY):
            return COUNTY_KEY
        return f"t{value}" if value.isdigit() and len(value) <= 12 else None
    if facet == "department":
        return f"d{key_hash(value)}" if value else None
    if facet == "item_type":
        return f"y{value}" if value.isdigit() and len(value) <= 2 else None
    if facet == "handling_class":
        return f"h{value}" if value.isalnum() and value.isascii() and len(value) <= 20 else None
    if facet == "online":
        lowered = value.lower()
        if lowered in ("1", "true", "yes", "on"):
            return "o1"
        if lowered in ("0", "false", "no", "off"):
            return "o0"
        return None
    return None


def valid_filters(filters, messages):
    """[(facet, value, key)] of the usable ``filters`` (facet name -> value; empty values are
    no filter). An unknown facet or a value it cannot take is ignored, and said in
    ``messages`` (``MSG_BAD_FILTER``)."""
    valid, unknown = [], []
    for facet, value in (filters or {}).items():
        if value in (None, ""):
            continue
        key = filter_key(facet, value) if facet in FACETS else None
        if key is None:
            unknown.append(str(facet)[:20])
            continue
        valid.append((facet, value, key))
    if unknown:
        messages.append(MSG_BAD_FILTER % {"names": "、".join(unknown)})
    return valid


def local_township(township):
    """The township code when ``township`` is one (its documents come first), else ''."""
    key = filter_key("township", township) if township else None
    return str(township).strip() if key and key != COUNTY_KEY else ""


def facet_label(facet, value, township_names):
    """The label shown for a facet value; ``township_names``: code -> name."""
    if facet == "township":
        return COUNTY_LABEL if value == COUNTY_KEY else (township_names.get(value) or value)
    if facet == "item_type":
        from guides.models.choices import ItemType

        return str(ItemType(value).label) if value in ItemType.values else value
    if facet == "handling_class":
        from guides.models.choices import HandlingClass

        return str(HandlingClass(value).label) if value in HandlingClass.values else value
    if facet == "online":
        return ONLINE_LABELS.get(value, value)
    if facet == "kind":
        return KIND_LABELS.get(value, value)
    return value


# --- suggestions --------------------------------------------------------------------------------


def suggestion_text(doc):
    """The name a document offers as a suggestion: guides and items only, else ''."""
    if doc.kind in (GUIDE, ITEM):
        return (doc.item_name or doc.title).strip()
    return ""


def suggestion_keys(text, pipeline=analysis):
    """Prefix keys of a suggestion text: the compact name, its words, and its name tokens
    (with full pinyin and initials), each once. ``pipeline``: ``search.analysis``, or what
    an engine uses in its place (the Elasticsearch tests' stand-in)."""
    norm = pipeline.normalize(text)
    compact = "".join(WORD.findall(norm))
    keys = [compact, *WORD.findall(norm), *pipeline.name_tokens(text)]
    return list(dict.fromkeys(k for k in keys if k))


def typed_prefix(prefix, pipeline=analysis):
    """(words, compact, alternatives) of what was typed for suggestions: its words after
    normalisation (at most ``MAX_SUGGEST_CHARS`` characters), them run together, and the
    prefixes to look up — the compact text and, for ASCII, its pinyin spelling if that
    differs. No words: ([], "", [])."""
    raw = str(prefix or "")[: MAX_SUGGEST_CHARS * 4]
    text = pipeline.normalize(raw)[:MAX_SUGGEST_CHARS]
    words = WORD.findall(text)
    if not words:
        return [], "", []
    compact = "".join(words)
    alternatives = [compact]
    typed = normalize_typed(compact) if compact.isascii() else ""
    if typed and typed != compact:
        alternatives.append(typed)
    return words, compact, alternatives


# --- snippets ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _normal_char(ch):
    n = normalize(ch)
    return n if n else (" " if ch.isspace() else "")


def _aligned_normal(text):
    """Normalised text with, for each of its characters, the index of the source character.

    Fast path: lower-casing keeps the length (simplified text, ASCII), which is what the terms
    are searched in first; the character-by-character path covers traditional and full-width
    text, within the first ``SNIPPET_SCAN`` characters.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered, range(len(text))
    return _aligned_slow(text)


def _aligned_slow(text):
    chars, index = [], []
    for i, ch in enumerate(text[:SNIPPET_SCAN]):
        for c in _normal_char(ch):
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def _first_term(norm, terms):
    first = None
    for term in terms:
        pos = norm.find(term)
        if pos != -1 and (first is None or pos < first):
            first = pos
    return first


def make_snippet(texts, terms, width=SNIPPET_CHARS):
    """An HTML-escaped excerpt of the first of ``texts`` containing one of ``terms`` around the
    first such term, every term in the excerpt wrapped in ``<mark>``; the start of the first
    non-empty text when none contains a term."""
    terms = sorted(dict.fromkeys(t for t in terms if t), key=len, reverse=True)
    fallback = next((t for t in texts if t), "")
    for slow in (False, True):  # simplified text first; traditional/full-width only if needed
        for text in texts:
            if not text:
                continue
            norm, index = _aligned_slow(text) if slow else _aligned_normal(text)
            first = _first_term(norm, terms)
            if first is None:
                continue
            start_n = max(0, first - width // 3)
            end_n = min(len(norm), start_n + width)
            start = index[start_n] if start_n < len(index) else 0
            end = index[end_n - 1] + 1 if end_n > 0 else 0
            return _highlight(text, norm[start_n:end_n], index[start_n:end_n], terms, start, end)
    if not fallback:
        return ""
    cut = fallback[:width]
    return html.escape(cut) + ("…" if len(fallback) > width else "")


def _highlight(text, window, index, terms, start, end):
    """``text[start:end]`` HTML-escaped with ``<mark>`` around each term found in ``window``
    (its normalised form; ``index`` maps window positions to ``text`` positions)."""
    marks = []
    taken = [False] * len(window)
    for term in terms:
        pos = window.find(term)
        while pos != -1:
            stop = pos + len(term)
            if not any(taken[pos:stop]):
                taken[pos:stop] = [True] * len(term)
                marks.append((index[pos], index[stop - 1] + 1))
            pos = window.find(term, stop)
    marks.sort()
    out = ["…"] if start > 0 else []
    cursor = start
    for s, e in marks:
        if s < cursor:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
