"""The search page at /search/: results, facets, snippets, suggestions, empty state, hostile input.

The display details run against a stand-in service (exact results, no engine); the journeys at
the end run through the real service and the embedded engine, fed by the live index.
"""

import re
import sys

import pytest
from bs4 import BeautifulSoup

from guides import factories
from search.types import GUIDE, ITEM, NOTICE, Hit, SearchDocument, SearchResults, Suggestion

pytestmark = pytest.mark.django_db

URL = "/search/"

HOSTILE = [
    "",
    "   \t  ",
    "低保" * 5000,
    "低\x00保\x1b[31m\x07",
    '"低保',
    "'低保'",
    "*",
    "低*",
    "NEAR(",
    "低保 AND 户口",
    "AND",
    ":",
    "title:低保",
    "(",
    "((((低保",
    ")",
    "'; DROP TABLE guides_serviceitem; --",
    "<script>alert(1)</script>",
]


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node):
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True))


def link_with(node, text):
    return next(a for a in node.find_all("a") if text in a.get_text())


# ---------------------------------------------------------------- a stand-in service


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
        return self.suggestions[:limit]


@pytest.fixture
def fake(monkeypatch):
    import search

    service = FakeService()
    monkeypatch.setitem(sys.modules, "search.service", service)
    monkeypatch.setattr(search, "service", service, raising=False)
    return service


def doc(n, **kwargs):
    values = {
        "id": f"guide:{n}",
        "kind": GUIDE,
        "title": "最低生活保障审核确认",
        "url": f"/guanshengzhen/guide-{n}/",
        "name": "最低生活保障审核确认",
        "item_name": "最低生活保障审核确认",
        "item_code": f"ITEM{n}",
        "township_code": "511602101",
        "township_name": "官盛镇",
    }
    values.update(kwargs)
    return SearchDocument(**values)


FACETS = {
    "kind": [(GUIDE, "办事指南", 20), (ITEM, "事项目录", 4), (NOTICE, "通知公告", 1)],
    "township": [("511602101", "官盛镇", 12), ("511602102", "协兴镇", 8)],
    "department": [("广安区民政局", "广安区民政局", 25)],
    "item_type": [("05", "行政给付", 25)],
    "handling_class": [("promised", "承诺件", 25)],
    "online": [(True, "可网上办理", 5), (False, "不可网上办理", 20)],
}


@pytest.fixture
def many(fake):
    hits = [
        Hit(
            doc(1, title="最低生活保障", item_name="最低生活保障审核确认"),
            9.5,
            "申请<mark>低保</mark>需要户口簿",
            best_bet=True,
        ),
    ]
    hits += [Hit(doc(n), 5.0 - n / 10, f"第{n}条 <mark>低保</mark>") for n in range(2, 11)]
    fake.results = SearchResults(
        count=25,
        hits=hits,
        facets=FACETS,
        took_ms=3.2,
        did_you_mean="低保申请",
        messages=["查询词过长，只搜索了前 50 个字。"],
    )
    return fake


# ---------------------------------------------------------------- display


def test_results_show_title_item_township_snippet_and_best_bet(client, portal, many):
    doc_ = soup(client.get(URL, {"q": "低包"}))
    assert "“低包”的搜索结果" in text_of(doc_.title)
    assert doc_.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert "共找到 25 条结果" in text_of(doc_.find(class_="result-count"))
    rows = doc_.select("ol.search-results > li")
    assert len(rows) == 10
    first = rows[0]
    assert "is-best-bet" in first["class"]
    assert text_of(first.find(class_="badge-best-bet")) == "推荐"
    link = first.select_one(".hit-title a")
    assert (text_of(link), link["href"]) == ("最低生活保障", "/guanshengzhen/guide-1/")
    meta = text_of(first.find(class_="hit-meta"))
    assert "办事指南" in meta and "官盛镇" in meta and "最低生活保障审核确认" in meta
    snippet = first.find(class_="hit-snippet")
    assert snippet.find("mark").get_text() == "低保"
    assert "申请" in text_of(snippet)
    assert not rows[1].find(class_="badge-best-bet")
    # the item name is not repeated when it is the title
    assert "事项：" not in text_of(rows[1].find(class_="hit-meta"))


