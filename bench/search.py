"""Search benchmark: the embedded engine against Wagtail's own database search backend.

Usage:
    .venv/bin/python bench/search.py [--sizes 1000,10000,100000] [--rounds 3] [--workdir DIR]

Everything happens in a throw-away data directory (``--workdir``, default a temporary one):
its own SQLite database (``DATABASE_URL``) and search index directory. The project's database
is not touched.

Data: the catalog (1,135 items) and the 32 demo guides are loaded once (``load_demo``, one
township) and turned into ``SearchDocument``s by ``search.documents``. A set of N guides is
built by replicating them across real townships of Sichuan (codes ``51…`` of
``china-division-2.7.0_streets_2023.csv``), ``GUIDES_PER_TOWNSHIP`` per township: the 32 demo
guides (their full text, the township's name and code put in place of the demo township's)
and, in turn, guides for the other catalog items (the item's document plus a short guide text
naming the township), so that the whole catalog is covered. Every set also holds the 1,135
county catalog items. No Wagtail pages are created for the sets.

Measured per size:
(a) embedded index build: ``rebuild()`` of all the set's documents, documents/s;
(b) query latency p50/p95 over the relevance queries (``search/data/relevance_queries.tsv``),
    half of them with a township set, through ``search.service.search``, ``--rounds`` rounds
    after one warm-up round;
(c) Wagtail's database backend (SQLite FTS5 here) on the same documents and queries: one
    ``ServiceItem`` row per document in the bench database, indexed through a proxy model
    whose Wagtail ``search_fields`` are the document's title (Wagtail's ``title`` column, which
    its BM25 weights by title length) and the document's name, middle and body text (``body``
    column), built the way ``update_index`` does (atomic rebuilder, chunks of 1,000); queries
    through ``backend.search(text, queryset)[:10]``, with a township set restricted to that
    township's guides plus the county's catalog items (a filter on ``department``: each
    township is a bench department). Those rows are deleted again before the next embedded
    run: the embedded engine's dictionary reads the catalog's names and main items, and would
    otherwise take whole bench texts for catalog names.
Relevance (Success@1/3, MRR) of both engines on the query file, on the smallest set.

Results go into docs/performance.md by hand, with the date and the machine.
"""

import argparse
import csv
import dataclasses
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES_PER_TOWNSHIP = 100
CHUNK = 1000
WARMUP = 60


