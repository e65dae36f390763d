"""The Elasticsearch engine, chosen when ``ELASTICSEARCH_URL`` is set.

NOT LIVE-TESTED. No Elasticsearch server can run on the machines this was written on: the
engine is tested against recorded request and response bodies (``tests/search/recordings/``),
and its live tests (marker ``live_elasticsearch``) run only where ``ELASTICSEARCH_URL`` is set,
failing if that server cannot be reached. See docs/search-elasticsearch.md.

How it works:

- Text is analysed in Python by the pipeline both engines share (``search.analysis``). The
  token fields hold the pipeline's tokens and use Elasticsearch's built-in ``whitespace``
  analyzer (``search.es_documents``): no plugin is needed, and both engines match the same
  tokens.
- Documents live in concrete indices ``<prefix>-documents-<timestamp>`` behind the alias
  ``<prefix>-documents``. ``rebuild`` loads a new index (reachable meanwhile through the alias
  ``<prefix>-documents-rebuilding``, which ``index`` and ``delete`` also write to) and then
  moves the alias in one atomic ``_aliases`` request: searches never see a missing or
  half-built index, and edits made during a rebuild are not lost.
- Queries hold only the pipeline's tokens, as terms of ``combined_fields`` queries (BM25F over
  name ×10, middle ×3, body ×1, the embedded engine's weights) and ``term``/``terms`` filters:
  user text never reaches a query parser (no ``query_string``). Groups, alternatives, page
  size and depth, facet buckets and suggestion candidates are all bounded.
- Ranking is the embedded engine's: matches are ordered by piece — field band (every query
  word in the name; in name or middle; anywhere) × locality (the citizen's township, county
  items, other townships) — and by relevance within a piece. A ``function_score`` with
  ``score_mode: first`` adds the piece's weight (a multiple of ``TIER``, far above any
  relevance score); no script is involved. The weight is taken off again in ``Hit.score``.
- Connection failures and server errors raise ``SearchUnavailable``; a missing index gives an
  empty result with a message, as in the embedded engine.
"""

import contextlib
import datetime
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from .. import analysis
from ..es_documents import from_source, index_body, to_source
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
    local_township,
    make_snippet,
    suggestion_text,
    typed_prefix,
    valid_filters,
)
from .common import suggestion_keys as _suggestion_keys

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "bianmin"
CHUNK_SIZE = 500  # documents per bulk request
REQUEST_TIMEOUT = 10  # seconds, searches and small writes
BULK_TIMEOUT = 120  # seconds, one bulk request or a refresh during a rebuild

MAX_GROUPS = 12  # the pipeline's bounds, enforced again here
MAX_ALTERNATIVES = 20
MAX_PARTS = 8  # words of one alternative (the embedded engine's bound)
MAX_TOKEN_CHARS = 100
MAX_FILTER_CHARS = 200
MAX_SUGGESTIONS = 20
FACET_SIZE = 100  # buckets per facet (a district has a few dozen townships and departments)

# Field weights (combined_fields boosts): the embedded engine's BM25 weights.
FIELDS = (
    ("name_tokens", WEIGHTS["name"]),
    ("middle_tokens", WEIGHTS["middle"]),
    ("body_tokens", WEIGHTS["body"]),
)

# One piece of the ranking is worth TIER: relevance (BM25F with the bounds above) stays far
# below it, and at 9·TIER a float32 score still resolves relevance to 0.07.
TIER = 100_000.0


class SearchUnavailable(Exception):
    """Elasticsearch cannot be reached or failed; the caller may fall back or apologise."""


class IndexingFailed(SearchUnavailable):
    """Elasticsearch refused documents of a bulk request."""


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _int(value, default: int) -> int:
    try:
        return int(value or default)
    except (TypeError, ValueError, OverflowError):
        return default


def suggestion_keys(text: str) -> list[str]:
    """Prefix keys of a suggestion text, as the embedded engine's (``common.suggestion_keys``),
    through this module's ``analysis``."""
    return _suggestion_keys(text, analysis)


def _words_of(tokens: Iterable[str]) -> list[str]:
    """Tokens as the index holds them: lower case, split where the embedded engine's FTS5
    tokenizer splits them (at punctuation), so that both engines match the same terms."""
    return [word for token in tokens for word in WORD.findall(str(token).lower())]


