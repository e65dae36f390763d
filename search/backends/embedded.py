"""The embedded search engine: SQLite FTS5 (ships with Python) in files under the data directory.

Layout of ``SEARCH_INDEX_DIR`` (default ``DATA_DIR/search``):

- ``index-<generation>.sqlite3`` — one complete index; ``CURRENT`` names the one in use.
  ``rebuild`` writes a new generation and then replaces ``CURRENT`` atomically (``os.replace``),
  so readers switch from a complete index to a complete index, never to an empty one. Readers
  check ``CURRENT`` (one ``stat``) before each query and reopen when it changed. The previous
  generation is kept until the next rebuild (in-flight readers may still hold it).
- ``write.lock`` — one writer at a time (``index``/``delete``/the swap), an advisory file lock;
  SQLite's own locking with a busy timeout behind it.
- ``rebuild.lock`` — held for the whole of a rebuild. While a rebuild runs, ``index`` and
  ``delete`` write to both the current and the new generation and record the ids they touched
  in the new one (``overrides``), so the rebuild does not overwrite them with older copies.

Each generation holds:

- ``docs`` — the short document fields (results, facets), ``rowid`` = FTS rowid; ``texts`` —
  name, middle and body (snippets of a page's hits);
- ``fts`` — FTS5 over the pre-analysed tokens (``search.analysis``), space-joined, in columns
  ``name`` / ``middle`` / ``body`` / ``keys``; tokenizer ``ascii`` (every non-ASCII character is
  part of a token, so Chinese tokens come back whole; ASCII is lower-cased and split at
  punctuation, and our tokens have none); ``detail=full`` (FTS5's bm25 is ten times slower per
  row with ``detail=column``). ``keys`` carries the filter keys (kind, township, department,
  type, handling class, online) and two ranking keys (``pop``, ``sec``), so filters and
  locality are intersected inside FTS5;
- ``fts_name`` — the name tokens and keys alone: short document lists, cheap to rank;
- ``suggestions`` + ``suggest_fts`` — one row per distinct guide/item name with its prefix keys
  (the name, its words, full pinyin and initials of both) for suggestions as you type.

Queries are built here from ``AnalyzedQuery.groups``; every token is double-quoted, so nothing a
user types can reach FTS5's query syntax. Ranking and bounds: see docs/search.md.
"""

import contextlib
import functools
import hashlib
import html
import logging
import os
import re
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy

