"""The supervision figures (电子监察统计), computed from the records in one place.

The admin board, the public page (办件公示) and the statistics API all call ``build_report``,
and the back office's 两卡一表 statistics table (办件统计表, ``forms/backoffice/reports.py``)
calls ``figures`` per township and item, so they always agree. Every figure is defined in
docs/supervision.md; in short, for a period (default: the current month and the five before
it, to today):

- cohort figures, over the applications *submitted* in the period (by month of submission):
  ``received``, ``accepted``, ``rejected`` (不予受理) and ``received_completed``; the completion
  rate (办结率) is ``received_completed / (received − rejected)``;
- completion figures, over the applications *completed* in the period (by month of closing):
  ``completed``, the on-time rate (completed by the deadline / completed with a deadline) and
  the average working days from acceptance to completion, paused working days excluded;
- "now" figures, whatever the period: the lights of the open applications and ``overdue``
  (open, accepted, past the deadline, not paused; by month: those submitted that month);
- evaluations (好差评) given in the period (by month of the evaluation): the five levels, the
  satisfaction (share of 非常满意 + 满意 + 基本满意) and the mean score, bad reviews and their
  rectification rate (rectifications closed / bad reviews);
- complaints (投诉建议) received in the period: replied, replied on time; overdue now.

Counting is done by the database (grouped ``COUNT``s, a few queries per breakdown); only the
working days between acceptance and completion are counted in Python, over the period's
completions, with one pass over the calendar.
"""

import datetime
from dataclasses import dataclass, field, fields

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from . import clock
from .models import (
    Application,
    ApplicationStatus,
    ClockPause,
    Complaint,
    ComplaintStatus,
    Evaluation,
    EvaluationLevel,
    RectificationStatus,
)
from .models.applications import OPEN_STATUSES

S = ApplicationStatus
DEFAULT_MONTHS = 6
# A period longer than this is refused (the API answers 422): the figures stay cheap.
MAX_PERIOD_DAYS = 3 * 366
SATISFIED_LEVELS = (
    EvaluationLevel.VERY_SATISFIED,
    EvaluationLevel.SATISFIED,
    EvaluationLevel.BASICALLY_SATISFIED,
)
LEVELS = (5, 4, 3, 2, 1)
# "township_item": one group per township and item, keyed (township id, item name), as the
# 两卡一表 statistics table (forms/backoffice/reports.py) shows them.
DIMENSIONS = ("township", "item", "clerk", "month", "township_item")


# --- the period ---------------------------------------------------------------------------


def local_today():
    """Today's local date: the day the "now" figures describe (one place, for the tests)."""
    return timezone.localdate()


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_key(value):
    """'2026-07' for a date or datetime (a datetime in the current time zone)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year:04d}-{value.month:02d}"


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (local dates)."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("start after end")
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            raise ValueError("period too long")

    @classmethod
    def last_months(cls, months=DEFAULT_MONTHS, today=None):
        """The current month and the ``months − 1`` before it, to ``today``."""
        today = today or local_today()
        index = today.year * 12 + today.month - 1 - (months - 1)
        return cls(datetime.date(index // 12, index % 12 + 1, 1), today)

    @property
    def start_moment(self):
        return _midnight(self.start)

    @property
    def end_moment(self):
        """The first moment after the period (exclusive bound)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def months(self):
        """Every month the period touches, oldest first: ['2026-02', …, '2026-07']."""
        keys = []
        index = self.start.year * 12 + self.start.month - 1
        last = self.end.year * 12 + self.end.month - 1
        while index <= last:
            keys.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
            index += 1
        return keys

    def within(self, field_name):
        return Q(**{f"{field_name}__gte": self.start_moment, f"{field_name}__lt": self.end_moment})


# --- the figures of one group -------------------------------------------------------------