def document_source(doc: SearchDocument) -> dict:
    """The ``_source`` Elasticsearch stores for ``doc``: fields and the pipeline's tokens."""
    suggest_text = suggestion_text(doc)
    tokens = {
        "name_tokens": _words_of(analysis.name_tokens(doc.name)),
        "middle_tokens": _words_of(analysis.index_tokens(doc.middle)),
        "body_tokens": _words_of(analysis.index_tokens(doc.body)),
        "suggest_keys": _words_of(suggestion_keys(suggest_text)) if suggest_text else [],
    }
    return to_source(doc, tokens, suggest_text)


def _alternatives(group: list[str]) -> tuple[list[str], list[list[str]]]:
    """A group's alternatives as (single tokens, multi-word alternatives as lists of words).

    An alternative with punctuation inside (a canonical name with brackets) is matched by its
    words, all of them, as the embedded engine does; tokens are lower-cased as FTS5 does.
    """
    singles, multis = [], []
    for alternative in group[:MAX_ALTERNATIVES]:
        parts = [p for p in WORD.findall(str(alternative).lower()) if len(p) <= MAX_TOKEN_CHARS]
        if len(parts) == 1:
            singles.append(parts[0])
        elif parts:
            multis.append(parts[:MAX_PARTS])
    return list(dict.fromkeys(singles)), multis


