"""Context for a township page."""

from ..models import NoticeIndexPage, ServiceGuidePage, VillageStationPage


def township_context(township, request):
    guides = (
        ServiceGuidePage.objects.child_of(township).live().select_related("item", "item__department")
        .order_by("item__department__name", "title")
    )
    notice_index = NoticeIndexPage.objects.child_of(township).live().first()
    return {
        "guides": guides,
        "notice_index": notice_index,
        "notices": notice_index.notices()[:5] if notice_index else [],
        "villages": VillageStationPage.objects.child_of(township).live().order_by("code"),
        "windows": township.windows.prefetch_related("duties"),
    }
