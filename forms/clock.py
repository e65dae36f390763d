"""The working-day clock: deadlines, pauses and the supervision lights (电子监察红绿灯).

Working days come from chinese-calendar (China's public holidays and make-up working days),
corrected by the administrator's ``WorkCalendarDay`` rows, which also cover the years the
library does not know yet; for a year neither knows, Monday to Friday count (and a system check,
``applications.W001``, asks for that year's schedule). See docs/applications.md.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides.models.choices import TimeUnit

# How many working days before the deadline the light turns yellow.
DEFAULT_WARNING_DAYS = 2
# Longest span the clock walks (guards against a runaway loop on bad data).
MAX_SPAN_DAYS = 3 * 366


def warning_days():
    return getattr(settings, "APPLICATIONS_WARNING_DAYS", DEFAULT_WARNING_DAYS)


def library_knows(year):
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1)
def _overrides():
    from .models import WorkCalendarDay

    return dict(WorkCalendarDay.objects.values_list("date", "is_workday"))


def overrides_changed(**kwargs):
    _overrides.cache_clear()


def connect_override_signals():
    from .models import WorkCalendarDay

    for signal in (post_save, post_delete):
        signal.connect(overrides_changed, sender=WorkCalendarDay, dispatch_uid=f"clock-{signal}")


def is_workday(day):
    override = _overrides().get(day)
    if override is not None:
        return override
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def next_workday(day):
    """``day`` if it is a working day, else the next one."""
    for _step in range(MAX_SPAN_DAYS):
        if is_workday(day):
            return day
        day += datetime.timedelta(days=1)
    raise ValueError("no working day within three years")


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (the day of acceptance does not count).

    ``add_working_days(d, 0)`` is ``d`` itself when ``d`` is a working day (on the spot), else the
    next working day.
    """
    if days <= 0:
        return next_workday(start)
    day = start
    for _step in range(MAX_SPAN_DAYS):
        day += datetime.timedelta(days=1)
        if is_workday(day):
            days -= 1
            if days == 0:
                return day
    raise ValueError("deadline beyond three years")


def working_days_between(start, end):
    """Working days in (start, end]: how many working days pass from ``start`` to ``end``.

    Negative when ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start)
    span = (end - start).days
    if span > MAX_SPAN_DAYS:
        raise ValueError("span beyond three years")
    return sum(
        1 for offset in range(1, span + 1) if is_workday(start + datetime.timedelta(days=offset))
    )


def promised_working_days(value, unit, accepted_on):
    """The promised limit in working days from ``accepted_on``: natural days become the working
    days in that span, hours and on-the-spot are 0 (done the day of acceptance)."""
    if unit in (TimeUnit.ON_THE_SPOT, TimeUnit.HOURS):
        return 0
    if value is None:
        return None
    if unit == TimeUnit.NATURAL_DAYS:
        return working_days_between(accepted_on, accepted_on + datetime.timedelta(days=value))
    return value


def paused_working_days(pauses, today):
    """Working days the clock stood still: each pause from its first day to the day it ended
    (or today), both counted when they are working days."""
    total = 0
    for started, ended in pauses:
        end = ended or today
        if end < started:
            continue
        total += working_days_between(started, end) + (1 if is_workday(started) else 0)
    return total


def deadline_for(accepted_on, promised_days, pauses=(), today=None):
    """Deadline = acceptance + promised working days, extended by the paused working days."""
    if promised_days is None:
        return None
    today = today or timezone.localdate()
    return add_working_days(accepted_on, promised_days + paused_working_days(pauses, today))


class Light:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    PAUSED = "paused"
    NONE = ""

    LABELS = {
        GREEN: _("绿灯"),
        YELLOW: _("黄灯"),
        RED: _("红灯"),
        PAUSED: _("暂停计时"),
        NONE: _("未计时"),
    }


@dataclass(frozen=True)
class ClockState:
    light: str
    deadline: datetime.date | None
    days_left: int | None  # working days from today to the deadline (negative: overdue)
    overdue: bool
    paused: bool

    @property
    def label(self):
        return Light.LABELS[self.light]


def clock_state(deadline, *, closed_on=None, paused=False, today=None):
    """The light of one application.

    Closed: green if closed by the deadline, red if late. Paused (waiting for the applicant's
    supplement): no light, the clock stands still. Open: red once the deadline has passed,
    yellow with ``warning_days()`` working days or fewer left, green otherwise.
    """
    if deadline is None:
        return ClockState(Light.NONE, None, None, False, paused)
    if closed_on is not None:
        late = closed_on > deadline
        return ClockState(Light.RED if late else Light.GREEN, deadline, None, late, False)
    if paused:
        return ClockState(Light.PAUSED, deadline, None, False, True)
    today = today or timezone.localdate()
    left = working_days_between(today, deadline)
    if today > deadline:
        return ClockState(Light.RED, deadline, left, True, paused)
    light = Light.YELLOW if left <= warning_days() else Light.GREEN
    return ClockState(light, deadline, left, False, paused)
