"""The township staff's dashboard panel "政务公开提醒": guides sent back to their township by a
reviewer (with the comment), and how many guides are incomplete, cite an outdated basis, were
not reviewed within the period or have changes unpublished for too long, and how many postings
are past their period, each linked to the board's list. Shown to editors and center heads of the
townships concerned, only when there is something to do."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from ..models import TownshipPage
from .access import BOARD_ROLES
from .report import CATEGORIES, build_reports


def staff_townships(user):
    """Townships where the user is an editor or center head (not county-wide roles)."""
    if not (user.is_authenticated and user.is_active):
        return TownshipPage.objects.none()
    return (
        TownshipPage.objects.live()
        .filter(staff_groups__group__user=user, staff_groups__role__in=BOARD_ROLES)
        .distinct()
        .order_by("code")
    )


class TransparencyPanel(Component):
    name = "transparency_reminders"
    template_name = "guides/admin/transparency/dashboard_panel.html"
    order = 90

    def __init__(self, reports):
        self.reports = reports

    def get_context_data(self, parent_context):
        items = []
        for report in self.reports:
            base = reverse("guides_transparency:township", args=[report.township.code])
            items.append(
                {
                    "township": report.township,
                    "sent_back": [
                        {
                            "row": row,
                            "edit_url": reverse("wagtailadmin_pages:edit", args=[row.guide.pk]),
                        }
                        for row in report.rows("sent_back")
                    ],
                    "counts": [
                        {"label": label, "count": report.counts[key], "url": f"{base}?show={key}"}
                        for key, label in CATEGORIES
                        if key != "sent_back" and report.counts[key]
                    ],
                    "board_url": base,
                }
            )
        return {"items": items}


def panel_for(request):
    """The panel for this user, or None when none of their townships has anything to do."""
    townships = list(staff_townships(request.user))
    if not townships:
        return None
    reports = [r for r in build_reports(townships) if r.issues]
    if not reports:
        return None
    return TransparencyPanel(sorted(reports, key=lambda r: r.township.code))
