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
import logging
import os
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy

from ..analysis import analyze_query, index_text, name_tokens, normalize
from ..analysis.segment import refresh_dictionary
from ..types import FACETS, GUIDE, ITEM, Hit, SearchDocument, SearchQuery, SearchResults, Suggestion
from .base import SearchBackend
from .common import (
    COUNT_CAP,
    COUNTY_KEY,
    MAX_LIMIT,
    MAX_OFFSET,
    MSG_ANY_WORD,
    MSG_COUNT_CAPPED,
    MSG_DEEP_PAGE,
    MSG_NO_INDEX,
    SUGGEST_CANDIDATES,
    WEIGHTS,
    WORD,
    facet_label,
    filter_key,
    key_hash,
    make_snippet,
    suggestion_keys,
    suggestion_text,
    typed_prefix,
    valid_filters,
)

try:
    import fcntl
except ImportError:  # not on POSIX: SQLite's locking alone
    fcntl = None

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
CURRENT_FILE = "CURRENT"
FACET_SAMPLE = 1000  # matches whose facet values are counted (see docs/search.md)
RANK_CAP = 1000  # matches ranked by BM25 within one piece of the match set
IDF_BUDGET = 60_000  # document-list entries bm25 may walk for its IDF (see _bm25_affordable)
DF_CAP = IDF_BUDGET + 1
DF_CACHE_SECONDS = 300
BM25_MAX_PHRASES = 60
BATCH = 1000  # documents per transaction of a rebuild
FTS_AUTOMERGE = 4  # FTS5's default; a rebuild turns merging off until its final 'optimize'
BUSY_TIMEOUT_MS = 10_000
MMAP_BYTES = 1 << 30  # readers map the index (shared with the OS page cache)
CACHE_KIB = 32 * 1024  # page cache per reader connection
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
MSG_FACETS_SAMPLED = gettext_lazy("结果较多，分类统计只计算了前%(n)s条结果。")

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
# rowid None: SQLite picks max(rowid) + 1, as a rebuild does explicitly (``_insert_new``)
_INSERT_DOC = (
    f"INSERT INTO docs (rowid, {', '.join(_DOC_COLUMNS)}, suggestion_text) "
    f"VALUES ({', '.join('?' * (len(_DOC_COLUMNS) + 2))})"
)
_INSERT_TEXT = "INSERT INTO texts (rowid, name, middle, body) VALUES (?, ?, ?, ?)"
_INSERT_FTS = "INSERT INTO fts (rowid, name, middle, body, keys) VALUES (?, ?, ?, ?, ?)"
_INSERT_FTS_NAME = "INSERT INTO fts_name (rowid, name, keys) VALUES (?, ?, ?)"

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


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def _alternative_expr(alternative):
    """One alternative as FTS5 syntax: a quoted token, or its parts ANDed (an alternative with
    punctuation inside, e.g. a canonical name with brackets)."""
    parts = WORD.findall(alternative.lower())
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


@functools.lru_cache(maxsize=8192)
def _is_secondary(name):
    return any(word in name for word in SECONDARY_WORDS)


