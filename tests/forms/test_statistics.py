"""The supervision figures against hand-built applications whose outcomes are known.

The scenario (``records``): two townships, June–July 2026 as the period, "today" 2026-07-31
(a Friday; no holiday in June–July 2026 but the Dragon Boat Festival, Friday 19 June). Each
application is built with ``create_application`` and the actions, at fixed moments.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from forms import actions, clock, statistics
from forms.models import Application, ApplicationStatus, Rectification
from forms.submission import Submission, create_application
from forms.supervision.complaints import create_complaint, reply
from guides import factories
from guides.models import TownshipPage
from tests.forms.conftest import applicant

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 7, 31)
PERIOD = statistics.Period(D(2026, 6, 1), D(2026, 7, 31))


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def submit(guide, day, hour=9):
    return create_application(Submission(guide=guide, applicant=applicant()), when=at(day, hour))


def accept(application, clerk, day):
    return actions.accept(application, clerk, when=at(day, 11))


def complete(application, clerk, day):
    return actions.complete(application, clerk, "approved", "已办结", when=at(day, 15))


def guide_for(township, name, days=5):
    item = factories.ServiceItemFactory(name=name)
    return factories.ServiceGuidePageFactory(
        parent=township, item=item, channel_online=True, promised_limit_value=days
    )


@pytest.fixture
def records(township, other_township, django_user_model):
    return build_records(township, other_township, django_user_model)


def build_records(township, other_township, django_user_model):
    """The applications, evaluations and complaints whose figures the tests check."""
    clerk1 = django_user_model.objects.create_user("clerk1", first_name="王", last_name="")
    clerk2 = django_user_model.objects.create_user("clerk2", first_name="李", last_name="")
    head = django_user_model.objects.create_user("head")
    g1 = guide_for(township, "最低生活保障申请")
    g2 = guide_for(township, "临时救助申请", days=3)
    gb = guide_for(other_township, "高龄津贴申请")
    a = SimpleNamespace()

    with actions.notifications_suppressed():
        # a1: accepted 06-01 (deadline 06-08), completed 06-05: on time, 4 working days.
        a.a1 = accept(submit(g1, D(2026, 6, 1)), clerk1, D(2026, 6, 1))
        complete(a.a1, clerk1, D(2026, 6, 5))
        actions.evaluate(a.a1, 5, when=at(D(2026, 6, 6)))
        # a2: accepted 06-02, paused 06-03..06-05 (3 working days): deadline 06-12;
        # completed 06-15: late; 9 working days − 3 paused = 6.
        a.a2 = accept(submit(g1, D(2026, 6, 2)), clerk1, D(2026, 6, 2))
        actions.request_supplement(a.a2, clerk1, [("户口簿", "缺户主页")], when=at(D(2026, 6, 3)))
        actions.receive_supplement(a.a2, clerk1, when=at(D(2026, 6, 5)))
        complete(a.a2, clerk1, D(2026, 6, 15))
        evaluation = actions.evaluate(a.a2, 2, "等太久", when=at(D(2026, 6, 16)))
        actions.close_rectification(
            Rectification.objects.get(evaluation=evaluation),
            head,
            "已回访",
            when=at(D(2026, 6, 20)),
        )
        # a3: rejected.
        a.a3 = submit(g2, D(2026, 6, 3))
        actions.reject(a.a3, clerk2, "不属于本中心受理范围", when=at(D(2026, 6, 4)))
        # a4: done on the spot: on time, 0 working days; a bad review never rectified.
        a.a4 = submit(g2, D(2026, 6, 10))
        actions.complete_on_the_spot(a.a4, clerk2, "当场办结", when=at(D(2026, 6, 10), 10))
        actions.evaluate(a.a4, 1, "态度不好", when=at(D(2026, 6, 11)))
        # a5: accepted 07-01 (deadline 07-08), still open: red.
        a.a5 = accept(submit(g1, D(2026, 7, 1)), clerk1, D(2026, 7, 1))
        # a6: accepted 07-27 (deadline 08-03): 1 working day left on 07-31: yellow.
        a.a6 = accept(submit(g1, D(2026, 7, 27)), clerk2, D(2026, 7, 27))
        # a7: accepted 07-30 (deadline 08-06): 4 working days left: green.
        a.a7 = accept(submit(g1, D(2026, 7, 30)), clerk1, D(2026, 7, 30))
        # a8: accepted 07-06, waiting for a supplement: paused.
        a.a8 = accept(submit(g1, D(2026, 7, 6)), clerk1, D(2026, 7, 6))
        actions.request_supplement(a.a8, clerk1, [("身份证", "不清晰")], when=at(D(2026, 7, 8)))
        # a9: submitted, nobody has acted: open without a light.
        a.a9 = submit(g2, D(2026, 7, 15))
        # a10: submitted in May (outside the period), completed 06-02, late (deadline 05-27);
        # 9 working days.
        a.a10 = accept(submit(g1, D(2026, 5, 20)), clerk1, D(2026, 5, 20))
        complete(a.a10, clerk1, D(2026, 6, 2))
        # a11: submitted in April, still open: overdue now, but in no month of the period.
        a.a11 = accept(submit(g1, D(2026, 4, 1)), clerk1, D(2026, 4, 1))
        # The other township: one on time (evaluated 4), one overdue.
        a.b1 = accept(submit(gb, D(2026, 6, 5)), clerk2, D(2026, 6, 5))
        complete(a.b1, clerk2, D(2026, 6, 8))
        actions.evaluate(a.b1, 4, when=at(D(2026, 6, 9)))
        a.b2 = accept(submit(gb, D(2026, 7, 2)), clerk2, D(2026, 7, 2))

    # Complaints: answered on time, answered late, overdue; the other township's not yet due.
    c1 = create_complaint(
        township=township, kind="complaint", subject="一", content="内容一", when=at(D(2026, 6, 1))
    )
    reply(c1, head, "已处理", published=True, when=at(D(2026, 6, 5)))
    c2 = create_complaint(
        township=township, kind="suggestion", subject="二", content="内容二", when=at(D(2026, 7, 1))
    )
    reply(c2, head, "谢谢建议", when=at(D(2026, 7, 10)))
    create_complaint(
        township=township, kind="complaint", subject="三", content="内容三", when=at(D(2026, 7, 20))
    )
    create_complaint(
        township=other_township,
        kind="complaint",
        subject="四",
        content="内容四",
        when=at(D(2026, 7, 29)),
    )
    a.clerk1, a.clerk2, a.g1, a.g2 = clerk1, clerk2, g1, g2
    return a


def only(township):
    return TownshipPage.objects.filter(pk=township.pk)


def test_the_scenario_is_what_the_comments_say(records):
    """Guards the expectations below: deadlines as the clock gives them."""
    for name, deadline in [
        ("a1", D(2026, 6, 8)),
        ("a2", D(2026, 6, 12)),
        ("a4", D(2026, 6, 10)),
        ("a5", D(2026, 7, 8)),
        ("a6", D(2026, 8, 3)),
        ("a7", D(2026, 8, 6)),
        ("a10", D(2026, 5, 27)),
    ]:
        application = Application.objects.get(pk=getattr(records, name).pk)
        assert application.deadline == deadline, name


def test_township_figures(records, township):
    f = statistics.figures(PERIOD, only(township), None, TODAY)[None]
    # cohort: a1–a9 submitted in the period; a3 rejected; a9 never accepted
    assert (f.received, f.accepted, f.rejected, f.received_completed) == (9, 7, 1, 3)
    assert f.completion_rate == round(3 / 8, 4)
    # completions in the period: a1, a2, a4 and a10 (submitted in May); a1 and a4 on time
    assert (f.completed, f.completed_with_deadline, f.completed_on_time) == (4, 4, 2)
    assert f.completed_late == 2
    assert f.on_time_rate == 0.5
    # working days: a1 4, a2 9 − 3 paused, a4 0, a10 9
    assert (f.handled, f.handling_days) == (4, 4 + 6 + 0 + 9)
    assert f.average_working_days == 4.8
    # now: a5 and a11 red, a6 yellow, a7 green, a8 paused, a9 no light
    assert (f.open, f.red, f.yellow, f.green, f.paused, f.unclocked) == (6, 2, 1, 1, 1, 1)
    assert f.overdue == 2
    # evaluations: 5, 2 (rectified), 1
    assert (f.evaluations, f.level_5, f.level_2, f.level_1, f.level_4, f.level_3) == (
        3,
        1,
        1,
        1,
        0,
        0,
    )
    assert f.satisfaction == round(1 / 3, 4)
    assert f.mean_score == round(8 / 3, 2)
    assert (f.bad_reviews, f.rectified, f.rectification_rate) == (2, 1, 0.5)
    # complaints: three received, two answered, one on time, one overdue
    assert (
        f.complaints_received,
        f.complaints_replied,
        f.complaints_replied_on_time,
        f.complaints_overdue,
    ) == (3, 2, 1, 1)
    assert f.complaint_on_time_rate == 0.5


def test_lights_agree_with_the_clock_of_each_application(records, township, other_township):
    counts = {"green": 0, "yellow": 0, "red": 0, "paused": 0, "": 0}
    for application in Application.objects.filter(status__in=statistics.OPEN_STATUSES):
        counts[actions.clock_state(application, today=TODAY).light] += 1
    f = statistics.figures(PERIOD, TownshipPage.objects.all(), None, TODAY)[None]
    assert f.lights == {k: counts[k] for k in ("green", "yellow", "red", "paused")}
    assert f.unclocked == counts[""]
    assert counts["red"] == 3  # a5, a11, b2


def test_months(records, township):
    by_month = statistics.figures(PERIOD, only(township), "month", TODAY)
    assert list(by_month) == ["2026-06", "2026-07"]
    june, july = by_month["2026-06"], by_month["2026-07"]
    assert (june.received, june.rejected, june.completed, june.completed_on_time) == (4, 1, 4, 2)
    assert june.on_time_rate == 0.5
    assert (june.evaluations, june.satisfaction) == (3, round(1 / 3, 4))
    assert june.overdue == 0
    assert (july.received, july.completed, july.on_time_rate, july.satisfaction) == (
        5,
        0,
        None,
        None,
    )
    # a5 submitted in July is overdue; a11 (April) counts in the total only
    assert july.overdue == 1
    assert (july.red, july.yellow, july.green, july.paused, july.unclocked) == (1, 1, 1, 1, 1)
    assert (june.complaints_received, june.complaints_replied_on_time) == (1, 1)
    assert (july.complaints_received, july.complaints_replied, july.complaints_overdue) == (2, 1, 1)


def test_items_and_clerks(records, township):
    by_item = statistics.figures(PERIOD, only(township), "item", TODAY)
    assert set(by_item) == {"最低生活保障申请", "临时救助申请"}
    relief = by_item["临时救助申请"]
    assert (relief.received, relief.rejected, relief.completed, relief.unclocked) == (3, 1, 1, 1)
    assert (relief.evaluations, relief.bad_reviews, relief.rectified) == (1, 1, 0)
    allowance = by_item["最低生活保障申请"]
    assert (allowance.received, allowance.completed, allowance.red) == (6, 3, 2)

    by_clerk = statistics.figures(PERIOD, only(township), "clerk", TODAY)
    first = by_clerk[records.clerk1.pk]
    assert (first.received, first.completed, first.completed_on_time) == (5, 3, 1)
    assert (first.red, first.green, first.paused) == (2, 1, 1)
    second = by_clerk[records.clerk2.pk]
    assert (second.received, second.rejected, second.completed, second.on_time_rate) == (
        3,
        1,
        1,
        1.0,
    )
    assert second.yellow == 1
    assert by_clerk[None].received == 1  # a9: nobody responsible yet
    assert by_clerk[None].unclocked == 1


def test_breakdowns_add_up_to_the_total(records, township, other_township):
    townships = TownshipPage.objects.all()
    total = statistics.figures(PERIOD, townships, None, TODAY)[None]
    for dimension in ("township", "item", "clerk"):
        parts = statistics.figures(PERIOD, townships, dimension, TODAY).values()
        summed = sum(parts, statistics.Figures())
        if dimension != "township":  # complaints are per township and month only
            summed.complaints_received = total.complaints_received
            summed.complaints_replied = total.complaints_replied
            summed.complaints_replied_on_time = total.complaints_replied_on_time
            summed.complaints_overdue = total.complaints_overdue
        assert summed == total, dimension
    assert (total.received, total.completed, total.on_time_rate, total.overdue) == (11, 5, 0.6, 3)
    assert total.satisfaction == 0.5


def test_report_rows(records, township, other_township):
    report = statistics.build_report(
        TownshipPage.objects.all(), PERIOD, dimensions=("township", "month", "clerk"), today=TODAY
    )
    assert [row.code for row in report.by_township] == ["511602101", "511602102"]
    assert [row.label for row in report.by_township] == ["官盛镇", "协兴镇"]
    assert report.by_township[1].figures.received == 2
    assert [row.key for row in report.by_month] == ["2026-06", "2026-07"]
    assert [row.label for row in report.by_clerk] == ["李", "王", ""]
    data = report.as_dict()
    assert data["received"] == 11
    assert data["by_month"][0]["month"] == "2026-06"
    assert data["lights"] == {"green": 1, "yellow": 1, "red": 3, "paused": 1, "unclocked": 1}


def test_an_empty_scope_has_undefined_rates(db, township):
    f = statistics.figures(PERIOD, only(township), None, TODAY)[None]
    assert f.received == 0
    data = f.as_dict()
    for key in ("completion_rate", "on_time_rate", "satisfaction", "rectification_rate"):
        assert data[key] is None
    assert data["average_working_days"] is None


def test_the_period_bounds_are_local_days(township, django_user_model):
    guide = guide_for(township, "最低生活保障申请")
    inside = submit(guide, D(2026, 7, 31), hour=23)  # 23:00 in Beijing is still 31 July
    submit(guide, D(2026, 8, 1), hour=0)
    f = statistics.figures(PERIOD, only(township), None, TODAY)[None]
    assert f.received == 1
    assert Application.objects.get(pk=inside.pk).status == ApplicationStatus.SUBMITTED


def test_default_period_is_this_month_and_the_five_before():
    period = statistics.Period.last_months(today=D(2026, 3, 15))
    assert (period.start, period.end) == (D(2025, 10, 1), D(2026, 3, 15))
    assert period.months() == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    with pytest.raises(ValueError):
        statistics.Period(D(2026, 3, 2), D(2026, 3, 1))


def test_handling_days_match_the_clock():
    accepted, closed = D(2026, 4, 28), D(2026, 5, 14)  # across the May Day holiday
    pauses = [(D(2026, 5, 6), D(2026, 5, 8))]
    expected = clock.working_days_between(accepted, closed) - clock.paused_working_days(
        pauses, closed
    )
    assert statistics.handling_working_days(accepted, closed, pauses) == expected
    counter = statistics.WorkdayCounter(D(2026, 4, 1), D(2026, 6, 30))
    for start, end in [(D(2026, 4, 30), D(2026, 5, 11)), (D(2026, 5, 1), D(2026, 5, 9))]:
        assert counter.between(start, end) == clock.working_days_between(start, end)