from ..analysis import analyze_query, index_tokens, name_tokens, normalize
from ..analysis.pinyin import normalize_typed
from ..analysis.segment import refresh_dictionary
from ..types import (
    FACETS,
    GUIDE,
    ITEM,
    NOTICE,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from .base import SearchBackend

try:
    import fcntl
except ImportError:  # not on POSIX: SQLite's locking alone
    fcntl = None

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
CURRENT_FILE = "CURRENT"
WEIGHTS = {"name": 10.0, "middle": 3.0, "body": 1.0}  # BM25 field weights; keys: 0
MAX_LIMIT = 50
MAX_OFFSET = 1000
FACET_SAMPLE = 1000  # matches whose facet values are counted (see docs/search.md)
RANK_CAP = 1000  # matches ranked by BM25 within one piece of the match set
COUNT_CAP = 10_000  # matches counted at most
IDF_BUDGET = 60_000  # document-list entries bm25 may walk for its IDF (see _bm25_affordable)
DF_CAP = IDF_BUDGET + 1
DF_CACHE_SECONDS = 300
BM25_MAX_PHRASES = 60
SNIPPET_CHARS = 90
SNIPPET_SCAN = 4000  # characters of a field looked at for a traditional/full-width snippet
SUGGEST_CANDIDATES = 200
MAX_SUGGEST_CHARS = 30
BATCH = 1000
BUSY_TIMEOUT_MS = 10_000
MMAP_BYTES = 1 << 30  # readers map the index (shared with the OS page cache)
CACHE_KIB = 32 * 1024  # page cache per reader connection
COUNTY_KEY = "county"  # township facet value of county-level documents (catalog items)
POPULAR_KEY = "pop"  # on catalog items some township publishes a guide for
SECONDARY_KEY = "sec"  # on documents whose item is a change, renewal, cancellation, enquiry …
# Words that make an item "secondary": most people come for the first application.
SECONDARY_WORDS = (
    "注销",
    "变更",
    "补办",
    "补发",
    "补领",
    "补换",
    "换发",
    "换领",
    "换证",
    "歇业",
    "复业",
    "延续",
    "续期",
    "延期",
    "迁出",
    "转出",
    "转入",
    "撤销",
    "挂失",
    "停业",
    "恢复",
    "暂停",
    "终止",
    "退出",
    "遗失",
    "更正",
    "吊销",
    "查询",
    "咨询",
)
# A query asking for such a thing keeps those items in their BM25 place.
SECONDARY_QUERY_WORDS = (
    *SECONDARY_WORDS,
    "销",
    "补",
    "换",
    "迁",
    "转",
    "撤",
    "丢",
    "停",
    "延",
    "续",
    "改",
    "死亡",
    "去世",
    "过世",
    "查",
    "问",
)

MSG_DROPPED = gettext_lazy("没有同时包含全部搜索词的结果，已忽略：%(words)s。")
MSG_ANY_WORD = gettext_lazy("没有同时包含全部搜索词的结果，下面列出包含部分搜索词的结果。")
MSG_FACETS_SAMPLED = gettext_lazy("结果较多，分类统计只计算了前%(n)s条结果。")
MSG_COUNT_CAPPED = gettext_lazy("找到超过%(n)s条结果，只统计了前%(n)s条；请增加搜索词缩小范围。")
MSG_NO_INDEX = gettext_lazy("搜索索引尚未建立，请管理员运行 search_reindex。")
MSG_DEEP_PAGE = gettext_lazy("只能查看前%(n)s条结果，请缩小搜索范围。")
MSG_BAD_FILTER = gettext_lazy("无法识别的筛选条件已被忽略：%(names)s。")

KIND_LABELS = {GUIDE: "办事指南", ITEM: "服务事项", NOTICE: "通知公告"}
ONLINE_LABELS = {"1": "可网办", "0": "不可网办"}
COUNTY_LABEL = "区级事项"

# ``docs`` holds the short fields (facets read thousands of its rows); the long texts are in
# ``texts``, read only for the hits of a page.
_DOC_COLUMNS = (
    "doc_id",
    "kind",
    "township_code",
    "township_name",
    "department",
    "item_type",
    "handling_class",
    "online",
    "date",
    "item_id",
    "item_name",
    "item_code",
    "title",
    "url",
)
_TEXT_COLUMNS = ("name", "middle", "body")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    township_code TEXT NOT NULL,
    township_name TEXT NOT NULL,
    department TEXT NOT NULL,
    item_type TEXT NOT NULL,
    handling_class TEXT NOT NULL,
    online INTEGER NOT NULL,
    date TEXT NOT NULL,
    item_id INTEGER,
    item_name TEXT NOT NULL,
    item_code TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    suggestion_text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (
    rowid INTEGER PRIMARY KEY, name TEXT NOT NULL, middle TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_suggestion ON docs (suggestion_text, township_code);
CREATE INDEX IF NOT EXISTS docs_item ON docs (item_id, kind);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    name, middle, body, keys, tokenize='ascii', detail=full
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_name USING fts5(
    name, keys, tokenize='ascii', detail=full
);
CREATE TABLE IF NOT EXISTS suggestions (
    rowid INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE, norm TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS suggest_fts USING fts5(keys, tokenize='ascii', detail=none);
CREATE TABLE IF NOT EXISTS overrides (doc_id TEXT PRIMARY KEY);
"""

_WORD = re.compile(r"[^\W_]+")


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def _alternative_expr(alternative):
    """One alternative as FTS5 syntax: a quoted token, or its parts ANDed (an alternative with
    punctuation inside, e.g. a canonical name with brackets)."""
    parts = _WORD.findall(alternative.lower())
    if not parts:
        return None
    if len(parts) == 1:
        return _quote(parts[0])
    return "(" + " AND ".join(_quote(p) for p in parts[:8]) + ")"


def match_expression(
    groups, operator="AND", columns="name middle body", max_groups=12, max_alternatives=20
):
    """The FTS5 MATCH text for analysed query groups over text ``columns`` (never ``keys``).

    Each group is an OR of quoted alternatives; groups are joined by ``operator``. Returns ""
    when no group has a usable token.
    """
    parts = []
    for group in groups[:max_groups]:
        alternatives = [a for a in (_alternative_expr(t) for t in group[:max_alternatives]) if a]
        alternatives = list(dict.fromkeys(alternatives))
        if alternatives:
            parts.append("(" + " OR ".join(alternatives) + ")")
    if not parts:
        return ""
    return "{" + columns + "} : (" + f" {operator} ".join(parts) + ")"


def _hash(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def filter_key(facet, value):
    """The ``keys`` token for one facet value, or None when the value cannot be one."""
    value = "" if value is None else str(value).strip()
    if facet == "kind":
        return f"k{value}" if value in KIND_LABELS else None
    if facet == "township":
        if value in ("", COUNTY_KEY):
            return COUNTY_KEY
        return f"t{value}" if value.isdigit() and len(value) <= 12 else None
    if facet == "department":
        return f"d{_hash(value)}" if value else None
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


def document_keys(doc: SearchDocument):
    keys = [f"k{doc.kind}", f"t{doc.township_code}" if doc.township_code else COUNTY_KEY]
    if doc.department:
        keys.append(f"d{_hash(doc.department)}")
    if doc.item_type:
        keys.append(f"y{doc.item_type}")
    if doc.handling_class:
        keys.append(f"h{doc.handling_class}")
    keys.append("o1" if doc.online else "o0")
    name = doc.item_name or doc.title or ""
    if any(word in name for word in SECONDARY_WORDS):
        keys.append(SECONDARY_KEY)
    return " ".join(keys)


def _suggestion_text(doc):
    """The name offered as a suggestion: guides and items only."""
    if doc.kind in (GUIDE, ITEM):
        return (doc.item_name or doc.title).strip()
    return ""


def _suggestion_keys(text):
    norm = normalize(text)
    compact = "".join(_WORD.findall(norm))
    keys = [compact, *_WORD.findall(norm), *name_tokens(text)]
    return " ".join(dict.fromkeys(k for k in keys if k))


# --- snippets ----------------------------------------------------------------------------------


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


# --- the engine -----------------------------------------------------------------------------


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, directory=None):
        self._directory = Path(directory) if directory else None
        self._local = threading.local()
        self._opened = []  # every reader connection, to close them all
        self._opened_lock = threading.Lock()
        self._df_cache = {}

    # --- files and connections ----------------------------------------------------------

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = Path(
                getattr(settings, "SEARCH_INDEX_DIR", None) or settings.DATA_DIR / "search"
            )
        return self._directory

    def _current_path(self):
        """(path of the generation in use or None, the pointer's identity for change checks)."""
        pointer = self.directory / CURRENT_FILE
        try:
            stat = pointer.stat()
            name = pointer.read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None, None
        if not name or "/" in name or "\\" in name:
            return None, None
        return self.directory / name, (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _connect(self, path, readonly=False):
        if readonly:
            uri = f"file:{path}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10)
        else:
            conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return conn

    def _reader(self):
        """This thread's connection to the generation in use (reopened after a rebuild)."""
        local = self._local
        pointer = self.directory / CURRENT_FILE
        try:
            stat = pointer.stat()
            identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            identity = None
        if getattr(local, "identity", None) == identity and getattr(local, "conn", None):
            return local.conn
        self._close_local()
        path, identity = self._current_path()
        if path is None or not path.exists():
            return None
        conn = self._connect(path, readonly=True)
        if not self._current_schema(conn):
            conn.close()
            return None
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        local.conn, local.identity = conn, identity
        with self._opened_lock:
            self._opened.append(conn)
        return conn

    @staticmethod
    def _current_schema(conn):
        """Whether the index was built by this version's schema (else: rebuild it)."""
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error:
            return False
        return bool(row) and row[0] == SCHEMA_VERSION

    def _close_local(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            with self._opened_lock:
                if conn in self._opened:
                    self._opened.remove(conn)
            conn.close()
        self._local.conn = None
        self._local.identity = None

    def close(self):
        """Close every reader connection this engine opened (tests, shutdown)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    @contextlib.contextmanager
    def _file_lock(self, name, blocking=True):
        """An exclusive advisory lock on ``directory/name``; yields False if not blocking and
        the lock is held elsewhere."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / name, "a+b") as handle:
            if fcntl is None:
                yield True
                return
            flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
            try:
                fcntl.flock(handle.fileno(), flags)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _new_generation_path(self):
        return self.directory / f"index-{time.time_ns()}-{os.getpid()}.sqlite3"

    def _create(self, path):
        conn = self._connect(path)
        conn.executescript(_SCHEMA)
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,)
        )
        weights = ", ".join(str(WEIGHTS[c]) for c in ("name", "middle", "body")) + ", 0.0"
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('rank', ?)", (f"bm25({weights})",))
        conn.execute("INSERT INTO fts_name (fts_name, rank) VALUES ('rank', 'bm25(1.0, 0.0)')")
        conn.commit()
        return conn

    def _point_to(self, path):
        """Make ``path`` the generation in use (atomic), and delete older generations but the
        one just replaced."""
        previous, _identity = self._current_path()
        tmp = self.directory / f".{CURRENT_FILE}.{os.getpid()}.tmp"
        tmp.write_text(path.name, encoding="ascii")
        os.replace(tmp, self.directory / CURRENT_FILE)
        keep = {path.name, previous.name if previous else ""}
        for old in self.directory.glob("index-*.sqlite3*"):
            base = old.name.split(".sqlite3")[0] + ".sqlite3"
            if base not in keep:
                with contextlib.suppress(OSError):
                    old.unlink()

    def _writer(self):
        """A new connection to the generation in use, creating an empty index if none exists.
        Call with the write lock held."""
        path, _identity = self._current_path()
        if path is not None and path.exists():
            conn = self._connect(path)
            if self._current_schema(conn):
                conn.execute("PRAGMA synchronous=NORMAL")
                return conn
            conn.close()  # an index of an older schema: start a new one (rebuild to fill it)
        path = self._new_generation_path()
        conn = self._create(path)
        conn.execute("PRAGMA journal_mode=WAL")
        self._point_to(path)
        return conn

    def _rebuild_target(self):
        """Path of the generation a running rebuild writes, or None."""
        marker = self.directory / "REBUILDING"
        try:
            name = marker.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        path = self.directory / name
        if not name or not path.exists():
            return None
        with self._file_lock("rebuild.lock", blocking=False) as free:
            if free:  # a crashed rebuild left the marker: nobody writes that file any more
                return None
        return path

    # --- writing ----------------------------------------------------------------------------

    @staticmethod
    def _rows(doc: SearchDocument):
        name = doc.name or ""
        suggestion = _suggestion_text(doc)
        row = (
            doc.id,
            doc.kind,
            doc.township_code or "",
            doc.township_name or "",
            doc.department or "",
            doc.item_type or "",
            doc.handling_class or "",
            1 if doc.online else 0,
            doc.date or "",
            doc.item_id,
            doc.item_name or "",
            doc.item_code or "",
            doc.title or "",
            doc.url or "",
            suggestion,
        )
        texts = (name, doc.middle or "", doc.body or "")
        fts = (
            " ".join(name_tokens(name)),
            " ".join(index_tokens(doc.middle)),
            " ".join(index_tokens(doc.body)),
            document_keys(doc),
        )
        return row, texts, fts, suggestion

    def _write(self, conn, documents, skip=frozenset(), record_overrides=False, refresh=True):
        """Upsert ``documents`` into one generation; returns how many were written."""
        written = 0
        item_ids = set()
        doc_sql = (
            "INSERT INTO docs ("
            + ", ".join(_DOC_COLUMNS)
            + ", suggestion_text) VALUES ("
            + ", ".join("?" * (len(_DOC_COLUMNS) + 1))
            + ")"
        )
        for doc in documents:
            if doc.id in skip:
                continue
            row, texts, fts, suggestion = self._rows(doc)
            self._delete_ids(conn, [doc.id], refresh=False)
            cursor = conn.execute(doc_sql, row)
            conn.execute(
                "INSERT INTO texts (rowid, name, middle, body) VALUES (?, ?, ?, ?)",
                (cursor.lastrowid, *texts),
            )
            conn.execute(
                "INSERT INTO fts (rowid, name, middle, body, keys) VALUES (?, ?, ?, ?, ?)",
                (cursor.lastrowid, *fts),
            )
            conn.execute(
                "INSERT INTO fts_name (rowid, name, keys) VALUES (?, ?, ?)",
                (cursor.lastrowid, fts[0], fts[3]),
            )
            if suggestion:
                self._add_suggestion(conn, suggestion)
            if record_overrides:
                conn.execute("INSERT OR IGNORE INTO overrides (doc_id) VALUES (?)", (doc.id,))
            if doc.item_id is not None:
                item_ids.add(doc.item_id)
            written += 1
        if refresh and item_ids:
            self._refresh_popularity(conn, item_ids)
        return written

    @staticmethod
    def _refresh_popularity(conn, item_ids=None):
        """Mark catalog items some indexed guide is for (``pop`` in their keys), unmark the
        others: for ``item_ids``, or every item."""
        sql = (
            "SELECT d.rowid, f.keys, EXISTS (SELECT 1 FROM docs g WHERE g.item_id = d.item_id "
            f"AND g.kind = '{GUIDE}') FROM docs d JOIN fts f ON f.rowid = d.rowid "
            f"WHERE d.kind = '{ITEM}'"
        )
        if item_ids is None:
            rows = conn.execute(sql).fetchall()
        else:
            ids = sorted({i for i in item_ids if i is not None})
            rows = []
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows += conn.execute(
                    sql + f" AND d.item_id IN ({', '.join('?' * len(chunk))})", chunk
                ).fetchall()
        for rowid, keys, popular in rows:
            words = keys.split()
            if bool(popular) == (POPULAR_KEY in words):
                continue
            words = [w for w in words if w != POPULAR_KEY] + ([POPULAR_KEY] if popular else [])
            conn.execute("UPDATE fts SET keys = ? WHERE rowid = ?", (" ".join(words), rowid))
            conn.execute("UPDATE fts_name SET keys = ? WHERE rowid = ?", (" ".join(words), rowid))

    def _add_suggestion(self, conn, text):
        cursor = conn.execute(
            "INSERT OR IGNORE INTO suggestions (text, norm) VALUES (?, ?)", (text, normalize(text))
        )
        if cursor.rowcount:
            conn.execute(
                "INSERT INTO suggest_fts (rowid, keys) VALUES (?, ?)",
                (cursor.lastrowid, _suggestion_keys(text)),
            )

    def _delete_ids(self, conn, ids, refresh=True):
        deleted = 0
        item_ids = set()
        for doc_id in ids:
            row = conn.execute(
                "SELECT rowid, suggestion_text, item_id FROM docs WHERE doc_id = ?", (doc_id,)
            ).fetchone()
            if row is None:
                continue
            rowid, suggestion, item_id = row
            item_ids.add(item_id)
            conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM fts_name WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM texts WHERE rowid = ?", (rowid,))
            if (
                suggestion
                and not conn.execute(
                    "SELECT 1 FROM docs WHERE suggestion_text = ? LIMIT 1", (suggestion,)
                ).fetchone()
            ):
                found = conn.execute(
                    "SELECT rowid FROM suggestions WHERE text = ?", (suggestion,)
                ).fetchone()
                if found:
                    conn.execute("DELETE FROM suggest_fts WHERE rowid = ?", found)
                    conn.execute("DELETE FROM suggestions WHERE rowid = ?", found)
            deleted += 1
        if refresh and item_ids:
            self._refresh_popularity(conn, item_ids)
        return deleted

    def _apply(self, operation):
        """Run ``operation(conn, in_rebuild)`` on the generation in use and, during a rebuild,
        on the new generation too; one writer at a time."""
        with self._file_lock("write.lock"):
            conn = self._writer()
            try:
                with conn:
                    result = operation(conn, False)
            finally:
                conn.close()
            target = self._rebuild_target()
            if target is not None:
                conn = self._connect(target)
                try:
                    with conn:
                        operation(conn, True)
                finally:
                    conn.close()
        return result

    def index(self, documents) -> int:
        documents = list(documents)
        if not documents:
            return 0
        return self._apply(
            lambda conn, rebuild: self._write(conn, documents, record_overrides=rebuild)
        )

    def delete(self, document_ids) -> int:
        ids = [str(i) for i in document_ids]
        if not ids:
            return 0

        def operation(conn, rebuild):
            if rebuild:
                conn.executemany(
                    "INSERT OR IGNORE INTO overrides (doc_id) VALUES (?)", [(i,) for i in ids]
                )
            return self._delete_ids(conn, ids)

        return self._apply(operation)

    def rebuild(self, documents, total=None, progress=None) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        refresh_dictionary()  # tokens from the catalog and synonyms as they are now
        with self._file_lock("rebuild.lock") as _held:
            path = self._new_generation_path()
            conn = self._create(path)
            conn.execute("PRAGMA synchronous=OFF")
            marker = self.directory / "REBUILDING"
            marker.write_text(path.name, encoding="ascii")
            written = 0
            try:
                batch = []
                for doc in documents:
                    batch.append(doc)
                    if len(batch) >= BATCH:
                        written += self._rebuild_batch(conn, batch)
                        batch = []
                        if progress:
                            progress(written)
                if batch:
                    written += self._rebuild_batch(conn, batch)
                if progress:
                    progress(written)
                with conn:
                    self._refresh_popularity(conn)
                    conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
                    conn.execute("INSERT INTO fts_name (fts_name) VALUES ('optimize')")
                    conn.execute("INSERT INTO suggest_fts (suggest_fts) VALUES ('optimize')")
                    conn.execute("DELETE FROM overrides")
                    conn.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('built_at', ?)",
                        (time.strftime("%Y-%m-%dT%H:%M:%S"),),
                    )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.close()
                with self._file_lock("write.lock"):
                    self._point_to(path)
                    marker.unlink(missing_ok=True)
            except BaseException:
                conn.close()
                marker.unlink(missing_ok=True)
                for leftover in self.directory.glob(path.name + "*"):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
                raise
        self._close_local()
        return written

    def _rebuild_batch(self, conn, batch):
        with conn:
            skip = {row[0] for row in conn.execute("SELECT doc_id FROM overrides")}
            written = self._write(conn, batch, skip=skip, refresh=False)
            return written + sum(1 for d in batch if d.id in skip)

    def count(self) -> int:
        conn = self._reader()
        if conn is None:
            return 0
        return conn.execute("SELECT count(*) FROM docs").fetchone()[0]

    # --- searching ----------------------------------------------------------------------------

    def _filter_terms(self, filters, messages):
        keys, unknown = [], []
        for facet, value in (filters or {}).items():
            if value in (None, ""):
                continue
            key = filter_key(facet, value) if facet in FACETS else None
            if key is None:
                unknown.append(str(facet)[:20])
                continue
            keys.append(key)
        if unknown:
            messages.append(MSG_BAD_FILTER % {"names": "、".join(unknown)})
        return keys

    @staticmethod
    def _with_keys(expression, keys=(), exclude=()):
        text = " AND ".join([f"({expression})", *(f"keys : {_quote(k)}" for k in keys)])
        for key in exclude:
            text += f" NOT keys : {_quote(key)}"
        return text

    @staticmethod
    def _localities(township, secondary_last=True):
        """{locality: (keys required, keys excluded)}, nearest first: the citizen's township;
        county items some township publishes a guide for (``pop``); other county items — with
        ``secondary_last``, those for a first application before those for a change, renewal
        or cancellation (``sec``); other townships."""
        localities = {}
        local = filter_key("township", township) if township else None
        if local and local != COUNTY_KEY:
            localities["local"] = ((local,), ())
        localities["county"] = ((COUNTY_KEY, POPULAR_KEY), ())
        if secondary_last:
            localities["county_main"] = ((COUNTY_KEY,), (POPULAR_KEY, SECONDARY_KEY))
            localities["county_sec"] = ((COUNTY_KEY, SECONDARY_KEY), (POPULAR_KEY,))
        else:
            localities["county_rest"] = ((COUNTY_KEY,), (POPULAR_KEY,))
        localities["other"] = ((), tuple(k for k in (local, COUNTY_KEY) if k))
        return localities

    def _pieces(self, groups, operator, keys, township, partial=False, secondary_last=True):
        """The match set cut into pieces, best first: [(table, expression)] by field band and
        locality (docs/search.md).

        Bands: every group in the name (``fts_name``); with ``partial`` (an AND query no
        document matches all in its name) or an OR query: some group in the name (``fts_name``,
        BM25 rewards the documents with more groups there); the name or the middle tier
        (conditions, materials); anywhere. With a township: its, then the county's, matches
        in these bands, then other townships'; body-only matches after all of those. Without
        a township: county items first in each band.
        """
        name_all = match_expression(groups, "AND", columns="name")
        name_middle = match_expression(groups, operator, columns="name middle")
        anywhere = match_expression(groups, operator)
        bands = [("fts_name", name_all)]
        if partial or operator == "OR":
            name_some = match_expression(groups, "OR", columns="name")
            bands.append(("fts_name", f"({name_some}) NOT ({name_all})"))
            bands.append(("fts", f"({name_middle}) NOT ({name_some})"))
            body = ("fts", f"({anywhere}) NOT ({name_middle}) NOT ({name_some})")
        else:
            bands.append(("fts", f"({name_middle}) NOT ({name_all})"))
            body = ("fts", f"({anywhere}) NOT ({name_middle})")
        localities = self._localities(township, secondary_last)
        nearby = [loc for loc in localities if loc != "other"]
        if "local" in localities:
            order = [(band, loc) for band in bands for loc in nearby]
            order += [(band, "other") for band in bands]
        else:
            order = [(band, loc) for band in bands for loc in localities]
        order += [(body, loc) for loc in localities]
        pieces = []
        for (table, expression), locality in order:
            required, excluded = localities[locality]
            pieces.append((table, self._with_keys(expression, [*keys, *required], excluded)))
        return pieces

    def _partial_count(self, conn, groups, operator, keys):
        """For an AND query whose groups no document has all in its name: how many documents
        have some group in the name but not every group anywhere (they join the results)."""
        if operator != "AND" or len(groups) < 2:
            return 0
        name = self._with_keys(match_expression(groups, operator, columns="name"), keys)
        if self._count(conn, name, cap=1, table="fts_name"):
            return 0
        some = match_expression(groups, "OR", columns="name")
        partial = f"({some}) NOT ({match_expression(groups, operator)})"
        return self._count(conn, self._with_keys(partial, keys))

    @staticmethod
    def _count(conn, expression, cap=COUNT_CAP, table="fts"):
        """Matches of ``expression``, counted up to ``cap`` (bounded cost)."""
        return conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)",
            (expression, cap),
        ).fetchone()[0]

    def _doc_frequency(self, conn, key):
        """Documents containing ``key`` (a token, or ``keys : token``), up to ``DF_CAP``;
        cached per index generation and for ``DF_CACHE_SECONDS``."""
        identity = getattr(self._local, "identity", None)
        cache = self._df_cache
        now = time.monotonic()
        if cache.get("_identity") != identity or now - cache.get("_at", 0) > DF_CACHE_SECONDS:
            cache.clear()
            cache["_identity"], cache["_at"] = identity, now
        if key not in cache:
            if len(cache) > 50_000:
                cache.clear()
                cache["_identity"], cache["_at"] = identity, now
            cache[key] = self._count(conn, key, DF_CAP)
        return cache[key]

    def _bm25_affordable(self, conn, groups, keys):
        """Whether BM25 over the whole index is cheap enough for this query.

        FTS5's bm25 first walks the full document list of every phrase of the expression (for
        its IDF); over a large index a common word makes that walk cost more than the budget of
        a search. Each band expression holds the query's phrases twice, plus the keys.
        """
        tokens = [t for group in groups for t in group]
        if len(tokens) > BM25_MAX_PHRASES:
            return False
        total = 0
        for token in tokens:
            for part in _WORD.findall(token.lower()):
                total += 2 * self._doc_frequency(conn, _quote(part))
        for key in keys:
            total += self._doc_frequency(conn, f"keys : {_quote(key)}")
        return total <= IDF_BUDGET

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        analyzed = analyze_query(query.text)
        messages = list(analyzed.messages)
        limit = _bounded_int(query.limit, 10, 1, MAX_LIMIT)
        offset = _bounded_int(query.offset, 0, 0, 10**9)
        if offset > MAX_OFFSET:
            messages.append(MSG_DEEP_PAGE % {"n": MAX_OFFSET})
            offset = MAX_OFFSET

        def done(count=0, hits=(), facets=None):
            return SearchResults(
                count=count,
                hits=list(hits),
                facets=facets or {},
                took_ms=round((time.perf_counter() - started) * 1000, 2),
                did_you_mean=analyzed.corrected,
                messages=messages,
            )

        if analyzed.is_empty:
            return done()
        conn = self._reader()
        if conn is None:
            messages.append(MSG_NO_INDEX)
            return done()
        keys = self._filter_terms(query.filters, messages)
        groups, operator, filtered, count = self._relax(conn, analyzed, keys, messages)
        if count == 0:
            return done()
        partial = self._partial_count(conn, groups, operator, keys)
        count = min(COUNT_CAP, count + partial)
        secondary_last = not any(word in analyzed.normalized for word in SECONDARY_QUERY_WORDS)
        pieces = self._pieces(groups, operator, keys, query.township, bool(partial), secondary_last)
        if count >= COUNT_CAP:
            messages.append(MSG_COUNT_CAPPED % {"n": COUNT_CAP})
        ranked = self._bm25_affordable(conn, groups, keys)
        rows = self._page(conn, pieces, offset, limit, ranked)
        hits = self._hits(conn, rows, analyzed)
        facets = self._facets(conn, filtered, count, messages)
        return done(count, hits, facets)

    def _relax(self, conn, analyzed, keys, messages):
        """(groups, operator, expression, count) of the first that matches of: every group;
        the core groups only (words outside the catalog's vocabulary dropped, and said so);
        any group (said so)."""
        groups = analyzed.groups
        core = analyzed.core if len(analyzed.core) == len(groups) else [True] * len(groups)
        attempts = [(groups, "AND", None)]
        kept = [g for g, is_core in zip(groups, core, strict=True) if is_core]
        if kept and len(kept) < len(groups):
            dropped = [w for w, is_core in zip(analyzed.words, core, strict=True) if not is_core]
            attempts.append((kept, "AND", (MSG_DROPPED % {"words": "、".join(dropped)})))
        if len(groups) > 1:
            attempts.append((groups, "OR", MSG_ANY_WORD))
        for attempt, operator, message in attempts:
            expression = match_expression(attempt, operator)
            if not expression:
                continue
            filtered = self._with_keys(expression, keys)
            count = self._count(conn, filtered)
            if count:
                if message:
                    messages.append(message)
                return attempt, operator, filtered, count
        return groups, "AND", "", 0

    def _fetch(self, conn, table, expression, start, want, ranked):
        """(rowid, rank) at positions ``start``…``start+want`` of one piece.

        The first ``RANK_CAP`` matches of a piece (index order) are ordered by BM25 — always
        for the name table, whose document lists are short; for the main table when the query
        is affordable (``_bm25_affordable``); a larger piece continues in index order.
        """
        if table == "fts" and not ranked:
            return conn.execute(
                "SELECT rowid, 0.0 FROM fts WHERE fts MATCH ? LIMIT ? OFFSET ?",
                (expression, want, start),
            ).fetchall()
        rows = []
        if start < RANK_CAP:
            rows = conn.execute(
                f"SELECT rowid, rank FROM (SELECT rowid, rank FROM {table} WHERE {table} MATCH ? "
                "LIMIT ?) ORDER BY rank LIMIT ? OFFSET ?",
                (expression, RANK_CAP, min(want, RANK_CAP - start), start),
            ).fetchall()
            if len(rows) < min(want, RANK_CAP - start):
                return rows  # the piece ends here
        if start + want > RANK_CAP:
            first = max(start, RANK_CAP)
            rows += conn.execute(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? LIMIT ? OFFSET ?",
                (expression, start + want - first, first),
            ).fetchall()
        return rows

    def _page(self, conn, pieces, offset, limit, ranked):
        """(rowid, rank) of positions ``offset``…``offset+limit``, walking the pieces in order;
        a piece is counted only when the page goes past it."""
        end = offset + limit
        position = 0  # matches in the pieces before this one
        rows = []
        for table, expression in pieces:
            start = max(0, offset - position)  # first wanted position inside this piece
            want = end - position - start
            found = self._fetch(conn, table, expression, start, want, ranked)
            rows += found
            if len(found) == want:
                break
            if found or start == 0:
                position += start + len(found)
            else:  # the piece ends before ``start``: how long is it?
                position += self._count(conn, expression, table=table)
        return rows

    def _hits(self, conn, rows, analyzed):
        if not rows:
            return []
        by_rowid = self._load(conn, [r[0] for r in rows])
        terms = analyzed.terms
        hits = []
        for rowid, rank in rows:
            doc = by_rowid.get(rowid)
            if doc is not None:
                snippet = make_snippet([doc.body, doc.middle, doc.name], terms)
                hits.append(Hit(document=doc, score=round(-rank, 6), snippet=snippet))
        return hits

    def _load(self, conn, rowids):
        placeholders = ", ".join("?" * len(rowids))
        found = conn.execute(
            f"SELECT d.rowid, {', '.join('d.' + c for c in _DOC_COLUMNS)}, t.name, t.middle, "
            f"t.body FROM docs d JOIN texts t ON t.rowid = d.rowid WHERE d.rowid IN ({placeholders})",
            rowids,
        ).fetchall()
        return {row[0]: _document(row[1:]) for row in found}

    def _facets(self, conn, expression, count, messages):
        rows = conn.execute(
            "SELECT d.kind, d.township_code, d.township_name, d.department, d.item_type, "
            "d.handling_class, d.online FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?) m "
            "JOIN docs d ON d.rowid = m.rowid",
            (expression, FACET_SAMPLE),
        ).fetchall()
        if count > FACET_SAMPLE:
            messages.append(MSG_FACETS_SAMPLED % {"n": FACET_SAMPLE})
        return facet_counts(rows)

    # --- suggestions --------------------------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 8, township: str = "") -> list[Suggestion]:
        limit = _bounded_int(limit, 8, 1, 20)
        text = normalize(str(prefix or "")[: MAX_SUGGEST_CHARS * 4])[:MAX_SUGGEST_CHARS]
        words = _WORD.findall(text)
        if not words:
            return []
        conn = self._reader()
        if conn is None:
            return []
        compact = "".join(words)
        alternatives = [compact]
        typed = normalize_typed(compact) if compact.isascii() else ""
        if typed and typed != compact:
            alternatives.append(typed)
        expression = " OR ".join(f"{_quote(a)} *" for a in dict.fromkeys(alternatives) if a)
        if len(words) > 1:  # several words typed: every word a prefix of some key
            expression = (
                f"({expression}) OR (" + " AND ".join(f"{_quote(w)} *" for w in words[:6]) + ")"
            )
        candidates = conn.execute(
            "SELECT s.text, s.norm FROM suggest_fts f JOIN suggestions s ON s.rowid = f.rowid "
            "WHERE suggest_fts MATCH ? LIMIT ?",
            (expression, SUGGEST_CANDIDATES),
        ).fetchall()
        if not candidates:
            return []
        texts = [c[0] for c in candidates]
        local = {}
        if township:
            local = self._urls(conn, texts, township, GUIDE)
        county = self._urls(conn, texts, "", ITEM)

        def order(candidate):
            text, norm = candidate
            starts = norm.startswith(text_prefix)
            return (text not in local, text not in county, not starts, len(norm), norm)

        text_prefix = compact
        candidates.sort(key=order)
        suggestions = []
        for text, _norm in candidates[:limit]:
            if text in local:
                suggestions.append(Suggestion(text=text, url=local[text], kind=GUIDE))
            elif text in county:
                suggestions.append(Suggestion(text=text, url=county[text], kind=ITEM))
            else:
                url = conn.execute(
                    "SELECT url FROM docs WHERE suggestion_text = ? LIMIT 1", (text,)
                ).fetchone()
                suggestions.append(Suggestion(text=text, url=url[0] if url else "", kind=GUIDE))
        return suggestions

    def _urls(self, conn, texts, township_code, kind):
        placeholders = ", ".join("?" * len(texts))
        rows = conn.execute(
            f"SELECT suggestion_text, url FROM docs WHERE township_code = ? AND kind = ? "
            f"AND suggestion_text IN ({placeholders})",
            (township_code, kind, *texts),
        ).fetchall()
        return dict(rows)


def _bounded_int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(number, high))


