"""The working-day clock against China's real 2026 calendar (chinese-calendar)."""

import datetime

import pytest

from forms import clock
from forms.models import WorkCalendarDay
from guides.models.choices import TimeUnit

D = datetime.date


def test_national_day_week_is_not_counted():
    # 2026-09-30 (Wed) + 3 working days: Oct 1–7 are holidays, Oct 10 (Sat) is a make-up day.
    assert clock.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert clock.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_zero_days_is_the_same_working_day_or_the_next():
    assert clock.add_working_days(D(2026, 12, 7), 0) == D(2026, 12, 7)  # Monday
    assert clock.add_working_days(D(2026, 12, 5), 0) == D(2026, 12, 7)  # Saturday


def test_working_days_between_is_antisymmetric():
    start, end = D(2026, 9, 25), D(2026, 10, 12)
    forward = clock.working_days_between(start, end)
    assert forward == clock.working_days_between(start, end)
    assert clock.working_days_between(end, start) == -forward
    assert clock.add_working_days(start, forward) <= end


def test_natural_days_become_working_days():
    assert clock.promised_working_days(10, TimeUnit.NATURAL_DAYS, D(2026, 9, 28)) == (
        clock.working_days_between(D(2026, 9, 28), D(2026, 10, 8))
    )
    assert clock.promised_working_days(1, TimeUnit.ON_THE_SPOT, D(2026, 9, 28)) == 0
    assert clock.promised_working_days(20, TimeUnit.WORKING_DAYS, D(2026, 9, 28)) == 20


def test_pauses_extend_the_deadline():
    accepted = D(2026, 11, 2)  # Monday
    plain = clock.deadline_for(accepted, 5)
    assert plain == D(2026, 11, 9)
    paused = clock.deadline_for(accepted, 5, [(D(2026, 11, 4), D(2026, 11, 5))])
    assert paused == D(2026, 11, 11)  # two working days paused


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (D(2026, 11, 2), clock.Light.GREEN),
        (D(2026, 11, 6), clock.Light.YELLOW),  # one working day left (Fri → Mon)
        (D(2026, 11, 9), clock.Light.YELLOW),  # the deadline itself
        (D(2026, 11, 10), clock.Light.RED),
    ],
)
def test_open_lights(today, light):
    assert clock.clock_state(D(2026, 11, 9), today=today).light == light


def test_closed_lights_and_pause():
    assert clock.clock_state(D(2026, 11, 9), closed_on=D(2026, 11, 9)).light == "green"
    late = clock.clock_state(D(2026, 11, 9), closed_on=D(2026, 11, 10))
    assert late.light == "red" and late.overdue
    assert clock.clock_state(D(2026, 11, 9), paused=True).light == "paused"


def test_warning_days_are_configurable(settings):
    settings.APPLICATIONS_WARNING_DAYS = 0
    assert clock.clock_state(D(2026, 11, 9), today=D(2026, 11, 6)).light == "green"


@pytest.mark.django_db
def test_administrator_corrections_take_precedence_and_cover_unknown_years():
    assert not clock.library_knows(2099)
    assert clock.is_workday(D(2099, 1, 1))  # a Thursday, unknown year: weekdays count
    WorkCalendarDay.objects.create(date=D(2099, 1, 1), is_workday=False, note="元旦")
    assert not clock.is_workday(D(2099, 1, 1))
    WorkCalendarDay.objects.create(date=D(2026, 10, 1), is_workday=True, note="test")
    assert clock.is_workday(D(2026, 10, 1))
    WorkCalendarDay.objects.all().delete()
    assert not clock.is_workday(D(2026, 10, 1))


@pytest.mark.django_db
def test_calendar_check_warns_about_unknown_years(settings):
    from forms.checks import check_calendar_coverage

    ids = [m.id for m in check_calendar_coverage(databases=["default"])]
    years = [y for y in (2026, 2027) if not clock.library_knows(y)]
    assert ids == ["applications.W001"] * len(years) or not years
