"""The Elasticsearch engine (``search.backends.elasticsearch``).

Not live-tested: the ``test_recorded_*`` tests run against recorded request and response bodies
(``tests/search/recordings/*.json``). The real ``elasticsearch`` client is used with a stand-in
node (an ``elastic_transport`` node class) that checks every request the client sends — method,
path with query string, JSON body (the lines of an NDJSON ``_bulk`` body) — against the
recording, in order, and answers with the recorded response. No Elasticsearch server can run on
the machines this was written on: the response bodies were written by hand after the
Elasticsearch 8 REST API reference, not captured from a server.

Most recorded tests use a small stand-in for the analysis pipeline (words split at spaces and
punctuation, pinyin from pypinyin) so the recordings do not change when the real pipeline's
dictionary or rules do; the ``test_recorded_*_real_pipeline`` tests run through the real
``search.analysis`` and check the requests structurally (only pipeline tokens, bounded sizes).

After a deliberate change to the requests, ``ES_RECORD=1`` rewrites the recorded requests (the
responses are kept): review the diff before committing it.

The live tests (``live_elasticsearch``) run only where ``ELASTICSEARCH_URL`` is set and fail when
that server cannot be reached (``tests/search/conftest.py`` deselects them otherwise).
"""

import contextlib
import datetime
import json
import os
import re
import socket
import types
import uuid
from pathlib import Path

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch
from elasticsearch_dsl import Search

from search import analysis as real_analysis
from search.analysis import AnalyzedQuery, normalize
from search.analysis.pinyin import full_pinyin, initials
from search.analysis.segment import Dictionary, reload_dictionary, set_dictionary
from search.backends import elasticsearch as es
from search.backends.common import MSG_ANY_WORD, MSG_BAD_FILTER, MSG_NO_INDEX
from search.backends.elasticsearch import ElasticsearchBackend, IndexingFailed, SearchUnavailable
from search.es_documents import index_body
from search.types import GUIDE, ITEM, SearchDocument, SearchQuery, SearchResults

RECORDINGS = Path(__file__).parent / "recordings"
RECORD = os.environ.get("ES_RECORD") == "1"
CLOCK = datetime.datetime(2025, 3, 1, 8, 9, 10, 123456, tzinfo=datetime.UTC)
NEW_INDEX = "bianmin-documents-20250301080910123456"
HOSTILE = 'AND NEAR( * : "'

# --------------------------------------------------------------------------- recordings


class Recording:
    """The exchanges of one recording, played in order.

    An exchange is ``{"request": {"method", "path", "body"}, "response": {"status", "body"}}``;
    a response may instead be ``{"raise": "message"}`` (a connection failure). An exchange with
    ``"match": "any"`` accepts any request (the real-pipeline tests check those themselves).
    """

    def __init__(self, name):
        self.path = RECORDINGS / f"{name}.json"
        self.data = json.loads(self.path.read_text(encoding="utf-8"))
        self.exchanges = self.data["exchanges"]
        self.position = 0
        self.requests = []

    def play(self, method, path, body):
        request = {"method": method, "path": path, "body": body}
        self.requests.append(request)
        assert self.position < len(self.exchanges), f"unrecorded request: {method} {path}"
        exchange = self.exchanges[self.position]
        self.position += 1
        if exchange.get("match") != "any":
            if RECORD:
                exchange["request"] = request
            else:
                assert request == exchange["request"], f"request {self.position} differs"
        return exchange["response"]

    def finish(self):
        if RECORD:
            text = json.dumps(self.data, ensure_ascii=False, indent=2) + "\n"
            self.path.write_text(text, encoding="utf-8")
        assert self.position == len(self.exchanges), "recorded requests were not sent"


