"""Print Success@1, Success@3 and MRR of a search engine on the citizens' query file."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from search.evaluation import QUERY_FILE, evaluate, load_queries, wagtail_search_fn

ENGINES = ("embedded", "elasticsearch", "wagtail")


class Command(BaseCommand):
    help = (
        "Evaluate search relevance on search/data/relevance_queries.tsv against the current "
        "index: Success@1, Success@3, MRR, overall and per category."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=ENGINES,
            help="embedded, elasticsearch or wagtail (Wagtail's own search backend); "
            "default: the configured engine.",
        )
        parser.add_argument(
            "--township", default="", metavar="CODE", help="Search as a citizen of this township."
        )
        parser.add_argument(
            "--failures",
            action="store_true",
            help="List the queries without a right answer in the first 3, with what came first.",
        )
        parser.add_argument("--file", default=str(QUERY_FILE), help="Another query file.")

    def handle(self, *args, engine=None, township="", failures=False, file=None, **options):
        queries = load_queries(file)
        if engine == "wagtail":
            result = evaluate(wagtail_search_fn(township), queries)
        else:
            overrides = {}
            if engine == "embedded":
                overrides["ELASTICSEARCH_URL"] = ""
            elif engine == "elasticsearch" and not settings.ELASTICSEARCH_URL:
                raise CommandError("--engine elasticsearch needs ELASTICSEARCH_URL.")
            result = self._evaluate_service(queries, township, overrides)
        label = engine or "configured engine"
        where = f", township {township}" if township else ""
        self.stdout.write(f"{len(queries)} queries, {label}{where}")
        self.stdout.write(f"Success@1  {result.success_at_1:.3f}")
        self.stdout.write(f"Success@3  {result.success_at_3:.3f}")
        self.stdout.write(f"MRR        {result.mrr:.3f}")
        self.stdout.write("")
        for line in result.table():
            self.stdout.write(line)
        if failures:
            self.stdout.write("")
            self.stdout.write(f"Not in the first 3 ({len(result.failures)}):")
            for outcome in result.failures:
                query = outcome.query
                first = " | ".join(
                    f"{r.item_name or r.item_code}" + (f" ({r.kind})" if r.kind else "")
                    for r in outcome.returned[:3]
                )
                rank = f"rank {outcome.rank}" if outcome.rank else "not found"
                self.stdout.write(f"  [{query.category}] {query.text}  ({rank})")
                self.stdout.write(
                    f"      expected: {query.note.split(' -- ')[0] or query.expected}"
                )
                self.stdout.write(f"      first:    {first or '(nothing)'}")

    def _evaluate_service(self, queries, township, overrides):
        from search import service
        from search.backends import reset_backend
        from search.types import SearchQuery

        def search(text):
            return service.search(SearchQuery(text, township=township))

        if not overrides:
            return evaluate(search, queries)
        with override_settings(**overrides):
            reset_backend()
            try:
                return evaluate(search, queries)
            finally:
                reset_backend()