def django_setup(workdir: Path):
    os.environ["BIANMIN_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["ELASTICSEARCH_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- source documents ----------------------------------------------------------------------


@dataclasses.dataclass
class Sources:
    demo_guides: list  # SearchDocument per demo guide (one township)
    demo_township: tuple  # (code, name) of that township
    items: list  # SearchDocument per catalog item
    townships: list  # [(code, name)] of Sichuan, code order


def load_sources() -> Sources:
    from django.core.management import call_command

    from guides.demo.loader import load_demo
    from guides.demo.sources import TOWNSHIPS_FILE, data_file
    from guides.models import ServiceGuidePage, ServiceItem, TownshipPage
    from search.documents import document_for_guide, document_for_item

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(townships=1)
    print(f"bench database: migrated and demo loaded in {time.perf_counter() - t:.1f} s")

    township = TownshipPage.objects.order_by("code").first()
    guides = ServiceGuidePage.objects.live().child_of(township).order_by("pk")
    demo_guides = [document_for_guide(page) for page in guides]
    catalog = ServiceItem.objects.exclude(local_code__contains="#")  # not a previous run's rows
    items = [
        document_for_item(item)
        for item in catalog.select_related("department").order_by("local_code")
    ]
    with data_file(TOWNSHIPS_FILE).open(encoding="utf-8-sig", newline="") as f:
        townships = sorted(
            (row["code"], row["name"]) for row in csv.DictReader(f) if row["code"][:2] == "51"
        )
    return Sources(demo_guides, (township.code, township.title), items, townships)


def _relocate(text, old_name, new_name):
    return text.replace(old_name, new_name) if text else text


def _generic_guide_text(item, center):
    """(middle, body) of a plain guide for a catalog item without demo content: the six
    disclosures in the generic wording township guides use, about as long as a demo guide."""
    name = item.item_name or item.title
    department = item.department or "主管部门"
    middle = "\n".join(
        [
            f"申请人符合{name}的法定条件",
            "申请材料真实、完整、有效",
            f"《{name}申请表》（窗口领取或网上下载）",
            "申请人居民身份证原件及复印件",
            "委托他人办理的，提交授权委托书及受托人居民身份证",
            "法律、法规规定的其他材料",
        ]
    )
    body = "\n".join(
        [
            f"{name}由{department}依法办理，{center}提供政策咨询、材料预审和帮办代办服务。",
            "服务对象：符合条件的自然人、法人或者其他组织。",
            f"受理 {center} 核对申请材料，材料齐全、符合法定形式的当场受理，"
            "材料不全的一次性告知需要补正的全部内容。",
            f"审查 {department} 对申请材料进行审查，需要现场核查的组织核查。",
            f"决定 {department} 在承诺时限内作出决定，不予批准的书面说明理由。",
            "送达 窗口通知申请人领取办理结果，也可邮寄送达。",
            f"办理{name}需要多长时间？在承诺时限内办结，具体以窗口告知为准。",
            "可以请村（社区）代办员代为办理吗？可以，代办员免费代办。",
            f"{name}办理结果",
            "本事项不收费。",
            f"办理地点：{center}综合受理窗口。办理时间：工作日上午9:00-12:00，下午14:00-17:30。",
            item.body,
        ]
    )
    return middle, body


def build_set(sources: Sources, n_guides: int):
    """(documents, township codes used): n_guides guides plus the catalog items."""
    demo_code, demo_name = sources.demo_township
    demo_item_codes = {d.item_code for d in sources.demo_guides}
    others = [d for d in sources.items if d.item_code not in demo_item_codes]
    per_other = GUIDES_PER_TOWNSHIP - len(sources.demo_guides)
    n_townships = math.ceil(n_guides / GUIDES_PER_TOWNSHIP)
    if n_townships > len(sources.townships):
        raise SystemExit(f"Not enough Sichuan townships for {n_guides} guides.")
    docs, codes, seq = [], [], 0
    for t_index, (code, name) in enumerate(sources.townships[:n_townships]):
        codes.append(code)
        center = f"{name}便民服务中心"
        for base in sources.demo_guides:
            if seq >= n_guides:
                break
            seq += 1
            docs.append(
                dataclasses.replace(
                    base,
                    id=f"guide:b{seq}",
                    url=f"/bench/{code}/{seq}/",
                    title=_relocate(base.title, demo_name, name),
                    name=_relocate(base.name, demo_name, name),
                    middle=_relocate(base.middle, demo_name, name),
                    body=_relocate(base.body, demo_name, name),
                    township_code=code,
                    township_name=name,
                )
            )
        start = (t_index * per_other) % len(others)
        for j in range(per_other):
            if seq >= n_guides:
                break
            seq += 1
            item = others[(start + j) % len(others)]
            middle, body = _generic_guide_text(item, center)
            docs.append(
                dataclasses.replace(
                    item,
                    id=f"guide:b{seq}",
                    kind="guide",
                    url=f"/bench/{code}/{seq}/",
                    title=item.item_name or item.title,
                    middle=middle,
                    body=body,
                    township_code=code,
                    township_name=name,
                )
            )
    return docs + list(sources.items), codes


# --- measuring -----------------------------------------------------------------------------


def percentiles(samples_ms):
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return cuts[49], cuts[94]


def query_plan(queries, codes):
    """(text, township) per relevance query: every second one with a township of the set."""
    return [(q.text, codes[i % len(codes)] if i % 2 else "") for i, q in enumerate(queries)]


def time_queries(search, plan, rounds, budget_s):
    """(p50, p95, max, number of samples, share answered) of the plan's queries: one warm-up pass (at most ``WARMUP`` queries),
    then up to ``rounds`` passes, stopping after the pass that exceeds ``budget_s`` seconds (at
    least one whole pass is always measured)."""
    for text, township in plan[:WARMUP]:  # caches, connections, SQLite's page cache
        search(text, township)
    samples, answered = [], 0
    started = time.perf_counter()
    for round_ in range(rounds):
        for text, township in plan:
            t = time.perf_counter()
            results = search(text, township)
            samples.append((time.perf_counter() - t) * 1000)
            if round_ == 0 and len(getattr(results, "hits", results)):
                answered += 1
        if time.perf_counter() - started > budget_s:
            break
    p50, p95 = percentiles(samples)
    return p50, p95, max(samples), len(samples), answered / len(plan)


_analysis_ready = False


def warm_analysis():
    """Load the analysis dictionaries (segmentation, pinyin, synonyms) once, outside the timed
    build: a one-time cost per process, printed separately."""
    global _analysis_ready
    if _analysis_ready:
        return
    from search.analysis import analyze_query, get_dictionary, index_tokens, name_tokens

    t = time.perf_counter()
    get_dictionary()
    index_tokens("最低生活保障申请审批表")
    name_tokens("最低生活保障")
    analyze_query("低保怎么申请")
    _analysis_ready = True
    print(f"analysis dictionaries loaded in {time.perf_counter() - t:.2f} s (not in the build)")


def remove_wagtail_rows():
    """Delete what a Wagtail run left in the bench database: its ``ServiceItem`` rows, whose
    ``main_item`` holds a whole document's text, and the bench departments. The embedded
    engine's dictionary is built from the catalog's names and main items and would take those
    texts for catalog names. Returns how many rows went."""
    from django.db import transaction

    from guides.models import Department, ServiceItem

    with transaction.atomic():
        removed = ServiceItem.objects.filter(local_code__contains="#").delete()[0]
        Department.objects.filter(name__startswith="bench:").delete()
    return removed


def embedded_run(docs, directory, plan, rounds, budget_s):
    global _analysis_ready
    from django.test import override_settings

    from search import service
    from search.analysis import reload_dictionary
    from search.backends import get_backend, reset_backend
    from search.service import MSG_UNAVAILABLE as MSG
    from search.types import SearchQuery

    if remove_wagtail_rows():  # the previous size's Wagtail run: the catalog as it was
        reload_dictionary()
        _analysis_ready = False
    with override_settings(SEARCH_INDEX_DIR=directory):
        reset_backend()
        backend = get_backend()
        warm_analysis()
        t = time.perf_counter()
        written = backend.rebuild(iter(docs), total=len(docs))
        build_s = time.perf_counter() - t

        def search(text, township=""):
            return service.search(SearchQuery(text, township=township, limit=10))

        failed = [
            text
            for text, township in plan
            if str(MSG) in (str(m) for m in search(text, township).messages)
        ]
        if failed:
            raise SystemExit(f"The embedded engine failed on {len(failed)} queries: {failed[:5]}")
        p50, p95, slowest, n, answered = time_queries(search, plan, rounds, budget_s)
        return {
            "docs": written,
            "build_s": build_s,
            "p50": p50,
            "p95": p95,
            "max": slowest,
            "n": n,
            "answered": answered,
            "search": search,
        }


_proxy = None


def wagtail_model():
    """A proxy of ServiceItem whose Wagtail search fields are a document's title and text."""
    global _proxy
    if _proxy is None:
        from wagtail.search import index

        from guides.models import ServiceItem

        class BenchSearchDocument(ServiceItem):
            search_fields = [
                index.SearchField("title"),
                index.SearchField("text"),
                index.FilterField("department"),
            ]

            class Meta:
                proxy = True
                app_label = "guides"

            @property
            def title(self):
                return self.name

            @property
            def text(self):
                return self.main_item

        _proxy = BenchSearchDocument
    return _proxy


def wagtail_run(docs, plan, rounds, budget_s):
    from django.db import transaction
    from wagtail.search.backends import get_search_backend

    from guides.models import Department

    model = wagtail_model()
    backend = get_search_backend()
    backend.reset_indexes()
    remove_wagtail_rows()
    departments = {d.name: d for d in Department.objects.all()}
    for code in sorted({d.township_code for d in docs if d.township_code}):
        departments[f"bench:{code}"] = Department.objects.create(name=f"bench:{code}", code=code)
    county_department = departments.setdefault(
        "bench:county", Department.objects.create(name="bench:county")
    )

    rows = []
    for doc in docs:
        if doc.township_code:
            department = departments[f"bench:{doc.township_code}"]
        else:
            department = departments.get(doc.department) or county_department
        rows.append(
            model(
                local_code=f"{doc.item_code}#{doc.township_code}#{doc.id}",
                name=doc.title,
                main_item="\n".join(t for t in (doc.name, doc.middle, doc.body) if t),
                item_type=doc.item_type or "1",
                department=department,
            )
        )
    with transaction.atomic():
        for start in range(0, len(rows), CHUNK):
            model.objects.bulk_create(rows[start : start + CHUNK])
    objects = list(model.objects.filter(local_code__contains="#").order_by("pk"))

    t = time.perf_counter()
    index = backend.get_index_for_model(model)
    rebuilder = backend.rebuilder_class(index)
    index = rebuilder.start()
    for start in range(0, len(objects), CHUNK):
        index.add_items(model, objects[start : start + CHUNK])
    rebuilder.finish()
    build_s = time.perf_counter() - t

    townships = {d.township_code for d in docs if d.township_code}
    by_township = {code: departments[f"bench:{code}"].pk for code in townships}
    county_ids = sorted({d.pk for d in departments.values()} - set(by_township.values()))

    def search(text, township=""):
        queryset = model.objects.all()
        if township:
            queryset = queryset.filter(department__in=[by_township[township], *county_ids])
        return list(backend.search(text, queryset)[:10])

    p50, p95, slowest, n, answered = time_queries(search, plan, rounds, budget_s)
    return {
        "docs": len(objects),
        "build_s": build_s,
        "p50": p50,
        "p95": p95,
        "max": slowest,
        "n": n,
        "answered": answered,
        "search": search,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="guides per set, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument(
        "--budget",
        type=float,
        default=120,
        help="seconds of timed queries per engine and size; no new pass starts after it",
    )
    parser.add_argument("--workdir", help="data directory (default: a temporary one)")
    parser.add_argument(
        "--engines", default="embedded,wagtail", help="embedded and/or wagtail, comma-separated"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    engines = {e.strip() for e in args.engines.split(",")}
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bianmin-bench-search-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    django_setup(workdir)

    from search.evaluation import load_queries

    sources = load_sources()
    queries = load_queries()
    print(
        f"{len(sources.demo_guides)} demo guides, {len(sources.items)} catalog items, "
        f"{len(sources.townships)} Sichuan townships, {len(queries)} queries; workdir {workdir}"
    )
    rows = []
    for size in sizes:
        docs, codes = build_set(sources, size)
        plan = query_plan(queries, codes)
        chars = sum(len(d.name) + len(d.middle) + len(d.body) for d in docs)
        print(
            f"\n== {size} guides: {len(docs)} documents, {len(codes)} townships, {chars / 1e6:.1f} M chars"
        )
        row = {"size": size, "docs": len(docs)}
        for engine in [e for e in ("embedded", "wagtail") if e in engines]:
            if engine == "embedded":
                r = embedded_run(docs, workdir / f"index-{size}", plan, args.rounds, args.budget)
            else:
                r = wagtail_run(docs, plan, args.rounds, args.budget)
            print(
                f"{engine + ':':9s} built {r['docs']} docs in {r['build_s']:.1f} s "
                f"({r['docs'] / r['build_s']:.0f} docs/s); "
                f"p50 {r['p50']:.2f} ms, p95 {r['p95']:.2f} ms, max {r['max']:.0f} ms "
                f"({r['n']} timed queries, "
                f"{r['answered']:.0%} with results)",
                flush=True,
            )
            row[engine] = r
            if size == min(sizes):
                result = relevance_of(r["search"], queries)
                row[f"{engine}_relevance"] = result
                print(f"relevance ({engine}, no township):")
                for line in result.table():
                    print("    " + line, flush=True)
        rows.append(row)
    print_table(rows)


def relevance_of(search, queries):
    from search.evaluation import Returned, evaluate

    def ranked(text):
        results = search(text, "")
        hits = getattr(results, "hits", results)
        out = []
        for hit in hits:
            if hasattr(hit, "local_code"):  # a Wagtail bench row
                out.append(Returned(hit.local_code.split("#")[0], hit.name))
            else:
                out.append(hit)
        return out

    return evaluate(ranked, queries)


def print_table(rows):
    print("\n| guides | documents | engine | build (docs/s) | p50 | p95 | max | with results |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        for engine in ("embedded", "wagtail"):
            r = row.get(engine)
            if not r:
                continue
            print(
                f"| {row['size']:,} | {row['docs']:,} | {engine} | {r['docs'] / r['build_s']:,.0f} "
                f"({r['build_s']:.1f} s) | {r['p50']:.2f} ms | {r['p95']:.2f} ms | {r['max']:.0f} ms "
                f"| {r['answered']:.0%} |"
            )


if __name__ == "__main__":
    main()
