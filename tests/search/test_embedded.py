"""The embedded engine (SQLite FTS5 under SEARCH_INDEX_DIR), on small synthetic documents."""

import sqlite3
import threading

import pytest

from search.analysis import reload_dictionary
from search.analysis.segment import Dictionary, set_dictionary
from search.backends import embedded
from search.backends.embedded import EmbeddedBackend, make_snippet, match_expression
from search.types import GUIDE, ITEM, NOTICE, SearchDocument, SearchQuery, SearchResults

from .test_analysis import HOSTILE

GUANSHENG, XIEXING = "511602101", "511602102"
NAMES = [
    "居民身份证换领",
    "最低生活保障",
    "临时救助",
    "残疾人证新办",
    "残疾人证注销",
    "残疾人证迁移",
    "城乡居民基本医疗保险参保登记",
    "农民专业合作社（联合社）设立登记",
]
PAIRS = [("低保", "最低生活保障"), ("农合", "城乡居民基本医疗保险"), ("残疾证", "残疾人证")]


@pytest.fixture(autouse=True)
def dictionary():
    set_dictionary(Dictionary(names=NAMES, synonyms=PAIRS, places=["官盛镇", "协兴镇"]))
    yield
    reload_dictionary()


@pytest.fixture
def backend(tmp_path):
    engine = EmbeddedBackend(tmp_path / "index")
    yield engine
    engine.close()


def item(pk, name, department="区民政局", item_type="05", **fields):
    return SearchDocument(
        id=f"item:{pk}",
        kind=ITEM,
        title=name,
        url=f"/items/{pk}/",
        name=name,
        body=fields.pop("body", department),
        item_id=pk,
        item_name=name,
        department=department,
        item_type=item_type,
        **fields,
    )


def guide(pk, name, township=GUANSHENG, item_id=None, middle="", body="", **fields):
    township_name = {GUANSHENG: "官盛镇", XIEXING: "协兴镇"}.get(township, "测试镇")
    return SearchDocument(
        id=f"guide:{pk}",
        kind=GUIDE,
        title=name,
        url=f"/{township}/{pk}/",
        name=name,
        middle=middle,
        body=body,
        item_id=item_id,
        item_name=name,
        township_code=township,
        township_name=township_name,
        department=fields.pop("department", "区民政局"),
        item_type=fields.pop("item_type", "05"),
        handling_class=fields.pop("handling", "promised"),
        **fields,
    )


def notice(pk, title, township=GUANSHENG, body=""):
    return SearchDocument(
        id=f"notice:{pk}",
        kind=NOTICE,
        title=title,
        url=f"/{township}/notices/{pk}/",
        name=title,
        body=body,
        township_code=township,
        township_name="官盛镇",
        date="2026-11-01",
    )


CORPUS = [
    item(1, "居民身份证换领", department="区公安分局", item_type="20"),
    item(2, "最低生活保障"),
    item(3, "临时救助"),
    guide(
        101,
        "最低生活保障",
        GUANSHENG,
        item_id=2,
        middle="共同生活的家庭成员人均收入低于低保标准",
        body="按月发放最低生活保障金。携带居民身份证原件。",
        online=True,
    ),
    guide(102, "最低生活保障", XIEXING, item_id=2, body="按月发放最低生活保障金。"),
    guide(
        103, "临时救助", GUANSHENG, item_id=3, middle="申请人居民身份证", body="遭遇急难的家庭。"
    ),
    guide(104, "临时救助", XIEXING, item_id=3, middle="申请人居民身份证"),
    notice(201, "2026年11月最低生活保障对象公示", body="经审核，下列家庭纳入最低生活保障。"),
]


def ids(results):
    return [hit.document.id for hit in results.hits]


def search(backend, text, **kwargs):
    return backend.search(SearchQuery(text=text, **kwargs))


# --- writing and reading ----------------------------------------------------------------------


