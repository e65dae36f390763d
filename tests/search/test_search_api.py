"""The search API: GET /api/v1/search and /api/v1/search/suggest — shapes, limits, hostile input.

Shapes and parameter handling run against a stand-in service; the journeys at the end run
through the real service and the embedded engine, fed by the live index.
"""

import sys

import pytest

from guides import factories
from search.types import GUIDE, ITEM, Hit, SearchDocument, SearchResults, Suggestion

pytestmark = pytest.mark.django_db

API = "/api/v1"

HOSTILE = [
    "",
    "   \t  ",
    "低保" * 5000,
    "低\x00保\x1b[31m\x07",
    '"低保',
    "'低保'",
    "*",
    "NEAR(",
    "低保 AND 户口",
    "AND",
    ":",
    "(",
    ")",
    "'; DROP TABLE guides_serviceitem; --",
    "<script>alert(1)</script>",
]


def get_json(client, path, status=200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, response.content
    return response.json()


class FakeService:
    def __init__(self):
        self.results = SearchResults(count=0, hits=[])
        self.suggestions = []
        self.queries = []
        self.suggested = []
        self.error = None

    def search(self, query):
        self.queries.append(query)
        if self.error:
            raise self.error
        return self.results

    def suggest(self, text, township="", limit=8):
        self.suggested.append((text, township, limit))
        if self.error:
            raise self.error
        return self.suggestions[:limit]


@pytest.fixture
def fake(monkeypatch):
    import search

    service = FakeService()
    monkeypatch.setitem(sys.modules, "search.service", service)
    monkeypatch.setattr(search, "service", service, raising=False)
    return service


@pytest.fixture
def answered(fake):
    document = SearchDocument(
        id="guide:7",
        kind=GUIDE,
        title="最低生活保障审核确认",
        url="/guanshengzhen/zuidishenghuobaozhang/",
        name="最低生活保障审核确认",
        item_name="最低生活保障审核确认",
        item_code="512B0003600029",
        township_code="511602101",
        township_name="官盛镇",
    )
    fake.results = SearchResults(
        count=31,
        hits=[Hit(document, 12.345678, "申请<mark>低保</mark>", best_bet=True)],
        facets={
            "township": [("511602101", "官盛镇", 20), ("", "区级事项", 11)],
            "online": [(True, "可网上办理", 3)],
        },
        took_ms=4.567,
        did_you_mean="低保",
        messages=["已按“低保”搜索。"],
    )
    return fake


# ---------------------------------------------------------------- shapes


def test_search_answers_the_documented_shape(client, answered):
    data = get_json(client, "/search", q="低包", township="511602101")
    assert set(data) == {"count", "results", "facets", "took_ms", "did_you_mean", "messages"}
    assert data["count"] == 31 and data["took_ms"] == 4.57
    assert data["did_you_mean"] == "低保" and data["messages"] == ["已按“低保”搜索。"]
    assert data["results"] == [
        {
            "title": "最低生活保障审核确认",
            "item_name": "最低生活保障审核确认",
            "item_code": "512B0003600029",
            "township_code": "511602101",
            "url": "/guanshengzhen/zuidishenghuobaozhang/",
            "snippet": "申请<mark>低保</mark>",
            "score": 12.3457,
            "kind": "guide",
            "township_name": "官盛镇",
            "best_bet": True,
        }
    ]
    assert data["facets"] == {
        "township": [
            {"value": "511602101", "label": "官盛镇", "count": 20},
            {"value": "", "label": "区级事项", "count": 11},
        ],
        "online": [{"value": "1", "label": "可网上办理", "count": 3}],
    }
    query = answered.queries[-1]
    assert (query.text, query.township, query.limit, query.offset) == ("低包", "511602101", 10, 0)


def test_suggest_answers_the_documented_shape(client, fake):
    fake.suggestions = [
        Suggestion("最低生活保障审核确认", "/items/3/", ITEM),
        Suggestion("残疾人证新办", "", GUIDE),
    ]
    data = get_json(client, "/search/suggest", q="dib", township="511602101")
    assert data == {
        "suggestions": [
            {"text": "最低生活保障审核确认", "url": "/items/3/", "kind": "item"},
            {"text": "残疾人证新办", "url": "", "kind": "guide"},
        ]
    }
    assert fake.suggested == [("dib", "511602101", 8)]


def test_openapi_lists_search(client):
    schema = get_json(client, "/openapi.json")
    assert API + "/search" in schema["paths"] and API + "/search/suggest" in schema["paths"]
    params = {p["name"] for p in schema["paths"][API + "/search"]["get"]["parameters"]}
    assert {"q", "township", "limit", "offset", "in_township", "department", "item_type"} <= params
    assert {"handling_class", "online", "kind"} <= params


def test_chinese_stays_readable(client, answered):
    response = client.get(API + "/search", {"q": "低保"})
    assert "官盛镇".encode() in response.content and b"\\u" not in response.content


# ---------------------------------------------------------------- parameters


def test_filters_are_passed_as_facet_filters(client, fake):
    get_json(
        client,
        "/search",
        q="低保",
        in_township="511602102",
        department="广安区民政局",
        item_type="05",
        handling_class="promised",
        online="1",
        kind="guide",
        limit=50,
        offset=1000,
    )
    query = fake.queries[-1]
    assert query.filters == {
        "township": "511602102",
        "department": "广安区民政局",
        "item_type": "05",
        "handling_class": "promised",
        "online": "1",
        "kind": "guide",
    }
    assert (query.township, query.limit, query.offset) == ("", 50, 1000)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 51},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": 1001},
        {"township": "5116"},
        {"township": "'; DROP"},
        {"in_township": "1" * 101},
        {"department": "x" * 101},
    ],
)
def test_out_of_range_parameters_are_a_422(client, fake, params):
    data = get_json(client, "/search", status=422, q="低保", **params)
    assert data["detail"][0]["loc"][0] == "query"
    assert fake.queries == []


