"""The analysis pipeline: the same tokens for every engine, from documents and from queries.

Documents: ``index_tokens(text)`` — normalised, segmented words plus every dictionary word
inside them; ``name_tokens(text)`` adds full pinyin and initials of the name and its words.

Queries: ``analyze_query(text)`` — normalised, cut to ``MAX_QUERY_CHARS``, question words
stripped, segmented into words; each word becomes a group of alternatives (the word, its
synonyms' canonical names, the hanzi words typed pinyin stands for, the domain words a
homophone typo stands for). Engines match a document when it has, for every group, at least
one alternative (falling back to any group when none has all — see ``docs/search.md``).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from .correction import correct_words
from .normalize import normalize, strip_controls
from .pinyin import is_ascii_word, normalize_typed, split_pinyin
from .question import strip_question_words
from .segment import PRIORITY_NAME, STOPWORDS, get_dictionary

MAX_QUERY_CHARS = 100
MAX_GROUPS = 12
MAX_ALTERNATIVES = 20
MAX_PINYIN_ALTERNATIVES = 8
MAX_INITIALS_ALTERNATIVES = 5
SPLIT_MIN_CHARS = 5  # catalog-name words this long also match their parts
_RAW_LIMIT = MAX_QUERY_CHARS * 4  # raw characters looked at before normalising

_OPERATORS = re.compile(r"(?<![A-Za-z])(AND|OR|NOT|NEAR)(?![A-Za-z])")
_SYMBOLS = re.compile(r"[\"'*:()\[\]{}^~+|\\;=<>`$#@%&]")
_HAS_WORD = re.compile(r"[^\W_]")
_ASCII_QUERY = re.compile(r"^[a-z' ]+$")

MSG_EMPTY = gettext_lazy("请输入要查找的事项名称或问题。")
MSG_TOO_LONG = gettext_lazy("搜索词过长，只使用了前%(n)s个字。")
MSG_CONTROLS = gettext_lazy("搜索词中的控制字符已被忽略。")
MSG_SYMBOLS = gettext_lazy("搜索词中的引号、星号、冒号、括号等符号没有特殊含义，已按普通文字处理。")
MSG_OPERATORS = gettext_lazy("不支持 AND、OR、NOT、NEAR 等运算符，已忽略：%(words)s。")
MSG_TOO_MANY_WORDS = gettext_lazy("搜索词过多，只使用了前%(n)s个词。")
MSG_NO_WORDS = gettext_lazy("搜索词中没有可以查找的文字。")


@dataclass
class AnalyzedQuery:
    original: str
    normalized: str = ""  # after question words were stripped
    groups: list[list[str]] = field(default_factory=list)
    corrected: str = ""  # the query as the corrections read it ("did you mean"), or ""
    stripped: list[str] = field(default_factory=list)  # question words removed
    messages: list[str] = field(default_factory=list)  # what could not be done, in Chinese
    words: list[str] = field(default_factory=list)  # the typed word behind each group
    # per group: names something in the catalog's vocabulary (see _is_core); engines drop the
    # other groups first when all groups together match nothing
    core: list[bool] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def terms(self) -> list[str]:
        """Every alternative, longest first (for highlighting)."""
        seen = dict.fromkeys(t for group in self.groups for t in group)
        return sorted(seen, key=len, reverse=True)


def index_tokens(text) -> list[str]:
    """Tokens of a document field: precise words plus every dictionary word in the text."""
    if not text:
        return []
    return list(get_dictionary().index_tokens(str(text)))


def index_text(text) -> str:
    """``index_tokens`` joined by spaces (as the embedded engine stores them)."""
    if not text:
        return ""
    return get_dictionary().index_text(str(text))


def name_tokens(text) -> list[str]:
    """``index_tokens`` plus full pinyin and initials of the name, its parts and its words."""
    if not text:
        return []
    return list(get_dictionary().name_tokens(str(text)))


def _with_synonyms(dictionary, words):
    """Each word followed by the canonicals of its synonyms (or, for a longer word, of the
    synonym terms inside it: 五保户 → 五保 → 特困人员救助供养)."""
    out = []
    for word in words:
        out.append(word)
        expansions = dictionary.synonyms.get(word) or dictionary.inner_synonyms(word)
        out += expansions
    return out


def _pinyin_words(dictionary, key):
    """Domain words typed pinyin ``key`` stands for, best first: full pinyin, else initials
    (only the best class of words: synonym terms before name words), else a prefix of either."""
    words = dictionary.full_pinyin_map.get(key)
    if words:
        return words[:MAX_PINYIN_ALTERNATIVES]
    if len(key) >= 2:
        words = dictionary.initials_map.get(key)
        if words:
            best = min(dictionary.priority(w) for w in words)
            return [w for w in words if dictionary.priority(w) == best][:MAX_INITIALS_ALTERNATIVES]
    return dictionary.pinyin_prefix_words(key, MAX_INITIALS_ALTERNATIVES)


def _resolve_pinyin(dictionary, typed):
    """Groups for one typed ASCII word: [[typed, hanzi words…]] or several groups when it
    splits into several words' pinyin; and the hanzi text it most likely stands for."""
    key = normalize_typed(typed)
    if not key:
        return [[typed]], ""
    words = _pinyin_words(dictionary, key)
    if words:
        return [[typed, *_with_synonyms(dictionary, words)]], words[0]
    pieces = split_pinyin(key, dictionary.full_pinyin_map)
    if pieces and len(pieces) > 1:
        groups, text = [], ""
        for piece in pieces:
            words = dictionary.full_pinyin_map[piece][:MAX_PINYIN_ALTERNATIVES]
            groups.append([piece, *_with_synonyms(dictionary, words)])
            text += words[0]
        return groups, text
    return [[typed]], ""