def test_index_search_delete_and_count(backend):
    assert backend.count() == 0
    assert backend.index(CORPUS) == len(CORPUS)
    assert backend.count() == len(CORPUS)
    assert "guide:101" in ids(search(backend, "最低生活保障", limit=20))
    assert backend.index([guide(101, "临时救助", GUANSHENG, item_id=3)]) == 1  # replaced
    assert backend.count() == len(CORPUS)
    assert "guide:101" not in ids(search(backend, "最低生活保障", limit=20))
    assert backend.delete(["guide:101", "guide:999"]) == 1
    assert backend.count() == len(CORPUS) - 1
    assert backend.delete([]) == 0


def test_no_index_yet_says_so(backend):
    results = search(backend, "低保")
    assert results.count == 0
    assert results.messages


def test_a_word_in_the_middle_of_a_title_is_found(backend):
    backend.rebuild(CORPUS)
    results = search(backend, "身份证")
    assert ids(results)[0] == "item:1"  # 居民身份证换领: 身份证 inside the name
    assert results.count == 4  # and the guides asking for the card


def test_traditional_colloquial_and_pinyin_queries_find_the_item(backend):
    backend.rebuild(CORPUS)
    for text in ["最低生活保障", "低保", "低保怎么办理", "最低生活保障", "dibao", "zdshbz", "低宝"]:
        assert "item:2" in ids(search(backend, text)), text


def test_a_name_match_outranks_a_body_match(backend):
    backend.rebuild(
        [
            item(1, "临时救助", body="与最低生活保障衔接"),
            item(2, "最低生活保障"),
            item(3, "残疾人证新办", body="最低生活保障家庭优先"),
        ]
    )
    assert ids(search(backend, "最低生活保障"))[0] == "item:2"


def test_the_township_first_then_the_county_then_other_townships(backend):
    backend.rebuild(CORPUS)
    results = search(backend, "最低生活保障", township=XIEXING, limit=20)
    order = ids(results)
    assert order[:2] == ["guide:102", "item:2"]
    assert order.index("guide:101") > order.index("item:2")
    results = search(backend, "最低生活保障", limit=20)  # no township: county items first
    assert ids(results)[0] == "item:2"


def test_popular_items_and_first_applications_come_first(backend):
    backend.rebuild(
        [
            item(1, "残疾人证注销"),
            item(2, "残疾人证迁移"),
            item(3, "残疾人证新办"),
            item(4, "残疾人证补办"),
        ]
    )
    assert ids(search(backend, "残疾人证"))[:2] == ["item:2", "item:3"]  # not 注销/补办
    backend.index([guide(10, "残疾人证补办", GUANSHENG, item_id=4)])  # a township offers it
    assert ids(search(backend, "残疾人证"))[0] == "item:4"
    backend.delete(["guide:10"])
    assert ids(search(backend, "残疾人证"))[0] != "item:4"


# --- facets, filters, snippets --------------------------------------------------------------


def test_facets_count_the_matches_and_filters_narrow_them(backend):
    backend.rebuild(CORPUS)
    results = search(backend, "最低生活保障", limit=1)
    assert results.count == 4  # the item, two guides, the posting
    facets = results.facets
    assert facets["township"] == [
        (GUANSHENG, "官盛镇", 2),
        ("511602102", "协兴镇", 1),
        ("county", "区级事项", 1),
    ]
    assert ("guide", "办事指南", 2) in facets["kind"]
    assert facets["item_type"] == [("05", "行政给付", 3)]
    assert ("1", "可网办", 1) in facets["online"]
    assert facets["department"] == [("区民政局", "区民政局", 3)]
    assert facets["handling_class"] == [("promised", "承诺件", 2)]

    narrowed = search(backend, "最低生活保障", filters={"township": GUANSHENG})
    assert set(ids(narrowed)) == {"guide:101", "notice:201"}
    assert search(backend, "最低生活保障", filters={"kind": "item"}).count == 1
    assert ids(search(backend, "最低生活保障", filters={"online": "1"})) == ["guide:101"]
    assert search(backend, "身份证", filters={"department": "区公安分局"}).count == 1
    assert search(backend, "身份证", filters={"township": "county"}).count == 1
    combined = search(backend, "最低生活保障", filters={"township": XIEXING, "kind": "guide"})
    assert ids(combined) == ["guide:102"]


