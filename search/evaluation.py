"""Relevance evaluation: how often the item a citizen means comes first.

The query file (``search/data/relevance_queries.tsv``) holds queries written the way citizens
ask — colloquial words, whole questions, pinyin, initials, homophone typos, traditional
characters, partial and old names — each with the catalog items (``ServiceItem.local_code``) any
of which is the right answer. A result counts when a document for an expected item (the catalog
item itself or any township's guide for it) is among the first k results, in the order the
engine returned them.

Metrics: Success@k (share of queries with a right document in the first k) and MRR (mean of
1/rank of the first right document, 0 when none is in the first ``MRR_DEPTH``).

    from search.evaluation import evaluate, load_queries
    result = evaluate(lambda text: service.search(SearchQuery(text)), load_queries())
    print(result.success_at_3)
"""

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

QUERY_FILE = Path(__file__).resolve().parent / "data" / "relevance_queries.tsv"
CATEGORIES = (
    "colloquial",
    "question",
    "pinyin_full",
    "pinyin_initials",
    "typo",
    "traditional",
    "partial",
    "old_name",
    "official",
)
MRR_DEPTH = 10


@dataclass(frozen=True)
class RelevanceQuery:
    text: str
    expected: tuple[str, ...]  # ServiceItem.local_code values, any of which is right
    category: str
    note: str = ""


@dataclass(frozen=True)
class Returned:
    """One returned document, reduced to what the evaluation needs."""

    item_code: str
    item_name: str = ""
    kind: str = ""
    township_code: str = ""


@dataclass
class QueryOutcome:
    query: RelevanceQuery
    rank: int | None  # 1-based rank of the first right document, None if not in the results
    returned: list[Returned]  # the first MRR_DEPTH documents

    def success_at(self, k: int) -> bool:
        return self.rank is not None and self.rank <= k

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank is not None and self.rank <= MRR_DEPTH else 0.0


@dataclass
class Figures:
    count: int
    success: dict[int, float]  # k -> Success@k
    mrr: float

    @property
    def success_at_1(self) -> float:
        return self.success.get(1, 0.0)

    @property
    def success_at_3(self) -> float:
        return self.success.get(3, 0.0)


@dataclass
class EvalResult:
    overall: Figures
    categories: dict[str, Figures]
    outcomes: list[QueryOutcome]
    ks: tuple[int, ...] = (1, 3)
    failures: list[QueryOutcome] = field(default_factory=list)  # not in the first max(ks)

    @property
    def count(self) -> int:
        return self.overall.count

    @property
    def success_at_1(self) -> float:
        return self.overall.success_at_1

    @property
    def success_at_3(self) -> float:
        return self.overall.success_at_3

    @property
    def mrr(self) -> float:
        return self.overall.mrr

    def table(self) -> list[str]:
        """Lines of a plain-text table: overall, then one line per category."""
        heads = "".join(f"  S@{k:<5d}" for k in self.ks)
        lines = [f"{'':16s} {'n':>4s}{heads}  MRR"]

        def line(label, figures):
            cells = "".join(f"  {figures.success.get(k, 0.0):6.3f}" for k in self.ks)
            return f"{label:16s} {figures.count:4d}{cells}  {figures.mrr:.3f}"

        lines.append(line("all", self.overall))
        for name in sorted(self.categories, key=_category_order):
            lines.append(line(name, self.categories[name]))
        return lines


def _category_order(name):
    return (CATEGORIES.index(name), "") if name in CATEGORIES else (len(CATEGORIES), name)


def load_queries(path: str | Path | None = None) -> list[RelevanceQuery]:
    """Read the query file: tab-separated ``query expected category note``; ``#`` comments."""
    path = Path(path) if path else QUERY_FILE
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    queries = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        expected = tuple(code.strip() for code in row["expected"].split("|") if code.strip())
        if not row["query"].strip() or not expected:
            raise ValueError(f"Incomplete line in {path}: {row}")
        queries.append(
            RelevanceQuery(
                text=row["query"].strip(),
                expected=expected,
                category=row["category"].strip(),
                note=(row.get("note") or "").strip(),
            )
        )
    return queries