def test_did_you_mean_messages_and_pagination(client, portal, many):
    doc_ = soup(client.get(URL, {"q": "低包", "township": "511602101"}))
    dym = doc_.find(class_="did-you-mean")
    assert "您是不是要搜索" in text_of(dym)
    assert dym.a["href"] == "?q=%E4%BD%8E%E4%BF%9D%E7%94%B3%E8%AF%B7&township=511602101"
    assert "查询词过长" in text_of(doc_.find(class_="search-messages"))
    pages = doc_.find("nav", class_="pagination")
    assert text_of(pages.find(attrs={"aria-current": "page"})) == "1"
    assert pages.find("a", rel="next")["href"].endswith("&page=2")
    assert [text_of(a) for a in pages.select("a[aria-label]")] == ["2", "3"]


def test_page_two_asks_for_the_second_ten(client, portal, many):
    response = client.get(URL, {"q": "低保", "page": "2"})
    assert response.status_code == 200
    assert many.queries[-1].offset == 10 and many.queries[-1].limit == 10
    assert soup(response).find("ol", class_="search-results")["start"] == "11"
    for page in ("0", "-3", "abc", "99999999999999999999"):
        assert client.get(URL, {"q": "低保", "page": page}).status_code == 200
    assert many.queries[-1].offset == 1000  # the last page the engine is asked for


def test_facets_link_to_filters_with_counts_and_clear_links(client, portal, many):
    doc_ = soup(client.get(URL, {"q": "低保", "department": "广安区民政局"}))
    query = many.queries[-1]
    assert query.filters == {"department": "广安区民政局"}
    facets = doc_.find(id="facets")
    titles = [text_of(h) for h in facets.find_all("h3")]
    assert titles == ["类别", "乡镇（街道）", "实施部门", "事项类型", "办件类型", "网上办理"]
    township = facets.find(id="facet-township").find_parent("section")
    link = link_with(township, "协兴镇")
    assert "(8)" in text_of(link)
    assert "in_township=511602102" in link["href"] and "department=" in link["href"]
    online = facets.find(id="facet-online").find_parent("section")
    assert "online=1" in link_with(online, "可网上办理")["href"]
    # the active filter is marked, and removing it keeps the rest
    department = facets.find(id="facet-department").find_parent("section")
    active = department.find("a", attrs={"aria-current": "true"})
    assert "广安区民政局" in text_of(active) and "department" not in active["href"]
    clear = department.find("a", class_="facet-clear")
    assert clear["href"] == "?q=%E4%BD%8E%E4%BF%9D" and text_of(clear) == "不限"
    chips = doc_.find(class_="active-filters")
    assert "实施部门：广安区民政局" in text_of(chips)
    assert chips.find("a", string="清除全部条件")["href"] == "?q=%E4%BD%8E%E4%BF%9D"


def test_long_facets_list_twelve_values_and_the_active_one(client, portal, fake):
    values = [(f"5116021{n:02d}", f"第{n}镇", 40 - n) for n in range(20)]
    fake.results = SearchResults(count=1, hits=[Hit(doc(1), 1.0, "")], facets={"township": values})
    doc_ = soup(client.get(URL, {"q": "低保", "in_township": "511602115"}))
    links = doc_.find(id="facet-township").find_parent("section").find_all("a")
    labels = [text_of(a).split(" ")[0] for a in links]
    assert labels == [f"第{n}镇" for n in range(12)] + ["第15镇", "不限"]


def test_filters_and_township_reach_the_service(client, township, fake):
    client.get(
        URL,
        {
            "q": "低保",
            "township": "511602101",
            "in_township": "511602102",
            "item_type": "05",
            "handling_class": "promised",
            "online": "1",
            "kind": "guide",
            "department": "x" * 500,
        },
    )
    query = fake.queries[-1]
    assert query.text == "低保" and query.township == "511602101"
    assert query.filters == {
        "township": "511602102",
        "department": "x" * 100,
        "item_type": "05",
        "handling_class": "promised",
        "online": "1",
        "kind": "guide",
    }
    assert (query.limit, query.offset) == (10, 0)


