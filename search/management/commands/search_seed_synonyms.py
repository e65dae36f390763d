"""``manage.py search_seed_synonyms``: copy the shipped synonym list into the database.

Pairs (term, canonical) already in the table are left as editors made them; only new pairs are
created. Run it after installing, and again after an upgrade brings new seed synonyms.
"""

from django.core.management.base import BaseCommand, CommandError

from search.models import Synonym
from search.synonyms import SEED_FILE, load_seed_synonyms, read_seed


class Command(BaseCommand):
    help = "Load search/data/synonyms.tsv into the Synonym table (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE), help="Another TSV file.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the table has no synonyms yet (so editors' deletions stay deleted).",
        )

    def handle(self, *args, file=None, if_empty=False, **options):
        if if_empty and Synonym.objects.exists():
            self.stdout.write("Synonyms already present; nothing seeded.")
            return
        rows = read_seed(file)
        if not rows:
            raise CommandError(f"No synonyms read from {file}.")
        created = load_seed_synonyms(file)
        self.stdout.write(
            f"{created} synonyms created, {len(rows) - created} already present ({len(rows)} in the file)."
        )
