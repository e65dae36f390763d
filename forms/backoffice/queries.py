"""Queries of the back office: the supervision lights as database filters, the queue's order, the
people an application can be handed to, and small display helpers.

The lights are computed for one application by ``forms.actions.clock_state``; ``light_q`` is the
same rule as a ``Q`` so the queue can filter by light in the database (a test checks that both
agree for every kind of application).
"""

from django.contrib.auth import get_user_model
from django.db.models import Case, DateField, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from .. import clock
from ..models import ApplicationStatus
from ..models.applications import CLOSED_STATUSES
from ..permissions import HANDLING_ROLES

S = ApplicationStatus
# Open and running: the clock counts (a supplement after acceptance pauses it).
RUNNING = Q(status__in=(S.SUBMITTED, S.ACCEPTED, S.FORWARDED)) | Q(
    status=S.SUPPLEMENT, accepted_at__isnull=True
)
PAUSED = Q(status=S.SUPPLEMENT, accepted_at__isnull=False, deadline__isnull=False)
LIGHTS = (clock.Light.RED, clock.Light.YELLOW, clock.Light.GREEN, clock.Light.PAUSED)


def warning_limit(today):
    """The first deadline that is no longer 'near': the (warning days + 1)th working day after
    ``today``. An open deadline before it (and not passed) is yellow."""
    return clock.add_working_days(today, clock.warning_days() + 1)


def light_q(light, today=None):
    """A ``Q`` selecting the applications whose light is ``light`` (see ``clock.clock_state``)."""
    today = today or timezone.localdate()
    has_deadline = Q(deadline__isnull=False)
    completed = Q(status=S.COMPLETED, closed_at__isnull=False) & has_deadline
    if light == clock.Light.PAUSED:
        return PAUSED
    if light == clock.Light.RED:
        return (RUNNING & has_deadline & Q(deadline__lt=today)) | (
            completed & Q(closed_at__date__gt=F("deadline"))
        )
    if light == clock.Light.YELLOW:
        return RUNNING & Q(deadline__gte=today, deadline__lt=warning_limit(today))
    if light == clock.Light.GREEN:
        return (RUNNING & Q(deadline__gte=warning_limit(today))) | (
            completed & Q(closed_at__date__lte=F("deadline"))
        )
    raise ValueError(f"unknown light: {light!r}")


def in_queue_order(queryset):
    """Open applications first, the nearest deadline first (those without one yet, i.e. waiting
    for acceptance, after them, oldest first); then closed ones, the latest closed first."""
    return queryset.annotate(
        _closed=Case(
            When(status__in=CLOSED_STATUSES, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        _open_deadline=Case(
            When(status__in=CLOSED_STATUSES, then=Value(None)),
            default=F("deadline"),
            output_field=DateField(),
        ),
    ).order_by(
        "_closed",
        F("_open_deadline").asc(nulls_last=True),
        F("closed_at").desc(nulls_last=True),
        "submitted_at",
        "pk",
    )


def township_handlers(township):
    """Active users in the township's clerk and center-head groups (who can take over a case)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__township_role__township=township,
            groups__township_role__role__in=HANDLING_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def user_display(user):
    """The name staff recognise: the full name, else the username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def remedies(application):
    """``(reconsideration body, court)`` the applicant may turn to (guide, else the county)."""
    guide = application.guide
    if guide is not None:
        return guide.effective_reconsideration_body, guide.effective_litigation_court
    county = application.township.county
    if county is None:
        return "", ""
    return county.reconsideration_body, county.litigation_court


def light_info(state):
    """What a light shows: the colour class, its label and the working days left (or over)."""
    days = ""
    if state.days_left is not None:
        if state.days_left >= 0:
            days = gettext("剩余%(n)s个工作日") % {"n": state.days_left}
        else:
            days = gettext("超期%(n)s个工作日") % {"n": -state.days_left}
    return {
        "light": state.light or "none",
        "label": state.label,
        "deadline": state.deadline,
        "days": days,
        "overdue": state.overdue,
    }