def test_township_selector_and_layout_follow_the_chosen_township(
    client, township, other_township, fake
):
    doc_ = soup(client.get(URL, {"q": "低保", "township": township.code}))
    select = doc_.find("select", attrs={"name": "township"})
    options = [(o["value"], text_of(o)) for o in select.find_all("option")]
    assert options == [("", "全区（不限乡镇）"), ("511602101", "官盛镇"), ("511602102", "协兴镇")]
    assert select.find("option", selected=True)["value"] == "511602101"
    assert "官盛镇" in text_of(doc_.find(class_="current-township"))
    assert doc_.find("input", attrs={"name": "q"})["value"] == "低保"


def test_unknown_township_is_said_and_ignored(client, portal, fake):
    doc_ = soup(client.get(URL, {"q": "低保", "township": "abc"}))
    assert fake.queries[-1].township == ""
    assert "没有找到您选择的乡镇" in text_of(doc_.find(class_="search-messages"))


def test_empty_state_offers_the_township_phone(client, township, fake):
    fake.suggestions = [Suggestion("最低生活保障审核确认", "/items/1/", ITEM)]
    doc_ = soup(client.get(URL, {"q": "低包", "township": township.code, "kind": "notice"}))
    empty = doc_.find(class_="search-empty")
    assert "没有找到与“低包”相关" in text_of(empty)
    tel = empty.find("a", class_="tel")
    assert tel["href"] == "tel:" + township.consultation_phone.replace("-", "")
    assert "官盛镇便民服务中心" in text_of(empty)
    assert empty.find("a", string="去掉筛选条件再搜索")["href"] == (
        "?q=%E4%BD%8E%E5%8C%85&township=511602101"
    )
    suggestions = doc_.find(class_="search-suggestions")
    assert "您是不是要找" in text_of(suggestions)
    assert suggestions.find("a", string="最低生活保障审核确认")["href"] == "/items/1/"
    assert fake.suggested == [("低包", "511602101", 6)]


def test_empty_state_without_a_township_offers_the_county_phone(client, portal, fake):
    doc_ = soup(client.get(URL, {"q": "不存在的事"}))
    tel = doc_.find(class_="search-empty").find("a", class_="tel")
    assert tel["href"] == "tel:08262345000" and text_of(tel) == portal.consultation_phone
    assert "广安区便民服务网" in text_of(doc_.find(class_="search-empty"))


def test_no_query_shows_how_to_search_and_asks_nothing(client, portal, fake):
    doc_ = soup(client.get(URL))
    assert fake.queries == []
    intro = doc_.find(class_="search-intro")
    assert intro.find("a", string="低保")["href"] == "?q=%E4%BD%8E%E4%BF%9D"
    assert intro.find("a", class_="tel")


def test_engine_failure_is_a_503_page_with_the_phone(client, portal, fake, caplog):
    fake.error = RuntimeError("index is gone")
    response = client.get(URL, {"q": "低保"})
    assert response.status_code == 503
    doc_ = soup(response)
    assert "搜索暂时无法使用" in text_of(doc_.find(role="alert"))
    assert doc_.find("main").find("a", class_="tel")
    assert "Search failed" in caplog.text


