"""`manage.py import_catalog FILE [--dry-run]`: load the county catalog from CSV or XLSX."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guides.importers import CatalogImportError, import_catalog

# How many errors to print before summarising the rest.
MAX_LISTED_ERRORS = 50


def format_errors(errors, limit=MAX_LISTED_ERRORS):
    """The errors as one Chinese message, listing at most ``limit`` of them."""
    lines = [_("目录文件有 %(count)d 处错误，未导入任何数据：") % {"count": len(errors)}]
    lines.extend(errors[:limit])
    if len(errors) > limit:
        lines.append(_("……另有 %(count)d 处错误未列出。") % {"count": len(errors) - limit})
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Import the service-item catalog (CSV in UTF-8 or XLSX, header row first). "
        "The whole file is validated first; a file with any error is refused and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="CSV or XLSX file, e.g. ../shared/data/guangan_511602_service_items.csv"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change; write nothing.",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            result = import_catalog(file, dry_run=dry_run)
        except CatalogImportError as exc:
            raise CommandError(format_errors(exc.errors)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
