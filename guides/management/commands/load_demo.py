"""Load the demo county (广安区): catalog, 25 townships, 332 villages, guides and notices."""

from django.core.management.base import BaseCommand

from guides.demo.loader import load_demo
from guides.models import CountyPortalPage


class Command(BaseCommand):
    help = (
        "Load the demo county from the shared data and the demo content. Idempotent: running it "
        "again creates nothing new. See docs/demo.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a county portal.",
        )
        parser.add_argument(
            "--townships",
            type=int,
            metavar="N",
            help="Only the first N townships in code order (quick checks and tests).",
        )

    def handle(self, *args, if_empty=False, townships=None, **options):
        if if_empty and CountyPortalPage.objects.exists():
            self.stdout.write("A county portal already exists: demo not loaded (--if-empty).")
            return
        report = load_demo(townships=townships)
        for line in report.lines():
            self.stdout.write(line)
        if report.created_anything:
            self.stdout.write(self.style.SUCCESS("Demo county loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo county already complete: nothing created."))