def test_snippet_is_the_only_markup_let_through(client, portal, fake):
    evil = "<script>alert(1)</script>"
    fake.results = SearchResults(
        count=1,
        hits=[Hit(doc(1, title=evil, item_name=evil, township_name=evil), 1.0, "&lt;b&gt;")],
        facets={"department": [(evil, evil, 1)]},
        did_you_mean=evil,
        messages=[evil],
    )
    fake.suggestions = [Suggestion(evil, "", ITEM)]
    html = client.get(URL, {"q": evil}).content.decode()
    assert evil not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_script_only_enhances(client, portal, fake):
    doc_ = soup(client.get(URL, {"q": "低保"}))
    script = doc_.find("script")
    assert script["src"] == "/static/js/suggest.js" and script.has_attr("defer")
    box = doc_.find("input", attrs={"name": "q"})
    assert box["data-suggest-url"] == "/api/v1/search/suggest"
    assert not box.has_attr("list")  # the script adds the list; without it the box is plain


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_with_the_stand_in(client, portal, fake, q):
    response = client.get(URL, {"q": q, "department": q, "page": q, "township": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    box = soup(response).find("input", attrs={"name": "q"})
    assert len(box.get("value", "")) <= 100 and "\x00" not in box.get("value", "")


# ---------------------------------------------------------------- the search boxes that lead here


def test_portal_and_township_search_boxes_lead_here(client, township):
    form = soup(client.get("/")).find("form", role="search")
    assert form["action"] == URL and form.find("input", attrs={"name": "q"})
    form = soup(client.get(township.url)).find("form", role="search")
    assert form["action"] == URL and form["method"] == "get"
    assert form.find("input", attrs={"type": "hidden", "name": "township"})["value"] == "511602101"


def test_a_township_search_box_query_lands_on_its_township(client, township, fake):
    client.get(URL, {"q": "低保", "township": township.code})
    assert fake.queries[-1].township == township.code


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
    here = factories.ServiceGuidePageFactory(
        parent=township, item=item, summary="<script>alert(1)</script>申请低保的说明"
    )
    there = factories.ServiceGuidePageFactory(parent=other_township, item=item)
    return {"item": item, "here": here, "there": there}


def test_a_published_guide_is_found_on_the_page(client, published):
    here = published["here"]
    doc_ = soup(client.get(URL, {"q": "最低生活保障", "township": "511602101"}))
    rows = doc_.select("ol.search-results > li")
    assert len(rows) == 3 and "共找到 3 条结果" in text_of(doc_.find(class_="result-count"))
    first = rows[0]
    assert first.select_one(".hit-title a")["href"] == here.url  # the citizen's township first
    assert "官盛镇" in text_of(first.find(class_="hit-meta"))
    assert first.find(class_="hit-snippet").find("mark").get_text() == "最低生活保障"
    township = doc_.find(id="facet-township").find_parent("section")
    assert "(1)" in text_of(link_with(township, "协兴镇"))
    filtered = soup(client.get(URL + link_with(township, "协兴镇")["href"]))
    rows = filtered.select("ol.search-results > li")
    assert [r.select_one(".hit-title a")["href"] for r in rows] == [published["there"].url]


def test_script_in_a_query_or_a_document_comes_out_escaped(client, published):
    response = client.get(URL, {"q": "<script>alert(1)</script>", "township": "511602101"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "</script>申请" not in html
    snippet = soup(response).find(class_="hit-snippet")
    assert "&lt;" in str(snippet) and snippet.find("mark")
    assert not snippet.find("script")
    html = client.get(URL, {"q": "低保", "township": "511602101"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_typo_offers_the_right_words(client, published):
    doc_ = soup(client.get(URL, {"q": "最低生活保帐"}))
    dym = doc_.find(class_="did-you-mean")
    assert dym.a.get_text() == "最低生活保障"
    assert dym.a["href"] == "?q=" + "%E6%9C%80%E4%BD%8E%E7%94%9F%E6%B4%BB%E4%BF%9D%E9%9A%9C"


def test_nothing_found_offers_the_township_phone_through_the_engine(client, published, township):
    doc_ = soup(client.get(URL, {"q": "不存在的事情", "township": township.code}))
    empty = doc_.find(class_="search-empty")
    tel = empty.find("a", class_="tel")
    assert tel["href"] == "tel:" + township.consultation_phone.replace("-", "")


def test_a_long_query_is_cut_and_the_page_says_so(client, published):
    doc_ = soup(client.get(URL, {"q": "低保" * 5000}))
    assert "前100个字" in text_of(doc_.find(class_="search-messages"))
    assert doc_.select("ol.search-results > li")


def test_hostile_queries_through_the_engine(client, published):
    for q in HOSTILE:
        params = {"q": q, "township": "511602101", "department": q, "page": q}
        response = client.get(URL, params)
        assert response.status_code == 200, q[:30]
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html, q[:30]
        doc_ = soup(response)
        if q.strip():  # the page finds something, or says what it could not do, or offers help
            assert doc_.find(class_="result-count"), q[:30]
            assert doc_.select("ol.search-results > li") or doc_.find(class_="search-empty")


def test_a_best_bet_comes_first_marked_as_recommended(client, published):
    from search.models import BestBet

    BestBet.objects.create(query="低保", item=published["item"])
    doc_ = soup(client.get(URL, {"q": "低保", "township": "511602102"}))
    first = doc_.select("ol.search-results > li")[0]
    assert text_of(first.find(class_="badge-best-bet")) == "推荐"
    assert first.select_one(".hit-title a")["href"] == published["there"].url
