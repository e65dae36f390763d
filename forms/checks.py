"""System checks for applications: the working-day calendar must know the coming year."""

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register("applications", "database")
def check_calendar_coverage(app_configs=None, databases=None, **kwargs):
    """applications.W001: neither chinese-calendar nor the administrator's holiday table knows
    this year or the next, so deadlines there count Monday to Friday only."""
    if not databases:
        return []
    from .clock import library_knows
    from .models import WorkCalendarDay

    year = timezone.localdate().year
    messages = []
    for y in (year, year + 1):
        if library_knows(y):
            continue
        try:
            known = WorkCalendarDay.objects.filter(date__year=y).exists()
        except DatabaseError:  # before migrate
            return []
        if not known:
            messages.append(
                Warning(
                    f"The working-day calendar does not know {y}: chinese-calendar has no data "
                    "for it and no holiday adjustments were entered.",
                    hint=(
                        f"Enter the State Council's {y} holiday schedule under 设置 › 节假日调整 "
                        "(or upgrade chinesecalendar); until then deadlines in "
                        f"{y} count Monday to Friday."
                    ),
                    id="applications.W001",
                )
            )
    return messages
