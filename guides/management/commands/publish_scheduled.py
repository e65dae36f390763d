"""Wagtail's ``publish_scheduled``, first withholding guides the disclosure gate refuses."""

from django.utils.translation import gettext as _
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from guides.publishing import withhold_blocked_scheduled_guides


class Command(WagtailCommand):
    help = (
        "Publish scheduled revisions and unpublish expired objects. Guides that the disclosure "
        "gate refuses are taken off the schedule and reported instead of stopping the run."
    )

    def handle(self, *args, **options):
        if not options["dryrun"]:
            for revision, reasons in withhold_blocked_scheduled_guides():
                self.stderr.write(
                    _("定时发布已撤销：%(title)s（%(id)s）——%(reasons)s")
                    % {
                        "title": revision.object_str,
                        "id": revision.object_id,
                        "reasons": "；".join(reasons),
                    }
                )
        super().handle(*args, **options)