def _returned(hit) -> Returned:
    """Accept a Hit, a SearchDocument, a Returned or a bare item code."""
    if isinstance(hit, Returned):
        return hit
    if isinstance(hit, str):
        return Returned(item_code=hit)
    document = getattr(hit, "document", hit)
    return Returned(
        item_code=getattr(document, "item_code", "") or "",
        item_name=getattr(document, "item_name", "") or getattr(document, "title", "") or "",
        kind=getattr(document, "kind", "") or "",
        township_code=getattr(document, "township_code", "") or "",
    )


def ranked(results) -> list[Returned]:
    """The first MRR_DEPTH returned documents of a SearchResults or any sequence of hits."""
    hits = getattr(results, "hits", results)
    return [_returned(hit) for hit in list(hits)[:MRR_DEPTH]]


def _figures(outcomes: Sequence[QueryOutcome], ks: Sequence[int]) -> Figures:
    n = len(outcomes)
    if not n:
        return Figures(count=0, success=dict.fromkeys(ks, 0.0), mrr=0.0)
    return Figures(
        count=n,
        success={k: sum(o.success_at(k) for o in outcomes) / n for k in ks},
        mrr=sum(o.reciprocal_rank for o in outcomes) / n,
    )


def evaluate(
    search_fn: Callable[[str], object],
    queries: Iterable[RelevanceQuery],
    k: Sequence[int] = (1, 3),
) -> EvalResult:
    """Run every query through ``search_fn(text)`` and score the ranking it returns.

    ``search_fn`` returns a ``SearchResults`` or a ranked sequence of hits (``Hit``,
    ``SearchDocument`` or item codes); only the first ``MRR_DEPTH`` are read.
    """
    ks = tuple(sorted(set(k)))
    outcomes = []
    for query in queries:
        returned = ranked(search_fn(query.text))
        expected = set(query.expected)
        rank = next((i for i, r in enumerate(returned, 1) if r.item_code in expected), None)
        outcomes.append(QueryOutcome(query=query, rank=rank, returned=returned))
    by_category: dict[str, list[QueryOutcome]] = {}
    for outcome in outcomes:
        by_category.setdefault(outcome.query.category, []).append(outcome)
    deepest = max(ks) if ks else 1
    return EvalResult(
        overall=_figures(outcomes, ks),
        categories={name: _figures(items, ks) for name, items in by_category.items()},
        outcomes=outcomes,
        ks=ks,
        failures=[o for o in outcomes if not o.success_at(deepest)],
    )


def wagtail_search_fn(township: str = "", limit: int = MRR_DEPTH) -> Callable[[str], list]:
    """A search function over Wagtail's own search backend, for comparison.

    Searches the live guide pages (their Wagtail ``search_fields``; one township's when
    ``township`` is given) and the catalog items, and merges both lists by score, as a site
    using Wagtail's stock search would.
    """
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    from guides.models import ServiceGuidePage, ServiceItem, TownshipPage

    backend = get_search_backend()
    guides = ServiceGuidePage.objects.live().select_related("item")
    if township:
        guides = guides.descendant_of(TownshipPage.objects.get(code=township))
    # SQLite's bm25() is negative, lower is better; the other databases rank higher first.
    lower_is_better = connection.vendor == "sqlite"
    codes = dict(TownshipPage.objects.values_list("path", "code"))

    def township_of(page):
        return codes.get(page.path[: len(page.path) - TownshipPage.steplen], "")

    def search(text):
        found = []
        for page in backend.search(text, guides).annotate_score("_score")[:limit]:
            document = Returned(page.item.local_code, page.item.name, "guide", township_of(page))
            found.append((page._score or 0.0, document))
        for item in backend.search(text, ServiceItem.objects.all()).annotate_score("_score")[
            :limit
        ]:
            found.append((item._score or 0.0, Returned(item.local_code, item.name, "item")))
        found.sort(key=lambda pair: pair[0], reverse=not lower_is_better)
        return [document for _score, document in found[:limit]]

    return search
