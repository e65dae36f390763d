"""Relevance on the citizens' query file, and the evaluator's own arithmetic.

The relevance test loads the demo county once for the module (~10 s), builds the embedded
search index in a temporary directory and runs every query of
``search/data/relevance_queries.tsv`` through ``search.service.search``.
"""

import pytest
from django.db import transaction
from django.test import override_settings

from search.evaluation import (
    MRR_DEPTH,
    QUERY_FILE,
    RelevanceQuery,
    Returned,
    evaluate,
    load_queries,
)
from search.types import GUIDE, ITEM, Hit, SearchDocument, SearchResults

SUCCESS_AT_3_TARGET = 0.9


# --- the evaluator, on a fake search function ---------------------------------------------


def _doc(code, kind=GUIDE):
    return SearchDocument(
        id=f"{kind}:{code}", kind=kind, title=code, url="/", name=code, item_code=code
    )


def test_metrics_on_a_fake_search_function():
    queries = [
        RelevanceQuery("first", ("A",), "official"),  # rank 1
        RelevanceQuery("second", ("B", "Z"), "official"),  # rank 2 (any expected item counts)
        RelevanceQuery("third", ("C",), "typo"),  # rank 3
        RelevanceQuery("fifth", ("D",), "typo"),  # rank 5: a failure at 3, still in MRR
        RelevanceQuery("missing", ("E",), "pinyin_full"),  # not returned
        RelevanceQuery("deep", ("F",), "pinyin_full"),  # rank 11: beyond the MRR depth
    ]
    rankings = {
        "first": SearchResults(count=3, hits=[Hit(_doc("A"), 3.0), Hit(_doc("X"), 2.0)]),
        "second": [Hit(_doc("X"), 2.0), Hit(_doc("Z", kind=ITEM), 1.0)],
        "third": [_doc("X"), _doc("Y"), _doc("C")],
        "fifth": ["X", "Y", "X", "Y", "D"],
        "missing": [],
        "deep": ["X"] * MRR_DEPTH + ["F"],
    }
    result = evaluate(lambda text: rankings[text], queries, k=(1, 3))

    assert result.count == 6
    assert result.success_at_1 == pytest.approx(1 / 6)
    assert result.success_at_3 == pytest.approx(3 / 6)
    assert result.mrr == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 5 + 0 + 0) / 6)
    assert [o.rank for o in result.outcomes] == [1, 2, 3, 5, None, None]

    official, typo, pinyin = (result.categories[c] for c in ("official", "typo", "pinyin_full"))
    assert (official.count, official.success_at_1, official.success_at_3) == (2, 0.5, 1.0)
    assert official.mrr == pytest.approx((1 + 1 / 2) / 2)
    assert (typo.success_at_1, typo.success_at_3) == (0.0, 0.5)
    assert typo.mrr == pytest.approx((1 / 3 + 1 / 5) / 2)
    assert (pinyin.success_at_3, pinyin.mrr) == (0.0, 0.0)

    assert [o.query.text for o in result.failures] == ["fifth", "missing", "deep"]
    assert result.failures[0].returned[0] == Returned(item_code="X")
    assert len(result.failures[2].returned) == MRR_DEPTH
    assert result.table()[1].startswith("all")


def test_the_query_file_is_well_formed():
    queries = load_queries(QUERY_FILE)
    assert len(queries) >= 170
    assert len({q.text for q in queries}) == len(queries)
    counts = {}
    for q in queries:
        counts[q.category] = counts.get(q.category, 0) + 1
    minimum = {
        "colloquial": 20,
        "question": 25,
        "pinyin_full": 15,
        "pinyin_initials": 10,
        "typo": 15,
        "traditional": 15,
        "partial": 20,
        "old_name": 10,
    }
    for category, least in minimum.items():
        assert counts.get(category, 0) >= least, category
    assert set(counts) <= set(minimum) | {"official"}


# --- relevance of the real engine on the demo county ---------------------------------------


@pytest.fixture(scope="module")
def demo_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo county, loaded once, indexed by the embedded engine in a temporary directory."""
    from guides.demo.loader import load_demo
    from search.backends import get_backend, reset_backend
    from search.documents import count_all_documents, iter_all_documents

    index_dir = tmp_path_factory.mktemp("search-index")
    with django_db_blocker.unblock(), override_settings(SEARCH_INDEX_DIR=index_dir):
        with transaction.atomic():
            load_demo()
            reset_backend()
            backend = get_backend()
            written = backend.rebuild(iter_all_documents(), total=count_all_documents())
            yield backend, written
            transaction.set_rollback(True)
        reset_backend()


@pytest.mark.django_db
def test_success_at_3_on_the_query_file(demo_index):
    from search import service
    from search.types import SearchQuery

    backend, written = demo_index
    assert written > 25 * 32  # the guides and the catalog
    result = evaluate(lambda text: service.search(SearchQuery(text)), load_queries())
    report = "\n".join(result.table())
    failures = "\n".join(
        f"  [{o.query.category}] {o.query.text}  ->  "
        + (" | ".join(r.item_name for r in o.returned[:3]) or "(nothing)")
        for o in result.failures
    )
    print(report)
    assert result.success_at_3 >= SUCCESS_AT_3_TARGET, f"\n{report}\nfailures:\n{failures}"
