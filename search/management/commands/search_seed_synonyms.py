"""``manage.py search_seed_synonyms``: copy the shipped synonym list into the database.

Pairs (term, canonical) already in the table are left as editors made them; only new pairs are
created. Run it after installing, and again after an upgrade brings new seed synonyms.
"""

from django.core.management.base import BaseCommand, CommandError

from search.synonyms import SEED_FILE, load_seed_synonyms, read_seed


class Command(BaseCommand):
    help = "Load search/data/synonyms.tsv into the Synonym table (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE), help="Another TSV file.")

    def handle(self, *args, file=None, **options):
        rows = read_seed(file)
        if not rows:
            raise CommandError(f"No synonyms read from {file}.")
        created = load_seed_synonyms(file)
        self.stdout.write(
            f"{created} synonyms created, {len(rows) - created} already present ({len(rows)} in the file)."
        )
