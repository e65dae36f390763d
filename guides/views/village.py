"""Context for a village or community station page (村/社区便民服务站)."""

from django.utils import timezone

from ..models import VanStop
from .presenters import phone


def upcoming_van_stops(station, today=None):
    """The mobile van's coming stops at this village, from live notices only."""
    today = today or timezone.localdate()
    stops = (
        VanStop.objects.filter(village=station, date__gte=today, notice__live=True)
        .select_related("notice")
        .order_by("date", "start_time")[:10]
    )
    return [
        {
            "date": s.date,
            "start_time": s.start_time,
            "end_time": s.end_time,
            "location": s.location,
            "services": s.services,
            "notice_title": s.notice.title,
            "notice_url": s.notice.url,
        }
        for s in stops
    ]


def village_context(station, request):
    township = station.township
    return {
        "township": township,
        "agent_phone": phone(station.agent_phone),
        "township_phone": phone(township.consultation_phone if township else ""),
        "van_stops": upcoming_van_stops(station),
    }