def test_unknown_filters_are_ignored_and_said(backend):
    backend.rebuild(CORPUS)
    results = search(backend, "最低生活保障", filters={"colour": "red", "item_type": "x'); --"})
    assert results.count == 4
    assert any("筛选" in m for m in results.messages)


def test_snippets_are_escaped_and_marked(backend):
    backend.rebuild(
        [
            guide(1, "临时救助", body="<script>alert(1)</script> 遭遇急难可申请临时救助 & 其他"),
            guide(2, "另一个事项", body="無關的內容，提到臨時救助。"),
        ]
    )
    results = search(backend, "临时救助", limit=5)
    by_id = {hit.document.id: hit.snippet for hit in results.hits}
    assert "&lt;/script&gt;" in by_id["guide:1"]
    assert "<script" not in by_id["guide:1"]
    assert "<mark>临时救助</mark>" in by_id["guide:1"]
    assert "&amp;" in by_id["guide:1"]
    assert "<mark>臨時救助</mark>" in by_id["guide:2"]  # traditional text, its own characters


def test_make_snippet_cuts_around_the_first_match():
    text = "甲" * 200 + "低保" + "乙" * 200
    snippet = make_snippet([text], ["低保"], width=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>低保</mark>" in snippet
    assert len(snippet) < 80
    assert make_snippet(["", "没有匹配"], ["低保"]) == "没有匹配"


# --- suggestions -----------------------------------------------------------------------------


def test_suggestions_by_characters_pinyin_and_initials(backend):
    backend.rebuild(CORPUS)
    for prefix in ["最低", "最低生活", "zuidi", "zuidishenghuo", "zdsh", "ZDSH", "baozhang"]:
        texts = [s.text for s in backend.suggest(prefix)]
        assert "最低生活保障" in texts, prefix
    assert [s.text for s in backend.suggest("身份")] == ["居民身份证换领"]  # inside the name
    assert backend.suggest("") == []
    assert backend.suggest("   ") == []


def test_suggestions_lead_to_the_township_guide_first(backend):
    backend.rebuild(CORPUS)
    (local,) = [s for s in backend.suggest("临时", township=XIEXING) if s.text == "临时救助"]
    assert local.url == f"/{XIEXING}/104/"
    assert local.kind == GUIDE
    (county,) = [s for s in backend.suggest("临时") if s.text == "临时救助"]
    assert county.url == "/items/3/"
    assert county.kind == ITEM


def test_suggestions_follow_deletes(backend):
    backend.rebuild([item(3, "临时救助"), guide(103, "临时救助", item_id=3)])
    backend.delete(["item:3"])
    assert [s.text for s in backend.suggest("临时")] == ["临时救助"]  # the guide remains
    backend.delete(["guide:103"])
    assert backend.suggest("临时") == []


# --- when not every word matches --------------------------------------------------------------


def test_words_outside_the_catalog_are_dropped_first(backend):
    backend.rebuild(CORPUS)
    results = search(backend, "最低生活保障一年")
    assert ids(results)[0] == "item:2"
    assert any("已忽略" in m and "一年" in m for m in results.messages)


def test_any_word_when_no_document_has_them_all(backend):
    backend.rebuild(CORPUS)
    results = search(backend, "最低生活保障 残疾人证")
    assert results.count > 0
    assert any("部分搜索词" in m for m in results.messages)


def test_a_partial_name_match_comes_before_a_body_only_match(backend):
    backend.rebuild(
        [
            item(1, "最低生活保障"),
            item(2, "临时救助", body="农村家庭 低保对象"),  # every word, but only in the body
        ]
    )
    assert ids(search(backend, "农村低保")) == ["item:1", "item:2"]


def test_a_long_catalog_word_matches_its_parts_apart(backend):
    backend.rebuild([item(1, "农民专业合作社（联合社）设立登记")])
    set_dictionary(Dictionary(names=[*NAMES, "农民专业合作社设立"], synonyms=PAIRS))
    assert ids(search(backend, "农民专业合作社设立登记")) == ["item:1"]


# --- bounds ---------------------------------------------------------------------------------


def test_paging_is_consistent_beyond_the_ranked_window(backend, monkeypatch):
    monkeypatch.setattr(embedded, "RANK_CAP", 3)
    docs = [guide(i, f"临时救助{i}号", township=f"5116021{i:02d}") for i in range(1, 12)]
    backend.rebuild(docs)
    seen = []
    for offset in range(0, 12, 4):
        seen += ids(search(backend, "临时救助", offset=offset, limit=4))
    assert sorted(seen) == sorted(d.id for d in docs)
    assert ids(search(backend, "临时救助", offset=20)) == []


def test_counts_are_capped(backend, monkeypatch):
    monkeypatch.setattr(embedded, "COUNT_CAP", 5)
    monkeypatch.setattr(embedded, "FACET_SAMPLE", 3)
    backend.rebuild([guide(i, "临时救助", township=f"5116021{i:02d}") for i in range(10)])
    results = search(backend, "临时救助")
    assert results.count == 5
    assert len(results.messages) == 2  # the count and the facets say they were capped
    assert sum(n for _v, _l, n in results.facets["kind"]) == 3


def test_limit_and_offset_are_capped(backend):
    backend.rebuild([guide(i, "临时救助", township=f"5116021{i:02d}") for i in range(60)])
    assert len(search(backend, "临时救助", limit=500).hits) == 50
    assert len(search(backend, "临时救助", limit=0).hits) == 1
    results = search(backend, "临时救助", offset=5000)
    assert results.hits == []
    assert results.messages


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_a_result_object(backend, text):
    backend.rebuild(CORPUS)
    results = search(backend, text, township="'; DROP", filters={"township": "*"})
    assert isinstance(results, SearchResults)
    if text.strip() and not text.isalnum():
        assert results.messages
    assert isinstance(backend.suggest(text), list)


def test_match_expressions_quote_every_token():
    expression = match_expression([["and", "near"], ['a"b'], ["低保"]])
    assert expression == (
        '{name middle body} : (("and" OR "near") AND (("a" AND "b")) AND ("低保"))'
    )
    assert match_expression([["!!!"]]) == ""


# --- rebuilds and concurrency ------------------------------------------------------------------


def test_a_rebuild_swaps_in_at_the_end(backend, tmp_path):
    backend.rebuild([item(1, "临时救助")])
    reader = EmbeddedBackend(tmp_path / "index")  # another process's view
    seen_during = []

    def documents():
        yield item(2, "最低生活保障")
        seen_during.append((ids(search(reader, "临时救助")), ids(search(reader, "最低生活保障"))))
        yield item(3, "残疾人证新办")

    assert backend.rebuild(documents(), total=2) == 2
    assert seen_during == [(["item:1"], [])]  # the old index, whole, while rebuilding
    assert ids(search(reader, "临时救助")) == []
    assert ids(search(reader, "最低生活保障")) == ["item:2"]
    assert len(list((tmp_path / "index").glob("index-*.sqlite3"))) <= 2
    reader.close()


def test_a_failed_rebuild_keeps_the_old_index(backend):
    backend.rebuild([item(1, "临时救助")])

    def broken():
        yield item(2, "最低生活保障")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert ids(search(backend, "临时救助")) == ["item:1"]
    assert len(list(backend.directory.glob("index-*.sqlite3"))) == 1


def test_live_updates_during_a_rebuild_are_kept(backend):
    backend.rebuild([item(1, "临时救助"), item(2, "最低生活保障")])

    def documents():
        yield item(1, "临时救助")
        backend.index([item(3, "残疾人证新办")])  # published meanwhile
        backend.delete(["item:2"])  # removed meanwhile
        yield item(2, "最低生活保障")  # the rebuild's older copy

    backend.rebuild(documents())
    assert ids(search(backend, "残疾人证新办")) == ["item:3"]
    assert ids(search(backend, "最低生活保障")) == []


def _contents(directory):
    """Every row of the index in use, table by table (``fts_config`` and ``meta`` aside)."""
    name = (directory / "CURRENT").read_text(encoding="ascii").strip()
    conn = sqlite3.connect(directory / name)
    queries = {
        "docs": "SELECT * FROM docs ORDER BY rowid",
        "texts": "SELECT * FROM texts ORDER BY rowid",
        "fts": "SELECT rowid, name, middle, body, keys FROM fts ORDER BY rowid",
        "fts_name": "SELECT rowid, name, keys FROM fts_name ORDER BY rowid",
        "suggestions": "SELECT * FROM suggestions ORDER BY rowid",
        "suggest_fts": "SELECT rowid, keys FROM suggest_fts ORDER BY rowid",
        "overrides": "SELECT * FROM overrides",
    }
    try:
        return {table: conn.execute(sql).fetchall() for table, sql in queries.items()}
    finally:
        conn.close()


@pytest.mark.parametrize("batch", [1000, 3])
def test_a_rebuild_writes_what_indexing_writes(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(embedded, "BATCH", batch)
    rebuilt, indexed = EmbeddedBackend(tmp_path / "a"), EmbeddedBackend(tmp_path / "b")
    rebuilt.rebuild(CORPUS)
    indexed.index(CORPUS)
    assert _contents(rebuilt.directory) == _contents(indexed.directory)
    name = (rebuilt.directory / "CURRENT").read_text(encoding="ascii").strip()
    conn = sqlite3.connect(rebuilt.directory / name)
    # merging, turned off while the rebuild wrote, is back on for later updates
    assert conn.execute("SELECT v FROM fts_config WHERE k = 'automerge'").fetchone() == (4,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
    rebuilt.close()
    indexed.close()


@pytest.mark.parametrize("batch", [1000, 2])
def test_a_rebuild_keeps_the_last_copy_of_a_repeated_document(backend, monkeypatch, batch):
    monkeypatch.setattr(embedded, "BATCH", batch)
    documents = [
        item(1, "临时救助"),
        item(2, "最低生活保障"),
        item(3, "残疾人证注销"),
        item(1, "残疾人证新办"),  # the same id again (a later batch when BATCH is 2)
    ]
    assert backend.rebuild(documents) == 4
    assert backend.count() == 3
    assert ids(search(backend, "临时救助")) == []
    assert ids(search(backend, "残疾人证新办")) == ["item:1"]
    assert [s.text for s in backend.suggest("临时")] == []


def test_progress_is_reported(backend):
    done = []
    backend.rebuild([item(i, f"临时救助{i}") for i in range(5)], total=5, progress=done.append)
    assert done[-1] == 5


def test_searches_from_many_threads(backend):
    backend.rebuild(CORPUS)
    errors, counts = [], []

    def work():
        try:
            for _ in range(20):
                counts.append(search(backend, "最低生活保障").count)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    backend.index([item(9, "最低生活保障金")])
    for thread in threads:
        thread.join()
    assert not errors
    assert set(counts) <= {4, 5}


def test_an_index_of_another_schema_is_not_read(backend, monkeypatch):
    backend.rebuild([item(1, "临时救助")])
    monkeypatch.setattr(embedded, "SCHEMA_VERSION", "999")
    fresh = EmbeddedBackend(backend.directory)
    results = search(fresh, "临时救助")
    assert results.count == 0
    assert results.messages  # "rebuild the index"
    fresh.index([item(2, "临时救助")])  # writes start a new index
    assert ids(search(fresh, "临时救助")) == ["item:2"]
    fresh.close()
