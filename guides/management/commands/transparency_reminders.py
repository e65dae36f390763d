"""Remind townships of guides not reviewed within the period, changes not published within 20
working days and postings past their period (docs/transparency.md). Run it daily from cron."""

from django.core.management.base import BaseCommand, CommandError

from guides.models import TownshipPage
from guides.transparency.reminders import send_reminders


class Command(BaseCommand):
    help = "Record and e-mail transparency reminders to the townships that have something to do."

    def add_arguments(self, parser):
        parser.add_argument("--township", action="append", help="9-digit code; repeatable")
        parser.add_argument("--interval-days", type=int, default=None)
        parser.add_argument("--force", action="store_true", help="ignore the interval")
        parser.add_argument("--dry-run", action="store_true", help="list, record and send nothing")

    def handle(self, *args, township=None, interval_days=None, force=False, dry_run=False, **kw):
        townships = None
        if township:
            townships = TownshipPage.objects.live().filter(code__in=township).order_by("code")
            unknown = set(township) - set(townships.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"Unknown township code(s): {', '.join(sorted(unknown))}")
        results = send_reminders(
            townships=townships, interval_days=interval_days, force=force, dry_run=dry_run
        )
        failed = []
        for result in results:
            if result.skipped:
                state = "skipped (reminded recently)"
            elif dry_run:
                state = "would remind"
            elif result.error:
                state = f"recorded, e-mail failed: {result.error}"
                failed.append(result.township.code)
            elif result.sent:
                state = f"recorded, e-mailed to {len(result.recipients)}"
            else:
                state = "recorded (no e-mail address)"
            if kw.get("verbosity", 1) >= 1:
                self.stdout.write(
                    f"{result.township.code} {result.township.title}: {result.stale} stale, "
                    f"{result.late} late, {result.notices} postings — {state}"
                )
        if failed:
            raise CommandError(f"E-mail failed for: {', '.join(failed)}")