def _decode(path, body):
    if not body:
        return None
    text = body.decode("utf-8")
    if path.split("?")[0].endswith("/_bulk"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def recorded_client(recording):
    class RecordedNode(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            response = recording.play(method, target, _decode(target, body))
            if "raise" in response:
                raise TransportConnectionError(response["raise"])
            raw = b"" if response.get("body") is None else json.dumps(response["body"]).encode()
            meta = ApiResponseMeta(
                status=response.get("status", 200),
                http_version="1.1",
                headers=HttpHeaders(
                    {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
                ),
                duration=0.0,
                node=self.config,
            )
            return NodeApiResponse(meta, raw)

    return Elasticsearch("http://recorded.invalid:9200", node_class=RecordedNode, max_retries=0)


# --------------------------------------------------------------------------- analysis stand-in

_WORD = re.compile(r"[^\W_]+")
SYNONYMS = {"户口": ["户籍"], "低保": ["最低生活保障"]}


def _words(text):
    return list(dict.fromkeys(_WORD.findall(normalize(text))))


def _name_tokens(text):
    words = _words(text)
    keys = [k for w in words for k in (full_pinyin(w), initials(w)) if k]
    return list(dict.fromkeys(words + keys))


def _analyze_query(text):
    result = AnalyzedQuery(original=str(text or ""))
    result.normalized = normalize(text)[:100]
    result.groups = [[w, *SYNONYMS.get(w, [])] for w in _words(result.normalized)[:12]]
    if not result.groups:
        result.messages.append("请输入要查找的事项名称或问题。")
    return result


STAND_IN = types.SimpleNamespace(
    normalize=normalize,
    index_tokens=_words,
    name_tokens=_name_tokens,
    analyze_query=_analyze_query,
)


@pytest.fixture
def recorded(monkeypatch):
    """``recorded(name)`` → (engine, recording) with the analysis stand-in and a fixed clock."""
    monkeypatch.setattr(es, "analysis", STAND_IN)
    opened = []

    def open_recording(name):
        recording = Recording(name)
        opened.append(recording)
        engine = ElasticsearchBackend(
            prefix="bianmin", client=recorded_client(recording), clock=lambda: CLOCK
        )
        return engine, recording

    yield open_recording
    for recording in opened:
        recording.finish()


@pytest.fixture
def real_pipeline():
    """The real analysis pipeline with a small fixed dictionary (no database)."""
    dictionary = Dictionary(
        names=["居民身份证办理", "最低生活保障金给付", "城乡居民基本医疗保险参保登记"],
        synonyms=[("低保", "最低生活保障")],
        places=["官盛镇", "协兴镇"],
    )
    dictionary.checked_at = float("inf")  # never look at the database for changes
    set_dictionary(dictionary)
    yield dictionary
    reload_dictionary()


# --------------------------------------------------------------------------- documents


def documents():
    return [
        SearchDocument(
            id="guide:1",
            kind=GUIDE,
            title="居民身份证办理",
            url="/guansheng/juminshenfenzheng/",
            name="居民身份证 办理",
            middle="户口簿 照片",
            body="在 官盛镇 便民服务中心 办理",
            item_id=7,
            item_name="居民身份证办理",
            item_code="11511602MB1234567X4000101001",
            township_code="511602101",
            township_name="官盛镇",
            department="广安区公安分局",
            item_type="20",
            handling_class="immediate",
            online=True,
        ),
        SearchDocument(
            id="item:7",
            kind=ITEM,
            title="居民身份证办理",
            url="/shixiang/7/",
            name="居民身份证 办理",
            middle="户口簿",
            item_id=7,
            item_name="居民身份证办理",
            item_code="11511602MB1234567X4000101001",
            department="广安区公安分局",
            item_type="20",
            handling_class="promised",
        ),
        SearchDocument(
            id="guide:2",
            kind=GUIDE,
            title="最低生活保障金给付",
            url="/xiexing/dibao/",
            name="最低生活保障 给付",
            middle="户口簿 收入证明",
            body="协兴镇 民政办",
            item_id=9,
            item_name="最低生活保障金给付",
            township_code="511602102",
            township_name="协兴镇",
            department="广安区民政局",
            item_type="05",
            handling_class="promised",
        ),
    ]


# --------------------------------------------------------------------------- recorded: writing


def test_recorded_rebuild_switches_the_alias_in_one_request(recorded, monkeypatch):
    """Leftover of a crashed rebuild deleted; new index created with the mapping and the
    rebuilding alias; bulk-loaded in chunks (progress after each); refreshed; the alias moved
    from the old index to the new one in ONE _aliases request; the old index deleted."""
    monkeypatch.setattr(es, "CHUNK_SIZE", 2)
    engine, recording = recorded("rebuild")
    progress = []

    written = engine.rebuild(iter(documents()), total=3, progress=progress.append)

    assert written == 3  # guide:2 had been written by index() meanwhile (409): newer, kept
    assert progress == [2, 3]
    methods = [(r["method"], r["path"].split("?")[0]) for r in recording.requests]
    assert methods == [
        ("GET", "/bianmin-documents-*/_alias"),
        ("DELETE", "/bianmin-documents-20250228000000000000"),
        ("PUT", f"/{NEW_INDEX}"),
        ("PUT", "/bianmin-documents-rebuilding/_bulk"),
        ("PUT", "/bianmin-documents-rebuilding/_bulk"),
        ("POST", f"/{NEW_INDEX}/_refresh"),
        ("GET", "/bianmin-documents-*/_alias"),
        ("POST", "/_aliases"),
        ("DELETE", "/bianmin-documents-20250101000000000000"),
    ]
    create = recording.requests[2]["body"]
    assert create == {
        **index_body(NEW_INDEX),
        "aliases": {"bianmin-documents-rebuilding": {"is_write_index": True}},
    }
    mapping = create["mappings"]["properties"]
    for field in ("name_tokens", "middle_tokens", "body_tokens", "suggest_keys"):
        assert mapping[field]["type"] == "text"
        assert mapping[field]["analyzer"] == "whitespace"
    for field in ("id", "kind", "township_code", "department", "item_type", "handling_class"):
        assert mapping[field]["type"] == "keyword"
    assert mapping["online"]["type"] == "boolean"
    assert create["mappings"]["dynamic"] == "strict"
    switch = recording.requests[7]["body"]
    assert switch == {
        "actions": [
            {
                "remove": {
                    "index": "bianmin-documents-20250101000000000000",
                    "alias": "bianmin-documents",
                }
            },
            {"remove": {"index": NEW_INDEX, "alias": "bianmin-documents-rebuilding"}},
            {"add": {"index": NEW_INDEX, "alias": "bianmin-documents"}},
        ]
    }


def test_recorded_rebuild_documents_hold_pipeline_tokens(recorded, monkeypatch):
    monkeypatch.setattr(es, "CHUNK_SIZE", 2)
    engine, recording = recorded("rebuild")
    engine.rebuild(documents())
    bulk = recording.requests[3]["body"]
    assert bulk[0] == {"create": {"_id": "guide:1"}}
    source = bulk[1]
    assert source["name_tokens"] == "居民身份证 办理 juminshenfenzheng jmsfz banli bl"
    assert source["middle_tokens"] == "户口簿 照片"
    assert source["body_tokens"] == "在 官盛镇 便民服务中心 办理"
    # suggestion keys of the suggestion text (the item name): compact name and its tokens
    assert source["suggest_text"] == "居民身份证办理"
    assert source["suggest_keys"].split()[:3] == [
        "居民身份证办理",
        "juminshenfenzhengbanli",
        "jmsfzbl",
    ]
    assert source["online"] is True and source["township_code"] == "511602101"


def test_recorded_rebuild_failure_keeps_the_old_index(recorded):
    """A refused document: the new index is deleted, the alias never moved."""
    engine, recording = recorded("rebuild_failure")
    with pytest.raises(IndexingFailed, match="guide:1"):
        engine.rebuild(documents()[:1])
    assert [r["method"] for r in recording.requests] == ["GET", "PUT", "PUT", "DELETE"]
    assert recording.requests[-1]["path"].startswith(f"/{NEW_INDEX}?")
    assert not any(r["path"] == "/_aliases" for r in recording.requests)


def test_recorded_index_creates_the_first_index_behind_the_alias(recorded):
    engine, recording = recorded("index_first")
    assert engine.index(documents()[:2]) == 2
    create = recording.requests[1]
    assert create["path"] == "/bianmin-documents-initial"
    assert create["body"]["aliases"] == {"bianmin-documents": {}}
    bulk = recording.requests[2]
    assert bulk["path"] == "/bianmin-documents/_bulk?require_alias=true"
    assert [line for line in bulk["body"] if "index" in line] == [
        {"index": {"_id": "guide:1"}},
        {"index": {"_id": "item:7"}},
    ]


def test_recorded_index_and_delete_during_a_rebuild_write_both_indices(recorded):
    engine, recording = recorded("index_during_rebuild")
    assert engine.index(documents()[2:]) == 1
    assert engine.delete(["guide:1", "guide:404", "guide:1"]) == 1  # 404: not there, no error
    paths = [r["path"] for r in recording.requests]
    assert paths == [
        "/bianmin-documents-*/_alias",
        "/bianmin-documents/_bulk?require_alias=true",
        "/bianmin-documents-rebuilding/_bulk?require_alias=true",
        "/bianmin-documents-*/_alias",
        "/bianmin-documents/_bulk?require_alias=true",
        "/bianmin-documents-rebuilding/_bulk?require_alias=true",
    ]
    assert recording.requests[4]["body"] == [
        {"delete": {"_id": "guide:1"}},
        {"delete": {"_id": "guide:404"}},
    ]


def test_recorded_delete_without_an_index_sends_nothing_more(recorded):
    engine, recording = recorded("delete_no_index")
    assert engine.delete(["guide:1"]) == 0
    assert engine.delete([]) == 0
    assert len(recording.requests) == 1


def test_recorded_count(recorded):
    engine, _recording = recorded("count")
    assert engine.count() == 3
    assert engine.count() == 0  # no index yet


# --------------------------------------------------------------------------- recorded: search


def test_recorded_search_with_filters_facets_and_locality(recorded):
    engine, recording = recorded("search")
    query = SearchQuery(
        text="身份证 户口",
        township="511602101",
        filters={"department": "广安区公安分局", "item_type": "20", "colour": "red"},
        limit=5,
        offset=0,
    )
    results = engine.search(query)

    body = recording.requests[0]["body"]
    assert recording.requests[0]["path"] == "/bianmin-documents/_search"
    function_score = body["query"]["function_score"]
    # every query word a group; each alternative a token of combined_fields, weighted fields
    must = function_score["query"]["bool"]["must"]
    assert [c["bool"]["should"][0]["combined_fields"]["query"] for c in must] == [
        "身份证",
        "户口 户籍",
    ]
    assert must[0]["bool"]["should"][0]["combined_fields"]["fields"] == [
        "name_tokens^10",
        "middle_tokens^3",
        "body_tokens^1",
    ]
    assert function_score["query"]["bool"]["filter"] == [
        {"term": {"department": "广安区公安分局"}},
        {"term": {"item_type": "20"}},
    ]
    # locality pieces: the township's name matches first … other townships' body matches last
    functions = function_score["functions"]
    assert [f["weight"] for f in functions] == [es.TIER * n for n in range(9, 0, -1)]
    assert functions[0]["filter"]["bool"]["filter"][1] == {"term": {"township_code": "511602101"}}
    assert functions[1]["filter"]["bool"]["filter"][1] == {"term": {"township_code": ""}}
    assert "filter" not in functions[-1]
    assert function_score["score_mode"] == "first" and function_score["boost_mode"] == "sum"
    assert body["size"] == 5 and body["from"] == 0
    assert set(body["aggs"]) == {
        "township",
        "department",
        "item_type",
        "handling_class",
        "online",
        "kind",
    }
    assert not _keys(body) & FORBIDDEN

    # the response, parsed
    assert isinstance(results, SearchResults)
    assert results.count == 2
    assert results.took_ms == 7.0
    assert [h.document.id for h in results.hits] == ["guide:1", "item:7"]
    first = results.hits[0]
    assert first.score == pytest.approx(12.5)  # the piece's weight taken off
    assert first.document.township_name == "官盛镇" and first.document.online is True
    assert first.document.item_id == 7
    assert "<mark>户口</mark>" in first.snippet
    assert results.hits[1].score == pytest.approx(10.25)
    assert results.facets["township"] == [("511602101", "官盛镇", 1), ("county", "区级事项", 1)]
    assert results.facets["online"] == [("0", "不可网办", 1), ("1", "可网办", 1)]
    assert results.facets["item_type"] == [("20", "公共服务", 2)]
    assert results.facets["handling_class"] == [
        ("immediate", "即办件", 1),
        ("promised", "承诺件", 1),
    ]
    assert results.facets["kind"] == [("guide", "办事指南", 1), ("item", "服务事项", 1)]
    assert results.facets["department"] == [("广安区公安分局", "广安区公安分局", 2)]
    assert results.messages == [MSG_BAD_FILTER % {"names": "colour"}]


def test_recorded_search_falls_back_to_any_word(recorded):
    """No document has every word: searched again with any word, and told so."""
    engine, recording = recorded("search_fallback")
    query = SearchQuery(
        text="低保 拖拉机", filters={"online": "false", "kind": "guide"}, offset=5000, limit=500
    )
    results = engine.search(query)
    first, second = (r["body"] for r in recording.requests)
    assert first["query"]["function_score"]["query"]["bool"]["filter"] == [
        {"term": {"online": False}},
        {"term": {"kind": "guide"}},
    ]
    assert "must" in first["query"]["function_score"]["query"]["bool"]
    assert second["query"]["function_score"]["query"]["bool"]["minimum_should_match"] == 1
    assert first["size"] == 50 and first["from"] == 1000  # bounded
    # without a township: county items first (6 pieces)
    assert len(first["query"]["function_score"]["functions"]) == 6
    assert results.count == 1
    assert results.hits[0].document.id == "guide:2"
    assert results.took_ms == 5.0
    assert MSG_ANY_WORD in results.messages
    assert any("1000" in m for m in results.messages)  # deep page


def test_recorded_search_without_an_index(recorded):
    engine, _recording = recorded("search_no_index")
    results = engine.search(SearchQuery(text="身份证"))
    assert results.count == 0 and results.hits == []
    assert MSG_NO_INDEX in results.messages


def test_recorded_empty_query_sends_nothing(recorded):
    engine, recording = recorded("none")
    for text in ("", "   ", None, "*:*()"):
        results = engine.search(SearchQuery(text=text))
        assert results.count == 0 and results.messages
    assert engine.suggest("") == [] and engine.suggest("  ,,, ") == []
    assert recording.requests == []


def test_recorded_search_body_is_valid_dsl(recorded):
    """The body survives elasticsearch-dsl's parser unchanged (known query and agg types)."""
    engine, _recording = recorded("none")
    body = engine.search_body(
        [["身份证"], ["户口", "户籍", "户口(簿)"]], "511602101", [], "AND", 10, 0
    )
    assert Search.from_dict(body).to_dict() == body
    body = engine.search_body([["身份证"]], "", [{"term": {"online": False}}], "OR", 10, 20)
    assert Search.from_dict(body).to_dict() == body


def test_recorded_alternative_with_punctuation_matches_all_its_words():
    clause = es._scoring_clause(["户口", "居民身份证（临时）"])
    should = clause["bool"]["should"]
    assert should[0]["combined_fields"]["query"] == "户口"
    assert should[1]["combined_fields"]["query"] == "居民身份证 临时"
    assert should[1]["combined_fields"]["operator"] == "and"


# --------------------------------------------------------------------------- recorded: suggest


def test_recorded_suggest_locality_first(recorded):
    engine, recording = recorded("suggest")
    suggestions = engine.suggest("身份", limit=5, township="511602101")
    assert [(s.text, s.url, s.kind) for s in suggestions] == [
        ("居民身份证办理", "/guansheng/juminshenfenzheng/", GUIDE),  # the township's guide
        ("身份证挂失", "/shixiang/8/", ITEM),  # county items; starting with the prefix first
        ("补领身份证", "/shixiang/9/", ITEM),
        ("身份证明开具", "/xiexing/shenfenzhengming/", GUIDE),  # another township's guide
    ]
    body = recording.requests[0]["body"]
    assert body["query"]["bool"]["filter"][1]["bool"]["should"] == [
        {"prefix": {"suggest_keys": {"value": "身份"}}}
    ]
    assert body["size"] == 0
    assert body["aggs"]["texts"]["terms"]["size"] == 200

    # typed pinyin in several words: the compact key, or every word a key's prefix
    assert engine.suggest("Shen Fen", limit=50) == []
    should = recording.requests[1]["body"]["query"]["bool"]["filter"][1]["bool"]["should"]
    assert should == [
        {"prefix": {"suggest_keys": {"value": "shenfen"}}},
        {
            "bool": {
                "filter": [
                    {"prefix": {"suggest_keys": {"value": "shen"}}},
                    {"prefix": {"suggest_keys": {"value": "fen"}}},
                ]
            }
        },
    ]
    assert "local" not in recording.requests[1]["body"]["aggs"]["texts"]["aggs"]


# --------------------------------------------------------------------------- recorded: errors


def test_recorded_connection_failure_raises_search_unavailable(recorded):
    engine, _recording = recorded("connection_refused")
    with pytest.raises(SearchUnavailable, match="search failed"):
        engine.search(SearchQuery(text="身份证"))
    with pytest.raises(SearchUnavailable):
        engine.suggest("身份")
    with pytest.raises(SearchUnavailable):
        engine.index(documents())
    with pytest.raises(SearchUnavailable):
        engine.count()


def test_recorded_unreachable_server_raises_search_unavailable(settings):
    """The engine's own client against a closed local port (no server, no network)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    engine = ElasticsearchBackend()
    with pytest.raises(SearchUnavailable):
        engine.count()
    with pytest.raises(SearchUnavailable):
        engine.rebuild(documents())
    engine.close()


def test_recorded_no_url_raises_search_unavailable(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(SearchUnavailable, match="ELASTICSEARCH_URL"):
        ElasticsearchBackend().count()


def test_recorded_settings_read_lazily(settings):
    settings.ELASTICSEARCH_URL = "http://search.example:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "guangan"
    engine = ElasticsearchBackend()
    assert engine.alias == "guangan-documents"
    assert engine.rebuilding_alias == "guangan-documents-rebuilding"
    assert engine.url == "http://search.example:9200"
    del settings.ELASTICSEARCH_INDEX_PREFIX
    assert ElasticsearchBackend().prefix == "bianmin"


# --------------------------------------------------------------------------- real pipeline

HOSTILE_QUERIES = [
    HOSTILE,
    '身份证" OR 1=1 --',
    '{"query": {"match_all": {}}}',
    "*:*",
    "低保 AND NOT 户口",
    "\x00\u202e低保\ufeff",
    "<script>alert(1)</script>身份证",
    "身份证" * 500,
    "身份证 " * 300,
    "a" * 10_000,
    "户口(簿) [临时] {x} ~2 ^3 name_tokens:低保",
]

TOKEN_FIELDS = {"name_tokens", "middle_tokens", "body_tokens", "suggest_keys"}


FORBIDDEN = {
    "query_string",
    "simple_query_string",
    "script",
    "script_score",
    "regexp",
    "wildcard",
    "fuzzy",
    "match_phrase_prefix",
}


def _keys(node, found=None):
    """Every dict key anywhere in ``node``."""
    found = set() if found is None else found
    if isinstance(node, dict):
        found.update(node)
        for value in node.values():
            _keys(value, found)
    elif isinstance(node, list):
        for item in node:
            _keys(item, found)
    return found


def _leaves(node, found):
    """(field, value) of every term, terms, prefix and combined_fields query in ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("term", "prefix"):
                ((field, inner),) = value.items()
                found.append((field, inner["value"] if isinstance(inner, dict) else inner))
            elif key == "terms" and isinstance(value, dict) and "field" not in value:
                ((field, inner),) = value.items()
                found += [(field, v) for v in inner]
            elif key == "combined_fields":
                found += [("combined_fields", w) for w in value["query"].split(" ")]
            else:
                _leaves(value, found)
    elif isinstance(node, list):
        for item in node:
            _leaves(item, found)
    return found


def test_recorded_hostile_input_real_pipeline(real_pipeline):
    """Through the real pipeline: only its tokens reach Elasticsearch, as terms; sizes bounded;
    never an exception."""
    recording = types.SimpleNamespace(requests=[])
    empty = {"took": 1, "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}

    class Node(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            recording.requests.append({"path": target, "body": _decode(target, body)})
            meta = ApiResponseMeta(
                200,
                "1.1",
                HttpHeaders(
                    {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
                ),
                0.0,
                self.config,
            )
            return NodeApiResponse(meta, json.dumps(empty).encode())

    engine = ElasticsearchBackend(
        client=Elasticsearch("http://x.invalid:9200", node_class=Node), prefix="bianmin"
    )
    hostile_filters = {"township": "' OR 1=1", "online": "maybe", "kind": {"$ne": 1}, "x" * 500: 1}
    for text in HOSTILE_QUERIES:
        recording.requests.clear()
        analyzed = real_analysis.analyze_query(text)
        tokens = {p for g in analyzed.groups for t in g for p in re.findall(r"[^\W_]+", t.lower())}
        results = engine.search(
            SearchQuery(
                text=text, township="5116'; DROP", filters=hostile_filters, limit=10**9, offset=-3
            )
        )
        assert isinstance(results, SearchResults) and results.hits == []
        assert results.messages  # what the pipeline or the filters could not do
        for request in recording.requests:
            body = request["body"]
            dumped = json.dumps(body, ensure_ascii=False)
            assert not _keys(body) & FORBIDDEN, text
            if len(text) > 3:
                assert text not in dumped
            assert HOSTILE not in dumped and "1=1" not in dumped
            assert body["size"] <= 50 and 0 <= body["from"] <= 1000
            for field, value in _leaves(body["query"], []):
                if field in TOKEN_FIELDS or field == "combined_fields":
                    assert value in tokens, (text, value)
                else:  # keyword filters: locality only (the hostile filters were refused)
                    assert (field, value) == ("township_code", ""), (text, field, value)
            scoring = body["query"]["function_score"]["query"]["bool"]
            groups = scoring.get("must") or scoring.get("should")
            assert len(groups) <= 12
            for group in groups:
                for clause in group["bool"]["should"]:
                    assert len(clause["combined_fields"]["query"].split(" ")) <= 20
    # suggestions: hostile prefixes never raise and send only their words as prefixes
    for text in HOSTILE_QUERIES:
        recording.requests.clear()
        assert engine.suggest(text, limit=10**6, township="' OR 1=1") == []
        for request in recording.requests:
            dumped = json.dumps(request["body"], ensure_ascii=False)
            assert HOSTILE not in dumped and "1=1" not in dumped
            assert not _keys(request["body"]) & FORBIDDEN
            for field, value in _leaves(request["body"]["query"], []):
                assert field in ("suggest_keys", "kind"), field
                assert len(value) <= 30


def test_recorded_documents_real_pipeline(real_pipeline):
    """Indexed documents carry the real pipeline's tokens, pinyin included, space-joined."""
    doc = documents()[0]
    source = es.document_source(doc)
    assert source["name_tokens"].split() == real_analysis.name_tokens(doc.name)
    assert "shenfenzheng" in source["name_tokens"].split()
    assert source["body_tokens"].split() == real_analysis.index_tokens(doc.body)
    keys = source["suggest_keys"].split()
    assert keys[0] == "居民身份证办理" and "jmsfzbl" in keys and "身份证" in keys
    # a query's tokens are the ones the document was indexed with
    analyzed = real_analysis.analyze_query("身份证怎么办理")
    assert any(t in source["name_tokens"].split() for t in analyzed.groups[0])


# --------------------------------------------------------------------------- live


@pytest.fixture
def live_engine(real_pipeline):
    """An engine on ELASTICSEARCH_URL under a unique prefix; its indices deleted afterwards."""
    engine = ElasticsearchBackend(
        url=os.environ["ELASTICSEARCH_URL"], prefix=f"bianmin-test-{uuid.uuid4().hex[:10]}"
    )
    yield engine
    # cleanup; an unreachable server already failed the test, don't add an error for it
    with contextlib.suppress(TransportConnectionError):
        engine.client.indices.delete(index=f"{engine.alias}-*", ignore_unavailable=True)
    engine.close()


@pytest.mark.live_elasticsearch
def test_live_round_trip(live_engine):
    engine = live_engine
    progress = []
    assert engine.rebuild(documents(), total=3, progress=progress.append) == 3
    assert progress == [3]
    assert engine.count() == 3

    results = engine.search(SearchQuery(text="身份证", township="511602101"))
    assert [h.document.id for h in results.hits] == ["guide:1", "item:7"]
    assert results.hits[0].score > 0 and results.took_ms >= 0
    assert {v: n for v, _label, n in results.facets["kind"]} == {"guide": 1, "item": 1}
    assert ("county", "区级事项", 1) in results.facets["township"]

    filtered = engine.search(SearchQuery(text="身份证", filters={"online": "1"}))
    assert [h.document.id for h in filtered.hits] == ["guide:1"]

    assert engine.search(SearchQuery(text="低保")).hits[0].document.id == "guide:2"
    assert engine.search(SearchQuery(text=HOSTILE)).hits == []

    suggestions = engine.suggest("jmsf", township="511602101")
    assert suggestions and suggestions[0].text == "居民身份证办理"
    assert suggestions[0].url == "/guansheng/juminshenfenzheng/"

    # a second rebuild replaces the index behind the alias; nothing left behind
    engine.rebuild(documents()[:2])
    live, rebuilding = engine._state()
    assert len(live) == 1 and rebuilding == []
    engine.client.indices.refresh(index=engine.alias)
    assert engine.count() == 2

    assert engine.delete(["item:7", "guide:404"]) == 1
    engine.client.indices.refresh(index=engine.alias)
    assert engine.count() == 1
    assert engine.index([documents()[2]]) == 1
    engine.client.indices.refresh(index=engine.alias)
    assert engine.count() == 2
