from django.core.management.base import BaseCommand

from forms.drafts import purge_abandoned, retention_days


class Command(BaseCommand):
    help = (
        "Delete application drafts untouched for APPLICATIONS_DRAFT_RETENTION_DAYS days "
        "(default 30), with their uploaded files. Run daily (cron or the task worker)."
    )

    def handle(self, *args, **options):
        removed = purge_abandoned()
        self.stdout.write(
            f"Removed {removed} draft(s) untouched for more than {retention_days()} days."
        )