def _document(values):
    data = dict(zip(_DOC_COLUMNS + _TEXT_COLUMNS, values, strict=True))
    data["id"] = data.pop("doc_id")
    data["online"] = bool(data["online"])
    return SearchDocument(**data)


def facet_counts(rows):
    """{facet: [(value, label, count)]} from rows of (kind, township_code, township_name,
    department, item_type, handling_class, online), most frequent first."""
    from guides.models.choices import HandlingClass, ItemType

    if not rows:
        return {facet: [] for facet in FACETS}
    kinds, townships, names, departments, types, handlings, onlines = zip(*rows, strict=True)
    township_names = dict(zip(townships, names, strict=True))
    counters = {
        "township": Counter(t or COUNTY_KEY for t in townships),
        "department": Counter(departments),
        "item_type": Counter(types),
        "handling_class": Counter(handlings),
        "online": Counter("1" if o else "0" for o in onlines),
        "kind": Counter(kinds),
    }

    def label(facet, value):
        if facet == "township":
            return COUNTY_LABEL if value == COUNTY_KEY else (township_names.get(value) or value)
        if facet == "item_type":
            return str(ItemType(value).label) if value in ItemType.values else value
        if facet == "handling_class":
            return str(HandlingClass(value).label) if value in HandlingClass.values else value
        if facet == "online":
            return ONLINE_LABELS[value]
        if facet == "kind":
            return KIND_LABELS.get(value, value)
        return value

    return {
        facet: [
            (value, label(facet, value), n)
            for value, n in sorted(counters[facet].items(), key=lambda kv: (-kv[1], kv[0]))
            if value
        ]
        for facet in FACETS
    }