def test_blank_township_means_none(client, fake):
    get_json(client, "/search", q="低保", township="", in_township="")
    assert fake.queries[-1].township == "" and fake.queries[-1].filters == {}


def test_engine_failure_is_a_503(client, fake, caplog):
    fake.error = RuntimeError("index is gone")
    assert "搜索暂时无法使用" in get_json(client, "/search", status=503, q="低保")["detail"]
    assert "搜索暂时无法使用" in get_json(client, "/search/suggest", status=503, q="d")["detail"]
    assert "Search failed" in caplog.text


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_reach_the_service_whole_with_the_stand_in(client, fake, q):
    get_json(client, "/search", q=q)
    get_json(client, "/search/suggest", q=q)
    assert fake.queries[-1].text == q  # the service caps it and says so


# ---------------------------------------------------------------- through the real engine


@pytest.fixture
def engine(settings, tmp_path):
    """The real service on the embedded engine, in a fresh directory; publishing fills it."""
    from search.backends import get_backend, reset_backend

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.ELASTICSEARCH_URL = ""
    reset_backend()
    yield get_backend()
    reset_backend()


@pytest.fixture
def published(engine, township, other_township):
    item = factories.ServiceItemFactory(
        name="最低生活保障审核确认", department=factories.DepartmentFactory(name="广安区民政局")
    )
    here = factories.ServiceGuidePageFactory(parent=township, item=item)
    there = factories.ServiceGuidePageFactory(parent=other_township, item=item)
    return {"item": item, "here": here, "there": there}


def test_search_through_the_engine(client, published):
    data = get_json(client, "/search", q="最低生活保障", township="511602101")
    assert data["count"] == 3
    first = data["results"][0]
    assert first["url"] == published["here"].url and first["township_code"] == "511602101"
    assert first["item_name"] == "最低生活保障审核确认"
    assert first["item_code"] == published["item"].code
    assert "<mark>最低生活保障</mark>" in first["snippet"]
    assert {r["kind"] for r in data["results"]} == {"guide", "item"}
    townships = {f["value"]: f["count"] for f in data["facets"]["township"]}
    assert townships["511602101"] == 1 and townships["511602102"] == 1
    county = next(
        f["value"] for f in data["facets"]["township"] if f["count"] and not f["value"].isdigit()
    )
    only_county = get_json(client, "/search", q="最低生活保障", in_township=county)
    assert [r["kind"] for r in only_county["results"]] == ["item"]
    paged = get_json(client, "/search", q="最低生活保障", limit=1, offset=1)
    assert paged["count"] == 3 and len(paged["results"]) == 1


def test_suggest_through_the_engine(client, published):
    data = get_json(client, "/search/suggest", q="zuidi", township="511602101")
    assert data["suggestions"][0]["text"] == "最低生活保障审核确认"
    assert data["suggestions"][0]["url"] == published["here"].url
    assert get_json(client, "/search/suggest", q="")["suggestions"] == []


def test_hostile_queries_through_the_engine(client, published):
    for q in HOSTILE:
        data = get_json(client, "/search", q=q, township="511602101")
        assert set(data) >= {"count", "results", "facets", "took_ms"}, q[:30]
        assert data["count"] == 0 or data["results"], q[:30]
        if not data["results"]:
            assert data["messages"] or q in ("AND", ")"), q[:30]
        assert "<script>" not in str(data["results"]), q[:30]
        assert "suggestions" in get_json(client, "/search/suggest", q=q)


def test_an_empty_query_says_what_to_do(client, published):
    data = get_json(client, "/search", q="   ")
    assert data["count"] == 0 and data["results"] == [] and data["messages"]