def document_keys(doc: SearchDocument):
    keys = [f"k{doc.kind}", f"t{doc.township_code}" if doc.township_code else COUNTY_KEY]
    if doc.department:
        keys.append(f"d{key_hash(doc.department)}")
    if doc.item_type:
        keys.append(f"y{doc.item_type}")
    if doc.handling_class:
        keys.append(f"h{doc.handling_class}")
    keys.append("o1" if doc.online else "o0")
    if _is_secondary(doc.item_name or doc.title or ""):
        keys.append(SECONDARY_KEY)
    return " ".join(keys)


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
        suggestion = suggestion_text(doc)
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
            index_text(doc.middle),
            index_text(doc.body),
            document_keys(doc),
        )
        return row, texts, fts, suggestion

    def _write(self, conn, documents, record_overrides=False, refresh=True):
        """Upsert ``documents`` into one generation; returns how many were written."""
        written = 0
        item_ids = set()
        for doc in documents:
            row, texts, fts, suggestion = self._rows(doc)
            self._delete_ids(conn, [doc.id], refresh=False)
            rowid = conn.execute(_INSERT_DOC, (None, *row)).lastrowid
            conn.execute(_INSERT_TEXT, (rowid, *texts))
            conn.execute(_INSERT_FTS, (rowid, *fts))
            conn.execute(_INSERT_FTS_NAME, (rowid, fts[0], fts[3]))
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
                (cursor.lastrowid, " ".join(suggestion_keys(text))),
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
            # A new file that no reader opens before the swap, and that a failed rebuild
            # deletes: no rollback journal and no syncs while it is filled, and no merging of
            # FTS5 segments until the one 'optimize' at the end. (Writers that update it
            # meanwhile, ``_apply``, use their own connections and journals.)
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            with conn:
                self._set_automerge(conn, 0)
            marker = self.directory / "REBUILDING"
            marker.write_text(path.name, encoding="ascii")
            written = 0
            state = _RebuildState()
            try:
                batch = []
                for doc in documents:
                    batch.append(doc)
                    if len(batch) >= BATCH:
                        written += self._rebuild_batch(conn, batch, state)
                        batch = []
                        if progress:
                            progress(written)
                if batch:
                    written += self._rebuild_batch(conn, batch, state)
                if progress:
                    progress(written)
                with conn:
                    self._refresh_popularity(conn)
                    self._set_automerge(conn, FTS_AUTOMERGE)  # for later updates
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

    @staticmethod
    def _set_automerge(conn, value):
        """FTS5's ``automerge`` of the text tables (a setting kept in the index file)."""
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('automerge', ?)", (value,))
        conn.execute("INSERT INTO fts_name (fts_name, rank) VALUES ('automerge', ?)", (value,))

    def _rebuild_batch(self, conn, batch, state):
        """Write one batch of a rebuild in one transaction; returns the documents done
        (written, or skipped because ``index``/``delete`` touched them meanwhile)."""
        rows = [self._rows(doc) for doc in batch]  # analysis before the write lock is taken
        with conn:
            conn.execute("BEGIN IMMEDIATE")  # the overrides read and the writes as one
            skip = {row[0] for row in conn.execute("SELECT doc_id FROM overrides")}
            if skip != state.skip:  # a live update changed this generation: recheck it all
                state.skip = skip
                state.suggestions.clear()
            fresh = [(doc, r) for doc, r in zip(batch, rows, strict=True) if doc.id not in skip]
            ids = [doc.id for doc, _r in fresh]
            if len(set(ids)) == len(ids) and state.ids.isdisjoint(ids):
                written = self._insert_new(conn, fresh, state)
            else:  # an id seen before: replace as ``index`` does
                written = self._write(conn, [doc for doc, _r in fresh], refresh=False)
                state.suggestions.clear()
            state.ids.update(ids)
            return written + (len(batch) - len(fresh))

    def _insert_new(self, conn, fresh, state):
        """Insert documents whose ids are not in the generation: what ``_write`` does for
        them, with rowids counted here (as SQLite would pick them) and a statement per table
        for the whole batch; each suggestion text is inserted once per rebuild."""
        last = conn.execute("SELECT coalesce(max(rowid), 0) FROM docs").fetchone()[0]
        docs, texts, fts, fts_name = [], [], [], []
        for rowid, (_doc, (row, text, tokens, suggestion)) in enumerate(fresh, last + 1):
            docs.append((rowid, *row))
            texts.append((rowid, *text))
            fts.append((rowid, *tokens))
            fts_name.append((rowid, tokens[0], tokens[3]))
            if suggestion and suggestion not in state.suggestions:
                self._add_suggestion(conn, suggestion)
                state.suggestions.add(suggestion)
        conn.executemany(_INSERT_DOC, docs)
        conn.executemany(_INSERT_TEXT, texts)
        conn.executemany(_INSERT_FTS, fts)
        conn.executemany(_INSERT_FTS_NAME, fts_name)
        return len(fresh)

    def count(self) -> int:
        conn = self._reader()
        if conn is None:
            return 0
        return conn.execute("SELECT count(*) FROM docs").fetchone()[0]

    # --- searching ----------------------------------------------------------------------------

    @staticmethod
    def _filter_terms(filters, messages):
        """The ``keys`` tokens of the valid filters (the others are said in ``messages``)."""
        return [key for _facet, _value, key in valid_filters(filters, messages)]

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
            for part in WORD.findall(token.lower()):
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
        words, compact, alternatives = typed_prefix(prefix)
        if not words:
            return []
        conn = self._reader()
        if conn is None:
            return []
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


class _RebuildState:
    """What a rebuild has written so far: document ids, suggestion texts; and the overrides
    (ids live updates wrote meanwhile) as of the last batch."""

    def __init__(self):
        self.ids = set()
        self.suggestions = set()
        self.skip = set()


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
    return {
        facet: [
            (value, facet_label(facet, value, township_names), n)
            for value, n in sorted(counters[facet].items(), key=lambda kv: (-kv[1], kv[0]))
            if value
        ]
        for facet in FACETS
    }
