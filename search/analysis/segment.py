"""Word segmentation (jieba) with the domain dictionary, and the dictionary itself.

The dictionary is built lazily, on first use, from the database: every catalog item name and
its parts, the words jieba finds in them, township and department names, and the synonym
terms and canonicals (``search.synonyms.synonym_pairs``). It is held in memory per process,
rebuilt by ``reload_dictionary()`` (a synonym saved, a catalog imported) and, so that every
worker process follows an edit made in another, whenever a cheap signature of the synonym
and catalog tables has changed (checked at most every ``CHECK_SECONDS``).

Each dictionary has its own ``jieba.Tokenizer`` (never the global one); jieba's base
dictionary is loaded once per process (about a second) and copied for each rebuild.

Segmentation comes in two forms:

- ``query_words``: jieba's precise mode (with its HMM for unknown words) — one word per
  thing the user typed;
- ``index_spans``: the precise words *plus every dictionary word that occurs anywhere in
  the text* (jieba's DAG), as Elasticsearch's ``ik_max_word`` does. So a query word that is
  a dictionary word is found inside any text that contains it, however that text happened
  to be segmented: 身份证 in 居民身份证换领, 医疗保险 in 城乡居民基本医疗保险.
"""

import bisect
import functools
import logging
import os
import re
import tempfile
import threading
import time

import jieba
from jieba import finalseg

from .normalize import normalize
from .pinyin import full_pinyin, initials, is_hanzi

logger = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)

CHECK_SECONDS = 30  # how often a process checks whether synonyms or the catalog changed
DOMAIN_FREQ = 3000  # jieba frequency given to domain words jieba does not know as well
TOKEN_CACHE_SIZE = 50_000  # memoized lines (index build: the same lines in every township)
BLOCK_CACHE_SIZE = 100_000  # memoized hanzi blocks (a line's runs between punctuation)

# Priorities of domain words (lower first) when several match typed pinyin or a typo.
PRIORITY_SYNONYM = 0
PRIORITY_CANONICAL = 1
PRIORITY_NAME_WORD = 2
PRIORITY_NAME = 3

# Words that never make a token (index or query).
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "是",
        "为",
        "对",
        "由",
        "以",
        "并",
        "其",
        "之",
        "于",
        "将",
        "也",
        "而",
        "被",
        "把",
        "向",
        "从",
        "着",
        "个",
        "及其",
        "以及",
        "或者",
        "和或",
    ]
)

HANZI_RANGE = "\u3400-\u4dbf\u4e00-\u9fff"
# A block is a run of hanzi, or a run of other letters and digits.
_BLOCKS = re.compile(f"[{HANZI_RANGE}]+|[^\\W_{HANZI_RANGE}]+")
_PART_SPLIT = re.compile(r"[\W_]+")
_HAS_HANZI = re.compile(f"[{HANZI_RANGE}]")

_base_lock = threading.Lock()
_base_state = None  # (FREQ, total) of jieba's own dictionary


def _jieba_cache_dir():
    """Where jieba keeps the compiled cache of its dictionary (saves ≈0.4 s per process): the
    system temp directory (shared by processes), else the index directory, whichever is
    writable; failing both, jieba builds the dictionary without a cache."""
    candidates = [tempfile.gettempdir()]
    try:
        from django.conf import settings

        candidates.append(
            str(getattr(settings, "SEARCH_INDEX_DIR", None) or settings.DATA_DIR / "search")
        )
    except Exception:  # no settings
        pass
    for path in candidates:
        if os.path.isdir(path) and os.access(path, os.W_OK):
            return path
    return None


def _base():
    global _base_state
    if _base_state is None:
        with _base_lock:
            if _base_state is None:
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = _jieba_cache_dir()
                if tokenizer.tmp_dir is None:
                    logging.getLogger("jieba").setLevel(logging.CRITICAL)  # no cache: no noise
                tokenizer.initialize()
                _base_state = (tokenizer.FREQ, tokenizer.total)
    return _base_state


def _parts(name):
    """A normalised name's parts: split at punctuation, kept when 2–40 chars with hanzi."""
    return [p for p in _PART_SPLIT.split(name) if 2 <= len(p) <= 40 and _HAS_HANZI.search(p)]


