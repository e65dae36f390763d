"""Moments of the demo history: working days and office hours.

Clerks act on working days between 9:00–12:00 and 13:30–17:30 (the centers' published hours);
citizens submit and rate at other hours too. Every moment is an aware datetime in the site's
time zone, on a day before the load date, so the history does not depend on the hour of loading.

``WorkingDays`` answers the same questions as ``forms.clock`` (it asks ``clock.is_workday`` once
per date and remembers): planning a history asks them tens of thousands of times.
"""

import calendar
import datetime

from django.utils import timezone

from .. import clock

ONE_DAY = datetime.timedelta(days=1)
# Office hours as (first minute, last minute) of the day.
OFFICE = ((9 * 60, 12 * 60), (13 * 60 + 30, 17 * 60 + 30))
# When citizens are about: 7:30–22:00.
WAKING = ((7 * 60 + 30, 22 * 60),)


def months_before(day, months):
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


class WorkingDays:
    """``forms.clock``'s working days, asked once per date and then counted from a table.

    ``is_workday`` is ``clock.is_workday`` remembered; the table (the working days in order
    and, per date, how many working days there are up to it) covers the dates asked about and
    grows when needed. Meant for one load: a holiday entered meanwhile is not seen.
    """

    def __init__(self):
        self._first = self._last = None
        self._count = {}  # date → working days from the table's first date up to it
        self._list = []  # the working days in the table, in order

    def _cover(self, first, last):
        if self._first is not None and self._first <= first and last <= self._last:
            return
        first = min(first, self._first or first) - datetime.timedelta(days=60)
        last = max(last, self._last or last) + datetime.timedelta(days=60)
        self._first, self._last = first, last
        self._count, self._list = {}, []
        day = first
        while day <= last:
            if clock.is_workday(day):
                self._list.append(day)
            self._count[day] = len(self._list)
            day += ONE_DAY

    def is_workday(self, day):
        self._cover(day, day)
        count = self._count[day]
        return count > 0 and self._list[count - 1] == day

    def next(self, day):
        """``day`` if it is a working day, else the next one (``clock.next_workday``)."""
        return self.add(day, 0)

    def add(self, day, count):
        """``clock.add_working_days``: the day ``count`` working days after ``day``."""
        if count <= 0 and self.is_workday(day):
            return day
        self._cover(day, day + datetime.timedelta(days=2 * max(count, 0) + 30))
        index = self._count[day] + max(count, 1) - 1
        while index >= len(self._list):  # beyond the table: extend it
            self._cover(day, self._last + datetime.timedelta(days=120))
        return self._list[index]

    def back(self, day, count):
        """The working day ``count`` working days before ``day`` (``day`` itself for 0):
        ``add(result, count) == day`` when ``day`` is a working day."""
        if count <= 0:
            return day
        self._cover(day - datetime.timedelta(days=2 * count + 30), day)
        index = self._count[day] - (1 if self.is_workday(day) else 0) - count
        return self._list[index]

    def between(self, start, end):
        """``clock.working_days_between``: working days in (start, end]; negative if reversed."""
        self._cover(min(start, end), max(start, end))
        return self._count[end] - self._count[start]

    def span(self, first, last):
        """The working days from ``first`` to ``last``, both included."""
        self._cover(first, last)
        return self._list[self._count[first - ONE_DAY] : self._count[last]]

    def light(self, deadline, today):
        """The light of an open application with ``deadline`` (``clock.clock_state``)."""
        if today > deadline:
            return clock.Light.RED
        left = self.between(today, deadline)
        return clock.Light.YELLOW if left <= clock.warning_days() else clock.Light.GREEN


def at(day, minute):
    """The aware moment ``minute`` minutes after midnight on ``day`` (local time)."""
    naive = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def local_date(moment):
    return timezone.localtime(moment).date()


def _minutes(moment):
    local = timezone.localtime(moment)
    return local.hour * 60 + local.minute


def random_moment(rng, day, spans=OFFICE, after=None):
    """A moment on ``day`` within ``spans``, later than ``after`` (if on the same day).

    Returns None when no minute is left that day.
    """
    earliest = 0
    if after is not None and local_date(after) == day:
        earliest = _minutes(after) + 5
    choices = [(max(a, earliest), b) for a, b in spans if b > max(a, earliest)]
    if not choices:
        return None
    pick = rng.randrange(sum(b - a for a, b in choices))
    for a, b in choices:
        if pick < b - a:
            return at(day, a + pick)
        pick -= b - a
    raise AssertionError("unreachable")


def later(rng, days, moment, low, high, spans=OFFICE):
    """A moment ``low``–``high`` working days after ``moment`` (0: later the same day when
    office hours are left, else the next working day), within ``spans``."""
    day = local_date(moment)
    offset = rng.randint(low, high)
    if offset == 0:
        same_day = random_moment(rng, day, spans, after=moment) if days.is_workday(day) else None
        if same_day is not None:
            return same_day
        offset = 1
    return random_moment(rng, days.add(day, offset), spans)


def on_day(rng, days, day, after=None, spans=OFFICE):
    """A moment on working day ``day`` (after ``after`` when that is the same day); when the day
    is full, the next working day."""
    moment = random_moment(rng, day, spans, after=after)
    if moment is None:
        moment = random_moment(rng, days.add(day, 1), spans)
    return moment