def _split_name(dictionary, word):
    """Groups for a long word known only as (part of) a catalog name: the word itself, or
    every word it is made of — a text may hold the parts apart (农民专业合作社设立 matches
    "农民专业合作社（联合社）设立登记"). One group [word, part] per part."""
    parts = [p for p in dictionary.split_word(word) if len(p) > 1 and p not in STOPWORDS]
    if len(parts) < 2:
        return [(_with_synonyms(dictionary, [word]), word, False)]
    return [([word, *_with_synonyms(dictionary, [part])], word, True) for part in parts]


def _dedupe(items):
    return list(dict.fromkeys(items))


def _is_core(dictionary, group, resolved):
    """Whether a group names something in the catalog's vocabulary: a domain word, a
    synonym's expansion, a pinyin resolution or a correction. Engines relax a query that
    matches nothing by dropping the other groups first."""
    return resolved or len(group) > 1 or dictionary.is_domain_word(group[0])


def analyze_query(text) -> AnalyzedQuery:
    """Analyse what a citizen typed. Never raises; what it could not do is in ``messages``."""
    raw = "" if text is None else str(text)
    result = AnalyzedQuery(original=raw)
    messages = result.messages
    truncated = len(raw) > _RAW_LIMIT
    raw = raw[:_RAW_LIMIT]
    cleaned, dropped_controls = strip_controls(raw)
    normalized = normalize(cleaned)
    if len(normalized) > MAX_QUERY_CHARS:
        normalized = normalized[:MAX_QUERY_CHARS].strip()
        truncated = True
    if truncated:
        messages.append(MSG_TOO_LONG % {"n": MAX_QUERY_CHARS})
    if dropped_controls:
        messages.append(MSG_CONTROLS)
    if not normalized:
        result.messages.append(MSG_EMPTY)
        return result
    if _SYMBOLS.search(normalized):
        messages.append(MSG_SYMBOLS)
    if not _HAS_WORD.search(normalized):
        messages.append(MSG_NO_WORDS)
        result.normalized = normalized
        return result

    operators = {m.lower() for m in _OPERATORS.findall(raw)}
    normalized, stripped = strip_question_words(normalized)
    result.normalized = normalized
    result.stripped = stripped

    dictionary = get_dictionary()
    entries = []  # (group, typed word, resolved by pinyin/correction)
    corrected_text, corrected = normalized, False

    compact = normalized.replace(" ", "")
    if _ASCII_QUERY.match(normalized) and " " in normalized and compact not in operators:
        # "di bao", "shen fen zheng": pinyin typed with spaces stands for one word
        joined_groups, hanzi = _resolve_pinyin(dictionary, compact)
        if hanzi:
            entries = [(group, group[0], True) for group in joined_groups]
            corrected_text, corrected = hanzi, True

    if not entries:
        typed = [w for w in dictionary.query_words(normalized) if w not in STOPWORDS]
        dropped_ops = [w for w in typed if w in operators]
        if dropped_ops and len(dropped_ops) < len(typed):
            typed = [w for w in typed if w not in operators]
            names = "、".join(_dedupe(w.upper() for w in dropped_ops))
            messages.append(MSG_OPERATORS % {"words": names})
        words = correct_words(typed, dictionary)
        # Single characters say little when real words are there (补 in 补身份证); synonym
        # terms and numbers stay.
        if any(len(word) > 1 or candidates for word, candidates in words):
            words = [
                (word, candidates)
                for word, candidates in words
                if candidates
                or len(word) > 1
                or word.isdigit()
                or (not word.isascii() and word in dictionary.synonyms)
            ]
        for word, candidates in words:
            if candidates:
                entries.append(([word, *_with_synonyms(dictionary, candidates)], word, True))
                corrected_text = corrected_text.replace(word, candidates[0], 1)
                corrected = True
            elif is_ascii_word(word):
                word_groups, hanzi = _resolve_pinyin(dictionary, word)
                entries += [(group, word, bool(hanzi)) for group in word_groups]
                if hanzi:
                    corrected_text = corrected_text.replace(word, hanzi, 1)
                    corrected = True
            elif dictionary.priority(word) == PRIORITY_NAME and len(word) >= SPLIT_MIN_CHARS:
                entries += _split_name(dictionary, word)
            else:
                entries.append((_with_synonyms(dictionary, [word]), word, False))

    # one group per distinct set of alternatives, within the caps
    seen = set()
    for group, word, resolved in entries:
        group = _dedupe(t for t in group if t)[:MAX_ALTERNATIVES]
        key = frozenset(group)
        if not group or key in seen:
            continue
        seen.add(key)
        result.groups.append(group)
        result.words.append(word)
        result.core.append(_is_core(dictionary, group, resolved))
    if len(result.groups) > MAX_GROUPS:
        messages.append(MSG_TOO_MANY_WORDS % {"n": MAX_GROUPS})
        del result.groups[MAX_GROUPS:], result.words[MAX_GROUPS:], result.core[MAX_GROUPS:]
    if corrected and corrected_text != normalized:
        result.corrected = corrected_text
    if not result.groups:
        messages.append(MSG_NO_WORDS)
    return result
