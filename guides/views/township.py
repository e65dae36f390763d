"""Context for a township page."""

from django.utils.translation import gettext as _

from ..models import NoticeIndexPage, ServiceGuidePage, VillageStationPage
from .notices import present_notice
from .presenters import phone


def group_guides_by_department(guides):
    """[{"department", "guides"}] in department order; guides without an item go last."""
    groups = {}
    for guide in guides:
        item = guide.item
        name = item.department.name if item is not None else ""
        groups.setdefault(name, []).append(guide)
    ordered = sorted(groups.items(), key=lambda pair: (pair[0] == "", pair[0]))
    return [{"department": name or _("其他事项"), "guides": rows} for name, rows in ordered]


def present_window(window):
    return {
        "number": window.number,
        "name": window.name,
        "handles": window.handles,
        "phone": phone(window.phone),
        "duties": [
            {"staff_name": d.staff_name, "role": d.role, "days": d.days}
            for d in window.duties.all()
        ],
    }


def present_village(station):
    return {
        "title": station.title,
        "url": station.url,
        "kind": station.get_kind_display(),
        "agent_name": station.agent_name,
        "agent_phone": phone(station.agent_phone),
        "is_demo": station.is_demo,
    }


def township_context(township, request):
    guides = (
        ServiceGuidePage.objects.child_of(township)
        .live()
        .public()
        .select_related("item", "item__department")
        .order_by("title")
    )
    notice_index = NoticeIndexPage.objects.child_of(township).live().first()
    notices = list(notice_index.notices()[:5]) if notice_index else []
    villages = VillageStationPage.objects.child_of(township).live().order_by("code")
    return {
        "township": township,
        "phones": {
            "consultation": phone(township.consultation_phone),
            "supervision": phone(township.supervision_phone),
        },
        "guide_groups": group_guides_by_department(guides),
        "notice_index": notice_index,
        "notices": [present_notice(n) for n in notices],
        "villages": [present_village(v) for v in villages],
        "windows": [present_window(w) for w in township.windows.prefetch_related("duties")],
    }