def _rate(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class Figures:
    """Counts of one group (a township, an item, a clerk, a month or the whole scope).

    Only counts and sums are stored, so figures add up (``a + b``); the rates are derived.
    """

    # cohort: applications submitted in the period
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    received_completed: int = 0
    # completions in the period
    completed: int = 0
    completed_with_deadline: int = 0
    completed_on_time: int = 0
    handled: int = 0  # completions whose working days are counted (accepted and completed)
    handling_days: int = 0  # their working days from acceptance to completion, pauses excluded
    # now: open applications and their lights
    open: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    paused: int = 0
    unclocked: int = 0  # open without a deadline yet (not accepted): no light
    # evaluations given in the period
    evaluations: int = 0
    level_5: int = 0
    level_4: int = 0
    level_3: int = 0
    level_2: int = 0
    level_1: int = 0
    level_sum: int = 0
    bad_reviews: int = 0
    rectified: int = 0
    # complaints received in the period; overdue now
    complaints_received: int = 0
    complaints_replied: int = 0
    complaints_replied_on_time: int = 0
    complaints_overdue: int = 0

    def __add__(self, other):
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def update(self, values):
        for name, value in values.items():
            setattr(self, name, getattr(self, name) + (value or 0))

    # --- derived figures

    @property
    def overdue(self):
        """Open, accepted, past the deadline and not paused: the red lights."""
        return self.red

    @property
    def completed_late(self):
        return self.completed_with_deadline - self.completed_on_time

    @property
    def completion_rate(self):
        return _rate(self.received_completed, self.received - self.rejected)

    @property
    def on_time_rate(self):
        return _rate(self.completed_on_time, self.completed_with_deadline)

    @property
    def average_working_days(self):
        return round(self.handling_days / self.handled, 1) if self.handled else None

    @property
    def satisfied(self):
        return self.level_5 + self.level_4 + self.level_3

    @property
    def satisfaction(self):
        return _rate(self.satisfied, self.evaluations)

    @property
    def mean_score(self):
        return round(self.level_sum / self.evaluations, 2) if self.evaluations else None

    @property
    def rectification_rate(self):
        return _rate(self.rectified, self.bad_reviews)

    @property
    def complaint_on_time_rate(self):
        return _rate(self.complaints_replied_on_time, self.complaints_replied)

    @property
    def lights(self):
        return {
            clock.Light.GREEN: self.green,
            clock.Light.YELLOW: self.yellow,
            clock.Light.RED: self.red,
            clock.Light.PAUSED: self.paused,
        }

    @property
    def levels(self):
        """[(level, label, count)], 非常满意 first."""
        return [
            (level, EvaluationLevel(level).label, getattr(self, f"level_{level}"))
            for level in LEVELS
        ]

    def as_dict(self):
        """Plain data for the API and the templates (rates between 0 and 1, or None)."""
        return {
            "received": self.received,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "received_completed": self.received_completed,
            "completed": self.completed,
            "completed_with_deadline": self.completed_with_deadline,
            "completed_on_time": self.completed_on_time,
            "completed_late": self.completed_late,
            "completion_rate": self.completion_rate,
            "on_time_rate": self.on_time_rate,
            "average_working_days": self.average_working_days,
            "open": self.open,
            "overdue": self.overdue,
            "lights": {**self.lights, "unclocked": self.unclocked},
            "evaluations": self.evaluations,
            "evaluation_levels": {str(level): count for level, _label, count in self.levels},
            "satisfaction": self.satisfaction,
            "mean_score": self.mean_score,
            "bad_reviews": self.bad_reviews,
            "rectified": self.rectified,
            "rectification_rate": self.rectification_rate,
            "complaints": {
                "received": self.complaints_received,
                "replied": self.complaints_replied,
                "replied_on_time": self.complaints_replied_on_time,
                "on_time_rate": self.complaint_on_time_rate,
                "overdue": self.complaints_overdue,
            },
        }


# --- working days, counted once per calendar day -------------------------------------------


class WorkdayCounter:
    """``clock.is_workday`` summed over one span, so each question is answered in O(1)."""

    def __init__(self, first, last):
        self.first = first
        self.cumulative = [0]  # cumulative[i]: working days in [first, first + i)
        day = first
        while day <= last:
            self.cumulative.append(self.cumulative[-1] + (1 if clock.is_workday(day) else 0))
            day += datetime.timedelta(days=1)

    def _upto(self, day):
        """Working days in [first, day]."""
        return self.cumulative[(day - self.first).days + 1]

    def between(self, start, end):
        """Working days in (start, end], like ``clock.working_days_between`` (end ≥ start)."""
        return self._upto(end) - self._upto(start)

    def inclusive(self, start, end):
        """Working days in [start, end]."""
        return self._upto(end) - self.cumulative[(start - self.first).days]


def handling_working_days(accepted_on, closed_on, pauses, counter=None):
    """Working days from acceptance to completion, the clock's paused working days excluded
    (each pause from its first day to the day it ended, both counted, as ``clock`` does)."""
    if closed_on < accepted_on:
        return 0
    if counter is None:
        days = [accepted_on, closed_on, *(d for p in pauses for d in p if d)]
        counter = WorkdayCounter(min(days), max(days))
    paused = 0
    for started, ended in pauses:
        end = min(ended or closed_on, closed_on)
        start = max(started, accepted_on)
        if end >= start:
            paused += counter.inclusive(start, end)
    return max(0, counter.between(accepted_on, closed_on) - paused)


# --- grouped queries -----------------------------------------------------------------------

# The key of each breakdown, per model: a field path, a tuple of field paths (the key is then
# the tuple of their values), or the moment truncated to its month.
_KEYS = {
    "township": {"application": "township", "evaluation": "application__township"},
    "item": {"application": "item_name", "evaluation": "application__item_name"},
    "clerk": {"application": "responsible_clerk", "evaluation": "application__responsible_clerk"},
    "township_item": {
        "application": ("township", "item_name"),
        "evaluation": ("application__township", "application__item_name"),
    },
}
_COMPLAINT_KEYS = {"township": "township"}  # complaints have no item and no clerk
# The key of each breakdown in a ``Handling``: an attribute or a tuple of attributes.
_HANDLING_KEYS = {"township_item": ("township", "item")}


def _grouped(queryset, key, aggregates):
    """{key: {aggregate: value}}; ``key`` is None (one group), a field path, a tuple of field
    paths (grouped by all of them; the key is the tuple of their values) or an expression (a
    moment truncated to its month; the key is 'YYYY-MM')."""
    if key is None:
        return {None: queryset.aggregate(**aggregates)}
    queryset = queryset.order_by()
    if isinstance(key, str):
        names = (key,)
    elif isinstance(key, tuple):
        names = key
    else:
        queryset = queryset.annotate(group_key=key)
        names = ("group_key",)
    rows = queryset.values(*names).annotate(**aggregates)
    result = {}
    for row in rows:
        values = tuple(row.pop(name) for name in names)
        if isinstance(key, tuple):
            value = values
        elif isinstance(key, str):
            value = values[0]
        else:
            value = None if values[0] is None else month_key(values[0])
        # Several truncated values may fall in one month key (never with TruncMonth, but safe).
        target = result.setdefault(value, {})
        for aggregate, number in row.items():
            target[aggregate] = target.get(aggregate, 0) + (number or 0)
    return result


def _key(dimension, model, moment_field):
    if dimension is None:
        return None
    if dimension == "month":
        return TruncMonth(moment_field)
    return _KEYS[dimension][model]


def _running_q():
    """Accepted applications whose clock runs: a deadline, and not waiting for a supplement."""
    return Q(deadline__isnull=False) & ~Q(status=S.SUPPLEMENT, accepted_at__isnull=False)


def warning_limit(today):
    """Open deadlines before this date are yellow (``warning_days()`` working days or fewer
    left, as ``clock.clock_state`` decides), from this date on green."""
    return clock.add_working_days(today, clock.warning_days() + 1)


def _application_groups(applications, evaluations, dimension, period, today, handled):
    groups = {}

    def add(rows):
        for key, values in rows.items():
            groups.setdefault(key, Figures()).update(values)

    # Cohort: submitted in the period.
    add(
        _grouped(
            applications.filter(period.within("submitted_at")),
            _key(dimension, "application", "submitted_at"),
            {
                "received": Count("pk"),
                "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
                "rejected": Count("pk", filter=Q(status=S.REJECTED)),
                "received_completed": Count("pk", filter=Q(status=S.COMPLETED)),
            },
        )
    )
    # Completions in the period, by closing date.
    completions = applications.filter(period.within("closed_at"), status=S.COMPLETED)
    add(
        _grouped(
            completions.annotate(closed_on=TruncDate("closed_at")),
            _key(dimension, "application", "closed_at"),
            {
                "completed": Count("pk"),
                "completed_with_deadline": Count("pk", filter=Q(deadline__isnull=False)),
                "completed_on_time": Count(
                    "pk", filter=Q(deadline__isnull=False, closed_on__lte=F("deadline"))
                ),
            },
        )
    )
    add(_handling_groups(handled, dimension))
    # Now: the open applications (by month: of those submitted in the period, by month).
    open_now = applications.filter(status__in=OPEN_STATUSES)
    if dimension == "month":
        open_now = open_now.filter(period.within("submitted_at"))
    limit = warning_limit(today)
    running = _running_q()
    add(
        _grouped(
            open_now,
            _key(dimension, "application", "submitted_at"),
            {
                "open": Count("pk"),
                "unclocked": Count("pk", filter=Q(deadline__isnull=True)),
                "paused": Count(
                    "pk",
                    filter=Q(
                        deadline__isnull=False, status=S.SUPPLEMENT, accepted_at__isnull=False
                    ),
                ),
                "red": Count("pk", filter=running & Q(deadline__lt=today)),
                "yellow": Count("pk", filter=running & Q(deadline__gte=today, deadline__lt=limit)),
                "green": Count("pk", filter=running & Q(deadline__gte=limit)),
            },
        )
    )
    # Evaluations given in the period.
    level_counts = {f"level_{level}": Count("pk", filter=Q(level=level)) for level in LEVELS}
    add(
        _grouped(
            evaluations.filter(period.within("created_at")),
            _key(dimension, "evaluation", "created_at"),
            {
                "evaluations": Count("pk"),
                **level_counts,
                "level_sum": Sum("level"),
                "bad_reviews": Count("pk", filter=Q(level__lte=2)),
                "rectified": Count(
                    "pk",
                    filter=Q(level__lte=2, rectification__status=RectificationStatus.DONE),
                ),
            },
        )
    )
    return groups


@dataclass(frozen=True)
class Handling:
    """One completion of the period and its working days (acceptance → completion)."""

    township: int
    item: str
    clerk: int | None
    month: str  # of the closing date
    days: int


def handlings(applications, period):
    """The period's completions with their working days, paused days excluded.

    The only per-row work of the statistics: read once per report and grouped in Python for
    each breakdown (``_handling_groups``).
    """
    completions = applications.filter(
        period.within("closed_at"), status=S.COMPLETED, accepted_at__isnull=False
    ).order_by()
    rows = list(
        completions.values_list(
            "pk", "township_id", "item_name", "responsible_clerk_id", "accepted_at", "closed_at"
        )
    )
    if not rows:
        return []
    pauses = {}
    for application_id, started, ended in ClockPause.objects.filter(
        application__in=completions.values("pk")
    ).values_list("application_id", "started_on", "ended_on"):
        pauses.setdefault(application_id, []).append((started, ended))
    zone = timezone.get_current_timezone()
    dated = [
        (
            pk,
            township,
            item,
            clerk,
            accepted.astimezone(zone).date(),
            closed.astimezone(zone).date(),
        )
        for pk, township, item, clerk, accepted, closed in rows
    ]
    first = min(row[4] for row in dated)
    last = max(row[5] for row in dated)
    for spans in pauses.values():
        for started, ended in spans:
            first = min(first, started)
            last = max(last, ended or started)
    counter = WorkdayCounter(first, last)
    return [
        Handling(
            township,
            item,
            clerk,
            month_key(closed_on),
            handling_working_days(accepted_on, closed_on, pauses.get(pk, ()), counter),
        )
        for pk, township, item, clerk, accepted_on, closed_on in dated
    ]


def _handling_groups(rows, dimension):
    """{key: {"handled", "handling_days"}} for one breakdown."""
    attributes = _HANDLING_KEYS.get(dimension, dimension)
    result = {}
    for row in rows:
        if attributes is None:
            key = None
        elif isinstance(attributes, tuple):
            key = tuple(getattr(row, attribute) for attribute in attributes)
        else:
            key = getattr(row, attributes)
        target = result.setdefault(key, {"handled": 0, "handling_days": 0})
        target["handled"] += 1
        target["handling_days"] += row.days
    return result


def _complaint_groups(complaints, dimension, period, today):
    if dimension not in (None, "month", *_COMPLAINT_KEYS):
        return {}  # per item, clerk, township and item: complaints have no item or clerk
    key = None
    if dimension == "month":
        key = TruncMonth("created_at")
    elif dimension is not None:
        key = _COMPLAINT_KEYS[dimension]
    groups = {}
    received = _grouped(
        complaints.filter(period.within("created_at")).annotate(replied_on=TruncDate("replied_at")),
        key,
        {
            "complaints_received": Count("pk"),
            "complaints_replied": Count("pk", filter=Q(replied_at__isnull=False)),
            "complaints_replied_on_time": Count(
                "pk", filter=Q(replied_at__isnull=False, replied_on__lte=F("deadline"))
            ),
        },
    )
    overdue_now = complaints.filter(complaint_overdue_q(today))
    if dimension == "month":
        overdue_now = overdue_now.filter(period.within("created_at"))
    overdue = _grouped(overdue_now, key, {"complaints_overdue": Count("pk")})
    for rows in (received, overdue):
        for group, values in rows.items():
            groups.setdefault(group, Figures()).update(values)
    return groups


def complaint_overdue_q(today):
    """Not answered yet and past the reply deadline."""
    return Q(status=ComplaintStatus.RECEIVED, deadline__lt=today)


def overdue_q(today):
    """Open, accepted, past the deadline and not paused (a red light)."""
    return Q(status__in=OPEN_STATUSES) & _running_q() & Q(deadline__lt=today)


def figures(period, townships, dimension=None, today=None, handled=None):
    """{group key: Figures} for one breakdown (None: the whole scope, key None).

    ``townships``: a ``TownshipPage`` queryset, the scope. Keys: township id, item name, the
    responsible clerk's user id (None: nobody has handled it yet), 'YYYY-MM', or for
    "township_item" the tuple (township id, item name). ``handled``:
    the scope's ``handlings`` for the period, when already read.
    """
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(dimension)
    today = today or local_today()
    township_ids = townships.values("pk")
    applications = Application.objects.filter(township__in=township_ids)
    evaluations = Evaluation.objects.filter(application__township__in=township_ids)
    complaints = Complaint.objects.filter(township__in=township_ids)
    if handled is None:
        handled = handlings(applications, period)
    groups = _application_groups(applications, evaluations, dimension, period, today, handled)
    for key, extra in _complaint_groups(complaints, dimension, period, today).items():
        groups[key] = groups.get(key, Figures()) + extra
    if dimension == "month":
        months = period.months()
        groups = {month: groups.get(month, Figures()) for month in months}
    return groups


# --- the report the pages and the API show -------------------------------------------------


@dataclass
class Row:
    key: object
    label: str
    figures: Figures
    code: str = ""  # townships: the 9-digit code

    def as_dict(self):
        return self.figures.as_dict()


@dataclass
class Report:
    period: Period
    today: datetime.date
    total: Figures
    by_month: list = field(default_factory=list)
    by_township: list = field(default_factory=list)
    by_item: list = field(default_factory=list)
    by_clerk: list = field(default_factory=list)

    def as_dict(self):
        return {
            "period": {"start": self.period.start, "end": self.period.end, "today": self.today},
            **self.total.as_dict(),
            "by_month": [{"month": row.key, **row.as_dict()} for row in self.by_month],
        }


def _clerk_label(user):
    return user.get_full_name() or user.get_username()


def build_report(townships, period=None, *, dimensions=("township", "month"), today=None):
    """The figures of ``townships`` (a queryset) for ``period``: the total and each breakdown
    named in ``dimensions`` (township rows in code order, every township of the scope even with
    no records; months oldest first; items by received; clerks by name)."""
    from django.contrib.auth import get_user_model

    today = today or local_today()
    period = period or Period.last_months(today=today)
    handled = handlings(Application.objects.filter(township__in=townships.values("pk")), period)
    total = figures(period, townships, None, today, handled).get(None, Figures())
    report = Report(period=period, today=today, total=total)
    if "month" in dimensions:
        report.by_month = [
            Row(month, month, value)
            for month, value in figures(period, townships, "month", today, handled).items()
        ]
    if "township" in dimensions:
        by_township = figures(period, townships, "township", today, handled)
        report.by_township = [
            Row(pk, title, by_township.get(pk, Figures()), code)
            for pk, title, code in townships.order_by("code").values_list("pk", "title", "code")
        ]
    if "item" in dimensions:
        by_item = figures(period, townships, "item", today, handled)
        report.by_item = sorted(
            (Row(name, name, value) for name, value in by_item.items()),
            key=lambda row: (-row.figures.received, -row.figures.open, row.label),
        )
    if "clerk" in dimensions:
        by_clerk = figures(period, townships, "clerk", today, handled)
        users = get_user_model().objects.in_bulk([pk for pk in by_clerk if pk is not None])
        rows = [
            Row(pk, _clerk_label(users[pk]), value)
            for pk, value in by_clerk.items()
            if pk is not None and pk in users
        ]
        rows.sort(key=lambda row: row.label)
        if None in by_clerk:
            rows.append(Row(None, "", by_clerk[None]))
        report.by_clerk = rows
    return report


def overdue_applications(townships, today=None, limit=100):
    """(count, the oldest deadlines first, at most ``limit``) of the overdue open applications,
    each with ``days_overdue`` (working days past the deadline)."""
    today = today or local_today()
    queryset = Application.objects.filter(
        overdue_q(today), township__in=townships.values("pk")
    ).select_related("township", "responsible_clerk", "assigned_clerk")
    count = queryset.count()
    rows = list(queryset.order_by("deadline", "pk")[:limit])
    if rows:
        counter = WorkdayCounter(min(a.deadline for a in rows), today)
        for application in rows:
            application.days_overdue = counter.between(application.deadline, today)
    return count, rows