class Dictionary:
    """The domain dictionary and a tokenizer that knows it. Immutable once built."""

    def __init__(self, names=(), synonyms=(), places=(), signature=None):
        base_freq, base_total = _base()
        self.base_freq = base_freq  # jieba's own frequencies (shared, never changed)
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = dict(base_freq)
        tokenizer.total = base_total
        tokenizer.initialized = True
        self.tokenizer = tokenizer
        self.words = {}  # domain word -> priority
        self.synonyms = {}  # term -> [canonical, …]
        self.signature = signature
        self.checked_at = time.monotonic()

        def add(word, priority):
            if len(word) < 2 or word in STOPWORDS:
                return
            if word not in self.words or priority < self.words[word]:
                self.words[word] = priority

        # Words inside names, found with jieba's own dictionary before the names are added.
        name_parts = []
        for name in names:
            for part in _parts(normalize(name)):
                name_parts.append(part)
                for word in self.query_words(part):
                    if _HAS_HANZI.search(word):
                        add(word, PRIORITY_NAME_WORD)
        for place in places:
            for part in _parts(normalize(place)):
                add(part, PRIORITY_NAME_WORD)
        for part in name_parts:
            add(part, PRIORITY_NAME)
        for term, canonical in synonyms:
            term, canonical = normalize(term), normalize(canonical)
            if not term or not canonical or term == canonical:
                continue
            self.synonyms.setdefault(term, [])
            if canonical not in self.synonyms[term]:
                self.synonyms[term].append(canonical)
            for word in (term, canonical):
                for part in _parts(word) or [word]:
                    add(part, PRIORITY_SYNONYM if word == term else PRIORITY_CANONICAL)

        for word in self.words:
            if _BLOCKS.fullmatch(word):  # one block: jieba can find it as a whole
                tokenizer.add_word(word, max(base_freq.get(word) or 0, DOMAIN_FREQ))

        self._full_map = None
        self._initials_map = None
        self._full_sorted = None
        self._initials_sorted = None
        self._map_lock = threading.Lock()
        self._line_tokens = functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)(self._index_tokens)
        self._line_text = functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)(self._index_line_text)
        self._block_tokens = functools.lru_cache(maxsize=BLOCK_CACHE_SIZE)(self._index_block)
        self.name_tokens = functools.lru_cache(maxsize=TOKEN_CACHE_SIZE // 4)(self._name_tokens)

    # --- lookups -------------------------------------------------------------------------

    def is_domain_word(self, word):
        return word in self.words

    def is_known(self, word, min_freq=1):
        """A domain word, or a word jieba's own dictionary knows at least ``min_freq`` times."""
        return word in self.words or (self.base_freq.get(word) or 0) >= min_freq

    def _sorted_words(self, words):
        return sorted(words, key=lambda w: (self.words.get(w, 9), len(w), w))

    def inner_synonyms(self, word):
        """Canonicals of the synonym terms inside a longer word (五保户 → 五保 → 特困人员救助供养),
        longest term first."""
        if len(word) < 3 or word in self.words:
            return []
        dag = self.tokenizer.get_DAG(word)
        terms = {
            word[start : end + 1]
            for start, ends in dag.items()
            for end in ends
            if end > start and (start, end + 1) != (0, len(word))
        }
        out = []
        for term in sorted((t for t in terms if t in self.synonyms), key=len, reverse=True):
            out += [c for c in self.synonyms[term] if c not in out]
        return out

    def split_word(self, word):
        """The words a long dictionary word is made of, by jieba's route once the word itself
        is set aside (农民专业合作社设立 → 农民专业合作社, 设立); [] when it does not split."""
        n = len(word)
        if n < 4:
            return []
        tokenizer = self.tokenizer
        dag = tokenizer.get_DAG(word)
        dag[0] = [end for end in dag[0] if end != n - 1] or [0]
        route = {}
        tokenizer.calc(word, dag, route)
        parts, x = [], 0
        while x < n:
            y = route[x][1] + 1
            parts.append(word[x:y])
            x = y
        return parts if len(parts) > 1 else []

    def pinyin_prefix_words(self, typed, limit=5):
        """Domain words whose full pinyin (typed ≥ 4 letters) or initials (≥ 3) start with
        ``typed``: the best priority first, then the shortest."""
        found = []
        for keys, mapping, minimum in (
            (self._full_keys, self.full_pinyin_map, 4),
            (self._initials_keys, self.initials_map, 3),
        ):
            if len(typed) < minimum:
                continue
            position = bisect.bisect_left(keys(), typed)
            for key in keys()[position : position + 200]:
                if not key.startswith(typed):
                    break
                found += mapping[key]
        return self._sorted_words(dict.fromkeys(found))[:limit]

    def _full_keys(self):
        if self._full_sorted is None:
            self._full_sorted = sorted(self.full_pinyin_map)
        return self._full_sorted

    def _initials_keys(self):
        if self._initials_sorted is None:
            self._initials_sorted = sorted(self.initials_map)
        return self._initials_sorted

    def warm(self):
        """Build the pinyin maps now."""
        self._full_keys()
        self._initials_keys()

    def priority(self, word):
        return self.words.get(word, 9)

    def _build_maps(self):
        full, firsts = {}, {}
        for word in self.words:
            if is_hanzi(word) and len(word) <= 30:
                full.setdefault(full_pinyin(word), []).append(word)
                firsts.setdefault(initials(word), []).append(word)
        self._full_map = {k: self._sorted_words(v) for k, v in full.items()}
        self._initials_map = {k: self._sorted_words(v) for k, v in firsts.items()}

    @property
    def full_pinyin_map(self):
        """Toneless full pinyin → domain words (``dibao`` → ``["低保"]``), best first."""
        if self._full_map is None:
            with self._map_lock:
                if self._full_map is None:
                    self._build_maps()
        return self._full_map

    @property
    def initials_map(self):
        """Pinyin initials → domain words (``sfz`` → ``["身份证"]``), best first."""
        if self._initials_map is None:
            with self._map_lock:
                if self._initials_map is None:
                    self._build_maps()
        return self._initials_map

    # --- segmentation --------------------------------------------------------------------

    def _cut_block(self, block, with_dag):
        """(start, end) spans of one hanzi block: jieba's precise route with its HMM for runs
        of unknown single characters; with ``with_dag`` also every dictionary word in it."""
        tokenizer = self.tokenizer
        freq = tokenizer.FREQ
        dag = tokenizer.get_DAG(block)
        route = {}
        tokenizer.calc(block, dag, route)
        spans = []

        def flush(buf, start):
            if len(buf) == 1 or freq.get(buf):
                spans.extend((start + i, start + i + 1) for i in range(len(buf)))
            else:
                pos = start
                for word in finalseg.cut(buf):
                    spans.append((pos, pos + len(word)))
                    pos += len(word)

        x, n = 0, len(block)
        buf_start = None
        while x < n:
            y = route[x][1] + 1
            if y - x == 1:
                if buf_start is None:
                    buf_start = x
            else:
                if buf_start is not None:
                    flush(block[buf_start:x], buf_start)
                    buf_start = None
                spans.append((x, y))
            x = y
        if buf_start is not None:
            flush(block[buf_start:], buf_start)
        if with_dag:
            seen = set(spans)
            for start, ends in dag.items():
                for end in ends:
                    if end > start and (start, end + 1) not in seen:
                        spans.append((start, end + 1))
            spans.sort(key=lambda s: (s[0], s[0] - s[1]))
        return spans

    def _words(self, normalized, with_dag):
        words = []
        for match in _BLOCKS.finditer(normalized):
            block = match.group(0)
            if _HAS_HANZI.match(block):
                for start, end in self._cut_block(block, with_dag):
                    word = block[start:end]
                    if word not in STOPWORDS:
                        words.append(word)
            else:
                words.append(block)
        return words

    def query_words(self, normalized):
        """Precise-mode words of normalised text (letters/digits runs kept whole)."""
        return self._words(normalized, with_dag=False)

    def _index_block(self, block):
        """Index tokens of one hanzi block (jieba never looks beyond a block)."""
        return tuple(
            word
            for word in (block[start:end] for start, end in self._cut_block(block, True))
            if word not in STOPWORDS
        )

    def _index_tokens(self, text):
        """Index tokens of one line: ``_words(normalize(text), with_dag=True)``, with each
        hanzi block memoized — a line that names its township or item is new, but its blocks
        between punctuation mostly are not."""
        tokens = []
        for block in _BLOCKS.findall(normalize(text)):
            if _HAS_HANZI.match(block):
                tokens += self._block_tokens(block)
            else:
                tokens.append(block)
        return tuple(tokens)

    def index_tokens(self, text):
        """Tokens of a text, memoized line by line: a guide's lines recur in every township
        (only a few, such as its place, differ), so a rebuild segments each line once. Lines
        are segmented apart anyway (a block never spans a line break)."""
        if "\n" not in text:
            return self._line_tokens(text)
        tokens = []
        for line in text.split("\n"):
            if line:
                tokens += self._line_tokens(line)
        return tuple(tokens)

    def _index_line_text(self, line):
        return " ".join(self._index_tokens(line))

    def index_text(self, text):
        """``" ".join(index_tokens(text))`` (what the embedded engine stores), from memoized
        lines: joining a few line strings costs less than joining every token."""
        if "\n" not in text:
            return self._line_text(text)
        lines = (self._line_text(line) for line in text.split("\n") if line)
        return " ".join(line for line in lines if line)  # a line may have no token

    def _name_tokens(self, text):
        tokens = list(self.index_tokens(text))
        keys = []
        for part in _parts(normalize(text)):
            if is_hanzi(part):
                keys += [full_pinyin(part), initials(part)]
        for token in dict.fromkeys(tokens):
            if len(token) >= 2 and is_hanzi(token):
                keys += [full_pinyin(token), initials(token)]
        return tuple(tokens + [k for k in dict.fromkeys(keys) if len(k) >= 2])


# --- the process's current dictionary -------------------------------------------------------

_lock = threading.RLock()
_current = None


def _signature():
    """Counts and last changes of the tables the dictionary is built from; None if unknown."""
    try:
        from django.db.models import Count, Max

        from guides.models import ServiceItem

        from ..models import Synonym

        items = ServiceItem.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        synonyms = Synonym.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        return (items["n"], items["last"], synonyms["n"], synonyms["last"])
    except Exception:
        return None


def _sources():
    """Names, places and synonym pairs from the database (empty where it cannot be read)."""
    from ..synonyms import synonym_pairs

    names, places = [], []
    try:
        from guides.models import Department, ServiceItem, TownshipPage

        for name, main_item in ServiceItem.objects.values_list("name", "main_item"):
            names.append(name)
            if main_item and main_item != "未分类":
                names.append(main_item)
        places += list(TownshipPage.objects.values_list("title", flat=True))
        places += list(Department.objects.values_list("name", flat=True))
    except Exception as exc:  # no tables yet, no database access
        logger.debug("Dictionary built without the catalog: %s", exc)
    return names, places, synonym_pairs()


def build_dictionary():
    signature = _signature()
    names, places, pairs = _sources()
    started = time.monotonic()
    dictionary = Dictionary(names=names, synonyms=pairs, places=places, signature=signature)
    # The pinyin maps (≈0.2 s) are built in the background, not by the first query needing them.
    threading.Thread(target=dictionary.warm, name="search-dictionary-warm", daemon=True).start()
    logger.info(
        "Search dictionary: %d words, %d synonym terms (%.2f s)",
        len(dictionary.words),
        len(dictionary.synonyms),
        time.monotonic() - started,
    )
    return dictionary


def get_dictionary() -> Dictionary:
    """The current dictionary, built on first use and rebuilt when its sources changed."""
    global _current
    dictionary = _current
    if dictionary is not None:
        if time.monotonic() - dictionary.checked_at < CHECK_SECONDS:
            return dictionary
        signature = _signature()
        if signature == dictionary.signature:
            dictionary.checked_at = time.monotonic()
            return dictionary
    with _lock:
        if _current is None or _current is dictionary:
            _current = build_dictionary()
        return _current


def refresh_dictionary() -> Dictionary:
    """The current dictionary, rebuilt now if its sources changed (no waiting for the next
    periodic check): before a rebuild of the index."""
    global _current
    with _lock:
        if _current is not None and _signature() != _current.signature:
            _current = None
    return get_dictionary()


def reload_dictionary():
    """Forget the dictionary (and every memoized analysis); the next use rebuilds it."""
    global _current
    with _lock:
        _current = None


def set_dictionary(dictionary):
    """Use ``dictionary`` as the current one (tests, benchmarks)."""
    global _current
    with _lock:
        _current = dictionary