def _scoring_clause(group: list[str]) -> dict | None:
    """The query for one group: any alternative, scored by BM25F over the weighted fields."""
    singles, multis = _alternatives(group)
    fields = [f"{name}^{weight:g}" for name, weight in FIELDS]
    should = []
    if singles:
        should.append({"combined_fields": {"query": " ".join(singles), "fields": fields}})
    for parts in multis:
        should.append(
            {"combined_fields": {"query": " ".join(parts), "fields": fields, "operator": "and"}}
        )
    if not should:
        return None
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _band_clause(group: list[str], fields: list[str]) -> dict:
    """A filter: the group has an alternative in one of ``fields`` (no scoring)."""
    singles, multis = _alternatives(group)
    should = [{"terms": {field: singles}} for field in fields] if singles else []
    for parts in multis:
        should.append(
            {
                "bool": {
                    "filter": [
                        {
                            "bool": {
                                "should": [{"term": {f: p}} for f in fields],
                                "minimum_should_match": 1,
                            }
                        }
                        for p in parts
                    ]
                }
            }
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _combine(clauses: list[dict], operator: str) -> dict:
    if operator == "AND":
        return {"bool": {"filter": clauses}}
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _term(field: str, value) -> dict:
    return {"term": {field: value}}


# Facet name -> keyword field
FACET_FIELDS = {
    "township": "township_code",
    "department": "department",
    "item_type": "item_type",
    "handling_class": "handling_class",
    "online": "online",
    "kind": "kind",
}


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str | None = None, prefix: str | None = None, client=None, clock=None):
        self._url = url
        self._prefix = prefix
        self._client = client
        self.clock = clock or _now

    # --- configuration ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._url is None:
            from django.conf import settings

            self._url = getattr(settings, "ELASTICSEARCH_URL", "") or ""
        return self._url

    @property
    def prefix(self) -> str:
        if self._prefix is None:
            from django.conf import settings

            prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or DEFAULT_PREFIX
            self._prefix = prefix.strip().lower()  # index names are lower case
        return self._prefix

    @property
    def alias(self) -> str:
        """The alias searches and edits go through."""
        return f"{self.prefix}-documents"

    @property
    def rebuilding_alias(self) -> str:
        """The alias of the index a running rebuild loads."""
        return f"{self.alias}-rebuilding"

    @property
    def client(self):
        if self._client is None:
            if not self.url:
                raise SearchUnavailable("ELASTICSEARCH_URL is not set")
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(
                self.url, request_timeout=REQUEST_TIMEOUT, max_retries=1, retry_on_timeout=False
            )
        return self._client

    def close(self):
        if self._client is not None:
            self._client.close()
            self._client = None

    @contextlib.contextmanager
    def _guard(self, action: str):
        """Turn the client's transport and API errors into ``SearchUnavailable``."""
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        try:
            yield
        except (TransportError, ApiError) as exc:
            raise SearchUnavailable(f"Elasticsearch {action} failed: {exc}") from exc

    # --- indices and aliases ------------------------------------------------------------------

    def _new_index_name(self) -> str:
        return f"{self.alias}-{self.clock().strftime('%Y%m%d%H%M%S%f')}"

    def _state(self) -> tuple[list[str], list[str]]:
        """(indices behind the alias, indices behind the rebuilding alias), in one request."""
        response = self.client.indices.get_alias(index=f"{self.alias}-*").body
        live, rebuilding = [], []
        for index, info in sorted(response.items()):
            aliases = info.get("aliases", {})
            if self.alias in aliases:
                live.append(index)
            if self.rebuilding_alias in aliases:
                rebuilding.append(index)
        return live, rebuilding

    def _bootstrap(self) -> None:
        """Create the first index behind the alias (mapping and alias in one request).

        Writing to a missing alias would make Elasticsearch create an index of that name with
        guessed mappings; every bulk request also says ``require_alias``, so it never does.
        """
        from elasticsearch import BadRequestError

        name = f"{self.alias}-initial"
        body = index_body(name)
        body["aliases"] = {self.alias: {}}
        try:
            self.client.indices.create(index=name, body=body)
        except BadRequestError as exc:  # created meanwhile by another process
            if exc.error != "resource_already_exists_exception":
                raise

    def _bulk(self, target: str, operations: list, tolerate=()) -> list[dict]:
        """One bulk request through an alias; the items, each ``{op: result}``.

        Raises ``IndexingFailed`` when an item failed, unless its error type is in
        ``tolerate``.
        """
        response = self.client.options(request_timeout=BULK_TIMEOUT).bulk(
            index=target, operations=operations, require_alias=True
        )
        items = response.body.get("items", [])
        if response.body.get("errors"):
            failures = [
                result
                for item in items
                for result in item.values()
                if result.get("error")
                and (result["error"].get("type") if isinstance(result["error"], dict) else "")
                not in tolerate
            ]
            if failures:
                first = failures[0]
                raise IndexingFailed(
                    f"Elasticsearch refused {len(failures)} document(s) in {target}; "
                    f"first {first.get('_id')}: {first.get('error')}"
                )
        return items

    @staticmethod
    def _index_operations(docs: list[SearchDocument], op: str = "index") -> list[dict]:
        operations = []
        for doc in docs:
            operations.append({op: {"_id": doc.id}})
            operations.append(document_source(doc))
        return operations

    # --- SearchBackend: writing ---------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Upsert through the alias, and into the index a running rebuild loads."""
        written = 0
        with self._guard("indexing"):
            live, rebuilding = self._state()
            if not live:
                self._bootstrap()
            for chunk in _chunks(documents, CHUNK_SIZE):
                operations = self._index_operations(chunk)
                items = self._bulk(self.alias, operations)
                written += sum(
                    1 for item in items if item.get("index", {}).get("status") in (200, 201)
                )
                if rebuilding:
                    self._write_rebuilding(operations)
        return written

    def delete(self, document_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(str(i) for i in document_ids))
        if not ids:
            return 0
        deleted = 0
        with self._guard("deletion"):
            live, rebuilding = self._state()
            for chunk in _chunks(ids, CHUNK_SIZE):
                operations = [{"delete": {"_id": i}} for i in chunk]
                if live:
                    items = self._bulk(self.alias, operations)
                    deleted += sum(
                        1 for item in items if item.get("delete", {}).get("result") == "deleted"
                    )
                if rebuilding:
                    self._write_rebuilding(operations)
        return deleted

    def _write_rebuilding(self, operations: list) -> None:
        """Repeat a write into the index being rebuilt; harmless if the rebuild just ended."""
        try:
            self._bulk(self.rebuilding_alias, operations, tolerate=("index_not_found_exception",))
        except IndexingFailed:
            logger.warning("Write to the index being rebuilt failed", exc_info=True)

    def count(self) -> int:
        from elasticsearch import NotFoundError

        with self._guard("count"):
            try:
                return int(self.client.count(index=self.alias).body["count"])
            except NotFoundError:
                return 0

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        total: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Load a new index, then move the alias to it atomically and delete the old indices.

        Requests: ``GET /<alias>-*/_alias``; ``DELETE`` of an index a crashed rebuild left
        behind, if any; ``PUT /<new>`` (settings, mapping, the rebuilding alias);
        ``<alias>-rebuilding/_bulk`` per 500 documents (``create``: a document that
        ``index`` wrote meanwhile is newer and stays); ``POST /<new>/_refresh``;
        ``GET /<alias>-*/_alias``; ``POST /_aliases`` (remove the alias from the old indices,
        the rebuilding alias from the new one, add the alias to the new one — one atomic
        request); ``DELETE /<old>``. If anything fails before the switch, the new index is
        deleted and the old one keeps serving. One rebuild at a time.
        """
        written = 0
        with self._guard("rebuild"):
            _live, stale = self._state()
            if stale:  # a crashed rebuild's index: nothing loads it any more
                self._drop(",".join(stale))
            new = self._new_index_name()
            body = index_body(new)
            body["aliases"] = {self.rebuilding_alias: {"is_write_index": True}}
            self.client.indices.create(index=new, body=body)
            try:
                for chunk in _chunks(documents, CHUNK_SIZE):
                    items = self._bulk(
                        self.rebuilding_alias,
                        self._index_operations(chunk, op="create"),
                        tolerate=("version_conflict_engine_exception",),
                    )
                    written += len(items)
                    if progress:
                        progress(written)
                self.client.options(request_timeout=BULK_TIMEOUT).indices.refresh(index=new)
                old = [name for name in self._state()[0] if name != new]
                actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
                actions.append({"remove": {"index": new, "alias": self.rebuilding_alias}})
                actions.append({"add": {"index": new, "alias": self.alias}})
                self.client.indices.update_aliases(actions=actions)
            except BaseException:
                self._drop(new)
                raise
            if old:
                self._drop(",".join(old))
        if progress and not written:
            progress(0)
        return written

    def _drop(self, index: str) -> None:
        try:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        except Exception:  # best effort: a leftover index costs only disk space
            logger.warning("Could not delete Elasticsearch index %s", index, exc_info=True)

    # --- SearchBackend: searching -------------------------------------------------------------

    @staticmethod
    def _filter_clauses(filters: dict, messages: list) -> list[dict]:
        """Term filters for the valid facet values (``common.valid_filters``: the others are
        said in ``messages``)."""
        clauses = []
        for facet, value, key in valid_filters(filters, messages):
            text = str(value).strip()[:MAX_FILTER_CHARS]
            if facet == "township":
                clauses.append(_term("township_code", "" if key == COUNTY_KEY else text))
            elif facet == "online":
                clauses.append(_term("online", key == "o1"))
            else:
                clauses.append(_term(FACET_FIELDS[facet], text))
        return clauses

    def _pieces(self, groups: list[list[str]], operator: str, township: str) -> list[dict]:
        """``function_score`` functions, one per piece of the ranking, nearest first.

        Bands: every group matched in the name; in name or middle; anywhere. With a township:
        its name/middle matches, then the county's, then other townships'; body-only matches
        after all of those. Without: county items first. (``embedded._pieces``.)
        """
        name = _combine([_band_clause(g, ["name_tokens"]) for g in groups], operator)
        middle = _combine(
            [_band_clause(g, ["name_tokens", "middle_tokens"]) for g in groups], operator
        )
        local_code = local_township(township)
        localities = {"county": _term("township_code", ""), "other": None}
        bands = {"name": name, "middle": middle, "body": None}
        if local_code:
            localities["local"] = _term("township_code", local_code)
            order = [
                ("name", "local"), ("name", "county"), ("middle", "local"), ("middle", "county"),
                ("name", "other"), ("middle", "other"),
                ("body", "local"), ("body", "county"), ("body", "other"),
            ]  # fmt: skip
        else:
            order = [
                ("name", "county"), ("name", "other"), ("middle", "county"), ("middle", "other"),
                ("body", "county"), ("body", "other"),
            ]  # fmt: skip
        functions = []
        for rank, (band, locality) in enumerate(order):
            weight = TIER * (len(order) - rank)
            # "other" needs no filter of its own: score_mode "first" gave the nearer
            # localities (and the higher bands) their pieces already.
            parts = [c for c in (bands[band], localities[locality]) if c is not None]
            function = {"weight": weight}
            if parts:
                function["filter"] = parts[0] if len(parts) == 1 else {"bool": {"filter": parts}}
            functions.append(function)
        return functions

    def search_body(
        self, groups, township: str, filters: list, operator: str, limit: int, offset: int
    ) -> dict:
        """The request body: bounded groups, the filters, pieces, page and facets."""
        clauses = [c for c in (_scoring_clause(g) for g in groups) if c]
        text = (
            {"bool": {"must": clauses}}
            if operator == "AND"
            else {"bool": {"should": clauses, "minimum_should_match": 1}}
        )
        if filters:
            text["bool"]["filter"] = filters
        aggs = {}
        for facet, field in FACET_FIELDS.items():
            aggs[facet] = {"terms": {"field": field, "size": FACET_SIZE}}
        aggs["township"]["aggs"] = {"name": {"terms": {"field": "township_name", "size": 1}}}
        return {
            "query": {
                "function_score": {
                    "query": text,
                    "functions": self._pieces(groups, operator, township),
                    "score_mode": "first",
                    "boost_mode": "sum",
                }
            },
            "from": max(0, min(offset, MAX_OFFSET)),
            "size": max(1, min(limit, MAX_LIMIT)),
            "track_total_hits": COUNT_CAP,
            "_source": {"excludes": ["suggest_keys", "suggest_text"]},
            "aggs": aggs,
        }

    def _facets(self, aggregations: dict) -> dict:
        """{facet: [(value, label, count)]}, most frequent first, as the embedded engine."""
        facets = {}
        for facet in FACETS:
            buckets = aggregations.get(facet, {}).get("buckets", [])
            names, counts = {}, {}
            for bucket in buckets:
                key = bucket.get("key")
                if facet == "township":
                    value = str(key or "") or COUNTY_KEY
                    label = bucket.get("name", {}).get("buckets", [])
                    if label:
                        names[value] = str(label[0].get("key", ""))
                elif facet == "online":
                    value = "1" if key in (1, True, "true", "1") else "0"
                else:
                    value = "" if key is None else str(key)
                counts[value] = counts.get(value, 0) + int(bucket.get("doc_count", 0))
            facets[facet] = [
                (value, facet_label(facet, value, names), n)
                for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                if value
            ]
        return facets

    def _hits(self, response: dict, terms: list[str]) -> list[Hit]:
        hits = []
        for raw in response.get("hits", {}).get("hits", []):
            doc = from_source(raw.get("_source") or {})
            score = float(raw.get("_score") or 0.0)
            relevance = score - math.floor(score / TIER) * TIER if score >= TIER else score
            snippet = make_snippet([doc.body, doc.middle, doc.name], terms)
            hits.append(Hit(document=doc, score=round(relevance, 6), snippet=snippet))
        return hits

    def _run(self, body: dict) -> dict | None:
        """The search response, or None when the index does not exist yet."""
        from elasticsearch import NotFoundError

        try:
            return self.client.search(index=self.alias, body=body).body
        except NotFoundError:
            return None

    def search(self, query: SearchQuery) -> SearchResults:
        analyzed = analysis.analyze_query(query.text)
        messages = list(analyzed.messages)
        limit = _int(query.limit, 10)
        limit = max(1, min(limit, MAX_LIMIT))
        offset = max(0, _int(query.offset, 0))
        if offset > MAX_OFFSET:
            messages.append(MSG_DEEP_PAGE % {"n": MAX_OFFSET})
            offset = MAX_OFFSET
        results = SearchResults(
            count=0, hits=[], did_you_mean=analyzed.corrected, messages=messages
        )
        groups = [list(g)[:MAX_ALTERNATIVES] for g in analyzed.groups[:MAX_GROUPS]]
        groups = [g for g in groups if _alternatives(g) != ([], [])]
        if analyzed.is_empty or not groups:
            return results
        filters = query.filters if isinstance(query.filters, dict) else {}
        filters = self._filter_clauses(filters, messages)

        def run(operator):
            body = self.search_body(groups, query.township, filters, operator, limit, offset)
            return self._run(body)

        operator = "AND"
        with self._guard("search"):
            response = run(operator)
            if response is None:
                messages.append(MSG_NO_INDEX)
                return results
            took = float(response.get("took") or 0)
            if self._total(response)[0] == 0 and len(groups) > 1:
                operator = "OR"
                response = run(operator) or {}
                took += float(response.get("took") or 0)
        count, relation = self._total(response)
        if operator == "OR" and count:
            messages.append(MSG_ANY_WORD)
        if count >= COUNT_CAP or relation == "gte":
            messages.append(MSG_COUNT_CAPPED % {"n": COUNT_CAP})
        if count:
            results.count = count
            results.hits = self._hits(response, analyzed.terms)
            results.facets = self._facets(response.get("aggregations") or {})
        results.took_ms = took
        return results

    @staticmethod
    def _total(response: dict) -> tuple[int, str]:
        total = response.get("hits", {}).get("total", {})
        if isinstance(total, dict):
            return int(total.get("value", 0)), total.get("relation", "eq")
        return int(total or 0), "eq"

    # --- SearchBackend: suggestions -----------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 8, township: str = "") -> list[Suggestion]:
        """Names of guides and items with a key starting with ``prefix``; the township's
        guides first, then county items, then names starting with it, shorter first."""
        limit = max(1, min(_int(limit, 8), MAX_SUGGESTIONS))
        words, compact, alternatives = typed_prefix(prefix, analysis)
        if not words:
            return []
        should = [{"prefix": {"suggest_keys": {"value": a}}} for a in alternatives]
        if len(words) > 1:  # several words typed: every word a prefix of some key
            should.append(
                {
                    "bool": {
                        "filter": [{"prefix": {"suggest_keys": {"value": w}}} for w in words[:6]]
                    }
                }
            )
        local_code = local_township(township)
        places = {"county": [_term("township_code", ""), _term("kind", ITEM)]}
        if local_code:
            places["local"] = [_term("township_code", local_code), _term("kind", GUIDE)]
        sub_aggs = {
            place: {
                "filter": {"bool": {"filter": clauses}},
                "aggs": {"doc": {"top_hits": {"size": 1, "_source": ["url"]}}},
            }
            for place, clauses in places.items()
        }
        sub_aggs["any"] = {"top_hits": {"size": 1, "_source": ["url"]}}
        body = {
            "size": 0,
            "query": {
                "bool": {
                    "filter": [
                        {"terms": {"kind": [GUIDE, ITEM]}},
                        {"bool": {"should": should, "minimum_should_match": 1}},
                    ]
                }
            },
            "aggs": {
                "texts": {
                    "terms": {"field": "suggest_text", "size": SUGGEST_CANDIDATES},
                    "aggs": sub_aggs,
                }
            },
        }
        with self._guard("suggest"):
            response = self._run(body)
        if response is None:
            return []

        def url(bucket, place):
            found = bucket.get(place, {})
            hits = (found.get("doc", found) if place != "any" else found).get("hits", {})
            if place != "any" and not found.get("doc_count"):
                return None
            first = hits.get("hits", [])
            return (first[0].get("_source") or {}).get("url", "") if first else ""

        candidates = []
        for bucket in response.get("aggregations", {}).get("texts", {}).get("buckets", []):
            name = str(bucket.get("key", ""))
            if not name:
                continue
            local = url(bucket, "local") if local_code else None
            county = url(bucket, "county")
            norm = analysis.normalize(name)
            order = (local is None, county is None, not norm.startswith(compact), len(norm), norm)
            if local is not None:
                suggestion = Suggestion(text=name, url=local, kind=GUIDE)
            elif county is not None:
                suggestion = Suggestion(text=name, url=county, kind=ITEM)
            else:
                suggestion = Suggestion(text=name, url=url(bucket, "any") or "", kind=GUIDE)
            candidates.append((order, suggestion))
        candidates.sort(key=lambda c: c[0])
        return [suggestion for _order, suggestion in candidates[:limit]]
