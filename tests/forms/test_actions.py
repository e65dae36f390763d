"""The actions: allowed transitions, the record, the clock, refusals that change nothing."""

import datetime

import pytest
from django.utils import timezone

from forms import actions
from forms.models import (
    ApplicationStatus,
    ClockPause,
    EventAction,
    Notification,
    Rectification,
)
from guides.models.choices import TimeUnit

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", first_name="王")


def test_accept_starts_the_clock_and_the_first_clerk_stays_responsible(
    make_application, clerk, django_user_model
):
    application = make_application()
    other = django_user_model.objects.create_user("other")
    actions.accept(application, clerk, when=at(datetime.date(2026, 9, 29)))
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    assert application.promised_working_days == 20
    # 20 working days after 2026-09-29 across the National Day week (Oct 1–7 off, Sat 10 on)
    assert application.deadline == datetime.date(2026, 11, 2)
    assert application.responsible_clerk == clerk
    actions.complete(application, other, "approved", "已发放", when=at(datetime.date(2026, 10, 20)))
    application.refresh_from_db()
    assert application.responsible_clerk == clerk
    events = application.events.order_by("pk")
    assert [e.action for e in events] == ["submitted", "accepted", "completed"]
    assert events.last().actor == other


def test_supplement_pauses_the_clock_and_lists_everything_once(make_application, clerk):
    application = make_application()
    actions.accept(application, clerk, when=at(datetime.date(2026, 11, 2)))
    application.refresh_from_db()
    before = application.deadline
    actions.request_supplement(
        application,
        clerk,
        [("户口簿", "缺少户主页"), ("身份证", "照片不清晰")],
        when=at(datetime.date(2026, 11, 4)),
    )
    application.refresh_from_db()
    assert application.status == S.SUPPLEMENT
    assert actions.clock_state(application).light == "paused"
    event = application.events.get(action=EventAction.SUPPLEMENT_REQUESTED)
    assert [i.material_name for i in event.supplement_items.all()] == ["户口簿", "身份证"]
    with pytest.raises(actions.ActionRefused):
        actions.request_supplement(application, clerk, [("户口簿", "again")])
    actions.receive_supplement(application, clerk, when=at(datetime.date(2026, 11, 5)))
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    pause = ClockPause.objects.get(application=application)
    assert (pause.started_on, pause.ended_on) == (
        datetime.date(2026, 11, 4),
        datetime.date(2026, 11, 5),
    )
    assert application.deadline == before + datetime.timedelta(days=2)


def test_supplement_before_acceptance_does_not_pause(make_application, clerk):
    application = make_application()
    actions.request_supplement(application, clerk, [("户口簿", "缺少")])
    assert not ClockPause.objects.exists()
    actions.receive_supplement(application, clerk)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.accepted_at is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda a, c: actions.complete(a, c, "approved"), "只有办理中"),
        (lambda a, c: actions.forward(a, c, "区民政局"), "只有办理中"),
        (lambda a, c: actions.reject(a, c, ""), "必须写明理由"),
        (lambda a, c: actions.request_supplement(a, c, []), "至少列出一项"),
        (lambda a, c: actions.request_supplement(a, c, [("户口簿", "")]), "写明问题"),
        (lambda a, c: actions.evaluate(a, 5), "办结后"),
        (lambda a, c: actions.reassign(a, c, c), "本乡镇"),
    ],
)
def test_refused_actions_change_nothing(make_application, clerk, call, message):
    application = make_application()
    with pytest.raises(actions.ActionRefused) as refusal:
        call(application, clerk)
    assert message in refusal.value.message
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.events.count() == 1


def test_reject_after_acceptance_is_refused(make_application, clerk):
    application = make_application()
    actions.accept(application, clerk)
    with pytest.raises(actions.ActionRefused):
        actions.reject(application, clerk, "材料不全")


def test_forward_and_progress_then_complete(make_application, clerk):
    application = make_application()
    actions.accept(application, clerk)
    actions.forward(application, clerk, "广安区民政局")
    actions.record_forward_progress(application, clerk, "区民政局已审核")
    actions.complete(application, clerk, "denied", "收入超过标准")
    application.refresh_from_db()
    assert application.status == S.COMPLETED and application.outcome == "denied"
    assert application.forwarded_to == "广安区民政局"


def test_on_the_spot(make_application, clerk, online_guide):
    online_guide.promised_limit_unit = TimeUnit.ON_THE_SPOT
    application = make_application()
    actions.complete_on_the_spot(application, clerk, "当场发放")
    application.refresh_from_db()
    assert application.status == S.COMPLETED
    assert actions.clock_state(application).light == "green"


def test_bad_review_opens_a_rectification_with_a_deadline(make_application, clerk):
    application = make_application()
    actions.accept(application, clerk)
    actions.complete(application, clerk, "approved")
    evaluation = actions.evaluate(application, 1, "等了很久", when=at(datetime.date(2026, 9, 29)))
    rectification = Rectification.objects.get(evaluation=evaluation)
    assert rectification.deadline == datetime.date(2026, 10, 26)  # 15 working days
    with pytest.raises(actions.ActionRefused):
        actions.evaluate(application, 5)  # one evaluation per case
    actions.close_rectification(rectification, clerk, "已电话回访并致歉")
    rectification.refresh_from_db()
    assert rectification.status == "done"


def test_good_review_opens_nothing(make_application, clerk):
    application = make_application()
    actions.accept(application, clerk)
    actions.complete(application, clerk, "approved")
    actions.evaluate(application, 5)
    assert not Rectification.objects.exists()


def test_every_status_change_notifies_the_applicant(
    make_application, clerk, settings, django_capture_on_commit_callbacks
):
    settings.APPLICATIONS_NOTIFIERS = ["forms.notify.ConsoleNotifier", "forms.notify.SmsNotifier"]
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application()
        actions.accept(application, clerk)
    sent = Notification.objects.filter(application=application)
    assert {n.event.action for n in sent} == {"submitted", "accepted"}
    console = sent.filter(channel="console", event__action="accepted").get()
    assert console.sent and application.display_tracking_number in console.message
    assert "承诺于" in console.message
    sms = sent.filter(channel="sms", event__action="accepted").get()
    assert not sms.sent and "APPLICATIONS_SMS_GATEWAY" in sms.error


def test_sms_gateway_and_email(
    make_application, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.APPLICATIONS_NOTIFIERS = ["forms.notify.SmsNotifier", "forms.notify.EmailNotifier"]
    settings.APPLICATIONS_SMS_GATEWAY = "forms.notify.LoggingSmsGateway"
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(email="zhang@example.com")
    rows = Notification.objects.filter(application=application)
    assert all(r.sent for r in rows) and {r.channel for r in rows} == {"sms", "email"}
    assert mailoutbox[0].to == ["zhang@example.com"]


def test_suppressed_notifications(make_application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), actions.notifications_suppressed():
        make_application()
    assert not Notification.objects.exists()
