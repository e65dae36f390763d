"""The demo's application history (forms.demo), loaded by ``load_demo``: staff, agents, online
guides and six months of applications whose statuses, events, clocks and evaluations are what
the actions make of them.

A two-township demo is loaded once (class-scoped, inside a transaction rolled back afterwards);
tests that regenerate a township's history run inside their own rolled-back transaction.
"""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from stdnum.cn import ric
from wagtail.models import PageLogEntry, Revision

from forms import actions, clock, statistics
from forms.demo import load_history
from forms.demo.applicants import ADDRESS_CODES
from forms.demo.executors import ActionsExecutor, BatchExecutor
from forms.demo.online import QUESTIONS, WINDOW_ONLY
from forms.demo.timeline import months_before
from forms.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ClockPause,
    Complaint,
    ComplaintStatus,
    Evaluation,
    EventAction,
    GuideQuestion,
    Notification,
    Outcome,
    Rectification,
    RectificationStatus,
    SupplementItem,
    VillageAgent,
)
from forms.permissions import clerk_townships, head_townships
from forms.supervision.complaints import complaint_days
from forms.validators import clean_id_number, clean_mobile
from guides.demo.loader import load_demo
from guides.models import ServiceGuidePage, TownshipPage, VillageStationPage
from guides.models.choices import HandlingClass, TimeUnit
from guides.publishing import publish_blockers

pytestmark = pytest.mark.django_db

TOWNSHIPS = 2
S = ApplicationStatus
Light = clock.Light
# Events after which the application has another status.
STATUS_CHANGING = {
    EventAction.SUBMITTED,
    EventAction.ACCEPTED,
    EventAction.COMPLETED_ON_THE_SPOT,
    EventAction.SUPPLEMENT_REQUESTED,
    EventAction.SUPPLEMENT_RECEIVED,
    EventAction.REJECTED,
    EventAction.FORWARDED,
    EventAction.COMPLETED,
}


# The load date of the class's demo (a test running past midnight still compares with it).
LOADED = {}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("history-media")),
        transaction.atomic(),
    ):
        LOADED["today"] = timezone.localdate()
        report = load_demo(townships=TOWNSHIPS)
        yield report
        transaction.set_rollback(True)


def _today():
    return LOADED["today"]


def _date(moment):
    return timezone.localtime(moment).date()


def _applications(**filters):
    return (
        Application.objects.filter(is_demo=True, **filters)
        .select_related("guide", "township", "village", "agent")
        .prefetch_related("events", "pauses")
        .order_by("pk")
    )


def _category_counts(township):
    """What the supervision board distinguishes, for one township."""
    today = _today()
    counts = Counter()
    for app in _applications(township=township):
        actions_done = [e.action for e in app.events.all()]
        light = actions.clock_state(app, today=today).light
        counts[(app.status, light)] += 1
        if app.status == S.COMPLETED:
            counts["completed green" if light == Light.GREEN else "completed red late"] += 1
        elif app.is_open and light == Light.RED:
            counts["open red"] += 1
        elif app.is_open and light == Light.YELLOW:
            counts["open yellow"] += 1
        if {EventAction.SUPPLEMENT_REQUESTED, EventAction.SUPPLEMENT_RECEIVED} <= set(actions_done):
            counts["supplement received"] += 1
        if any(p.ended_on for p in app.pauses.all()):
            counts["clock paused and resumed"] += 1
        if app.status == S.REJECTED and app.rejection_reason:
            counts["rejected with reason"] += 1
        if (
            app.status == S.COMPLETED
            and EventAction.FORWARDED in actions_done
            and EventAction.FORWARD_PROGRESS in actions_done
        ):
            counts["forwarded, progress, completed"] += 1
        if app.status == S.FORWARDED:
            counts["forwarded open"] += 1
        if EventAction.COMPLETED_ON_THE_SPOT in actions_done:
            counts["on the spot"] += 1
        if app.outcome == Outcome.DENIED:
            counts["denied"] += 1
        if EventAction.EVALUATED in actions_done:
            counts["evaluated"] += 1
        if app.agent_id:
            counts["by an agent"] += 1
        if app.home_visit:
            counts["home visit"] += 1
        if app.appointment_date:
            counts["appointment"] += 1
        if app.status == S.SUBMITTED:
            counts["waiting for acceptance"] += 1
        if app.status == S.SUPPLEMENT:
            counts["waiting for a supplement"] += 1
    return counts


def _fingerprint(township):
    """Everything about a township's history except ids, tracking numbers and case serials."""
    skip = {"id", "tracking_number", "case_number"}
    app_fields = [f.attname for f in Application._meta.concrete_fields if f.attname not in skip]
    event_fields = ["action", "actor_id", "actor_name", "from_status", "to_status", "note"]
    event_fields += ["public", "created_at"]
    rows = []
    for app in _applications(township=township).prefetch_related(
        "events__supplement_items", "evaluation__rectification"
    ):
        evaluation = getattr(app, "evaluation", None)
        rectification = getattr(evaluation, "rectification", None) if evaluation else None
        rows.append(
            (
                tuple(getattr(app, name) for name in app_fields),
                app.case_number[:39],  # implementation code + date; the serial is a counter
                tuple(
                    (
                        tuple(getattr(e, name) for name in event_fields),
                        tuple((i.material_name, i.problem) for i in e.supplement_items.all()),
                    )
                    for e in app.events.all()
                ),
                tuple((p.started_on, p.ended_on) for p in app.pauses.all()),
                evaluation and (evaluation.level, evaluation.comment, evaluation.created_at),
                rectification
                and (
                    rectification.township_id,
                    rectification.deadline,
                    rectification.status,
                    rectification.response,
                    rectification.handled_by_id,
                    rectification.created_at,
                    rectification.closed_at,
                ),
            )
        )
    return rows


def _forget(township):
    Application.objects.filter(township=township, is_demo=True).delete()
    assert not Application.objects.filter(township=township).exists()


@pytest.mark.usefixtures("demo")
class TestHistory:
    def test_every_township_has_its_history(self, demo):
        townships = list(TownshipPage.objects.order_by("code"))
        assert len(townships) == TOWNSHIPS
        for township in townships:
            count = Application.objects.filter(township=township, is_demo=True).count()
            assert 30 <= count <= 80, (township.title, count)
        assert not Application.objects.filter(is_demo=False).exists()
        assert demo.totals["applications"] == Application.objects.count()
        assert demo.created["application events"] == ApplicationEvent.objects.count() > 0

    def test_staff_are_real_users_of_their_township_without_a_password(self):
        users = get_user_model().objects
        for township in TownshipPage.objects.all():
            clerks = [users.get(username=f"clerk-{township.code}-{n}") for n in (1, 2)]
            head = users.get(username=f"head-{township.code}")
            for user in (*clerks, head):
                assert not user.has_usable_password()
                assert user.is_active and not user.is_superuser
                assert user.get_full_name() and " " not in user.get_full_name()
            for clerk in clerks:
                assert list(clerk_townships(clerk)) == [township]
                assert not head_townships(clerk).exists()
            assert list(head_townships(head)) == [township]
            assert head.get_full_name() == township.center_head
            handled = Application.objects.filter(township=township).exclude(status=S.SUBMITTED)
            assert set(handled.values_list("responsible_clerk_id", flat=True)) <= {
                c.pk for c in clerks
            }

    def test_the_first_villages_have_agents(self):
        for township in TownshipPage.objects.all():
            villages = list(VillageStationPage.objects.child_of(township).order_by("code"))
            agents = VillageAgent.objects.filter(village__in=villages).select_related("user")
            assert {a.village_id for a in agents} == {v.pk for v in villages[:2]}
            for agent in agents:
                assert agent.user.username == f"agent-{agent.village.code}"
                assert agent.name == agent.village.agent_name
                assert not agent.user.has_usable_password()

    def test_statuses_follow_the_events(self):
        today = _today()
        checked = 0
        for app in _applications():
            events = list(app.events.all())
            first = events[0]
            assert (first.action, first.from_status, first.to_status) == (
                EventAction.SUBMITTED,
                "",
                S.SUBMITTED,
            )
            assert first.created_at == app.submitted_at
            status = S.SUBMITTED
            for previous, event in zip(events, events[1:], strict=False):
                assert event.created_at >= previous.created_at, app
                assert event.from_status == status, (app, event)
                assert (event.action in STATUS_CHANGING) == (event.to_status != status), event
                status = event.to_status
            changing = [e for e in events if e.action in STATUS_CHANGING]
            assert changing[-1].to_status == app.status == status, app
            assert all(_date(e.created_at) < today for e in events), app
            assert (app.closed_at is not None) == (app.status in (S.COMPLETED, S.REJECTED))
            if app.closed_at:
                assert app.closed_at == changing[-1].created_at
            checked += 1
        assert checked > 60

    def test_deadlines_are_the_clocks(self):
        accepted = _applications(accepted_at__isnull=False)
        assert accepted.count() > 40
        for app in accepted:
            accepted_on = _date(app.accepted_at)
            guide = app.guide
            if any(e.action == EventAction.COMPLETED_ON_THE_SPOT for e in app.events.all()):
                assert app.promised_working_days == 0
            else:
                assert app.promised_working_days == clock.promised_working_days(
                    guide.promised_limit_value, guide.promised_limit_unit, accepted_on
                )
            pauses = [(p.started_on, p.ended_on) for p in app.pauses.all() if p.ended_on]
            expected = clock.deadline_for(accepted_on, app.promised_working_days, pauses)
            assert app.deadline == expected, app
        for app in _applications(accepted_at__isnull=True):
            assert app.deadline is None and app.promised_working_days is None

    def test_pauses_are_the_supplement_requests_after_acceptance(self):
        for app in _applications(pauses__isnull=False).distinct():
            events = {e.action: e for e in app.events.all()}
            requested = events[EventAction.SUPPLEMENT_REQUESTED]
            assert requested.created_at > app.accepted_at
            (pause,) = app.pauses.all()
            assert pause.started_on == _date(requested.created_at)
            received = events.get(EventAction.SUPPLEMENT_RECEIVED)
            assert pause.ended_on == (_date(received.created_at) if received else None)
        requests = ApplicationEvent.objects.filter(action=EventAction.SUPPLEMENT_REQUESTED)
        assert requests.exists()
        assert not requests.filter(supplement_items__isnull=True).exists()
        assert SupplementItem.objects.exclude(problem="").count() == SupplementItem.objects.count()

    def test_evaluations_and_rectifications(self):
        completed = Application.objects.filter(is_demo=True, status=S.COMPLETED).count()
        evaluations = Evaluation.objects.select_related("application", "rectification")
        assert 0.5 * completed <= evaluations.count() <= 0.9 * completed
        assert not evaluations.exclude(application__status=S.COMPLETED).exists()
        for evaluation in evaluations:
            app = evaluation.application
            assert evaluation.created_at >= app.closed_at
            rectification = getattr(evaluation, "rectification", None)
            assert (rectification is not None) == evaluation.is_bad, evaluation
            if rectification is None:
                continue
            assert evaluation.comment
            assert rectification.township_id == app.township_id
            assert rectification.deadline == clock.add_working_days(
                _date(evaluation.created_at), actions.rectification_days()
            )
            if rectification.status == RectificationStatus.DONE:
                assert rectification.response
                assert rectification.handled_by.username == f"head-{app.township.code}"
                assert evaluation.created_at < rectification.closed_at
                assert _date(rectification.closed_at) <= rectification.deadline
        for township in TownshipPage.objects.all():
            assert Rectification.objects.filter(township=township).exists(), township

    def test_the_mix_has_every_outcome_in_every_township(self):
        wanted = [
            "completed green",
            "completed red late",
            "open red",
            "open yellow",
            "supplement received",
            "clock paused and resumed",
            "rejected with reason",
            "forwarded, progress, completed",
            "forwarded open",
            "on the spot",
            "denied",
            "evaluated",
            "by an agent",
            "home visit",
            "appointment",
            "waiting for acceptance",
            "waiting for a supplement",
        ]
        for township in TownshipPage.objects.all():
            counts = _category_counts(township)
            missing = [name for name in wanted if not counts[name]]
            assert missing == [], (township.title, missing)
            total = sum(n for key, n in counts.items() if isinstance(key, tuple))
            # Most are completed, and most of those in time.
            assert counts[(S.COMPLETED, Light.GREEN)] > total / 2
            assert counts["completed red late"] < counts["completed green"] / 4

    def test_rejections_and_denials_say_why(self):
        for app in _applications(status=S.REJECTED):
            (event,) = [e for e in app.events.all() if e.action == EventAction.REJECTED]
            assert len(app.rejection_reason) >= 15 and event.note == app.rejection_reason
        for app in _applications(outcome=Outcome.DENIED):
            assert len(app.result_note) >= 15
        for app in _applications(status=S.COMPLETED, outcome=Outcome.APPROVED):
            assert app.result_note

    def test_agents_submit_for_their_own_village(self):
        for app in _applications(agent__isnull=False):
            submitted = app.events.all()[0]
            assert submitted.actor_id == app.agent.user_id
            assert submitted.actor_name == app.agent.name
            assert app.village_id == app.agent.village_id
            assert app.guide.mode_proxy

    def test_applicants_numbers_are_valid(self):
        apps = list(_applications())
        for app in apps:
            number = app.id_number
            assert clean_id_number(number) == number
            assert ric.is_valid(number), number  # the strict check, birth place included
            born = ric.get_birth_date(number)
            assert number[:6] == next(code for year, code in ADDRESS_CODES if born.year >= year)
            assert clean_mobile(app.mobile) == app.mobile
            assert app.village.code.startswith(app.township.code)
            assert app.address and app.applicant_name
        assert len({a.id_number for a in apps}) == len(apps)
        men = sum(int(a.id_number[16]) % 2 for a in apps)
        assert 0.3 < men / len(apps) < 0.7

    def test_ages_fit_the_items(self):
        for app in _applications(item_name="80周岁以上老年人高龄津贴发放"):
            born = ric.get_birth_date(app.id_number)
            assert (_date(app.submitted_at) - born).days >= 80 * 365
        for app in _applications(item_name="离校未就业高校毕业生登记"):
            born = ric.get_birth_date(app.id_number)
            assert (_date(app.submitted_at) - born).days < 26 * 366

    def test_answers_follow_the_guides_questions(self):
        with_answers = _applications().exclude(answers=[])
        assert with_answers.exists()
        for app in with_answers:
            questions = list(app.guide.application_questions.all())
            asked = {q.label: q for q in questions}
            given = {}
            for answer in app.answers:
                question = asked[answer["question"]]
                assert answer["key"] == question.key
                if question.condition_key:
                    assert given[question.condition_key] == question.condition_value
                if question.kind == "choice":
                    assert answer["answer"] in question.choice_list
                if question.kind == "yes_no":
                    assert answer["answer"] in ("是", "否")
                given[question.key] = answer["answer"]
            unanswered = [
                q
                for q in questions
                if q.key not in given
                and (not q.condition_key or given.get(q.condition_key) == q.condition_value)
            ]
            assert unanswered == [], app

    def test_moments_are_in_office_hours_on_working_days(self):
        clerk_actions = ApplicationEvent.objects.filter(
            application__is_demo=True, actor__username__startswith="clerk-"
        )
        assert clerk_actions.count() > 100
        for event in clerk_actions:
            local = timezone.localtime(event.created_at)
            assert clock.is_workday(local.date()), event
            minutes = local.hour * 60 + local.minute
            assert 9 * 60 <= minutes <= 12 * 60 or 13 * 60 + 30 <= minutes <= 17 * 60 + 30
        first = Application.objects.order_by("submitted_at").first().submitted_at
        assert _today() - _date(first) <= datetime.timedelta(days=186)

    def test_guides_accept_online_applications(self):
        guides = ServiceGuidePage.objects.filter(is_demo=True).select_related("item")
        offline = {g.item.name for g in guides if not g.channel_online}
        assert offline == WINDOW_ONLY
        assert guides.filter(channel_online=True).count() >= 0.9 * guides.count()
        for guide in guides.prefetch_related(
            "conditions", "steps", "materials", "fees__fee_standard", "legal_bases__legal_basis"
        ):
            assert publish_blockers(guide) == [], guide.title
            assert guide.live_revision_id == guide.latest_revision_id
            as_published = guide.live_revision.as_object()
            assert as_published.channel_online == guide.channel_online
            assert as_published.online_depth == guide.online_depth
            assert [q.label for q in as_published.application_questions.all()] == [
                q.label for q in guide.application_questions.all()
            ]
            assert Revision.page_revisions.filter(object_id=str(guide.pk)).count() == 1

    def test_questions_on_a_handful_of_guides(self):
        questions = GuideQuestion.objects.select_related("guide__item")
        assert {q.guide.item.name for q in questions} == set(QUESTIONS)
        for question in questions:
            question.full_clean()
        dibao = [q for q in questions if q.guide.item.name == "最低生活保障"]
        kinds = {q.key: q.kind for q in dibao}
        assert kinds["household-size"] == "number" and kinds["has-disabled"] == "yes_no"
        conditional = [q for q in dibao if q.condition_key == "has-disabled"]
        assert conditional and conditional[0].condition_value == "是"

    def test_published_questions_survive_a_publish(self):
        guide = ServiceGuidePage.objects.filter(title="最低生活保障").first()
        before = list(guide.application_questions.values_list("key", flat=True))
        guide.live_revision.publish()
        assert list(guide.application_questions.values_list("key", flat=True)) == before
        assert len(before) == len(QUESTIONS["最低生活保障"])

    def test_a_second_load_adds_nothing(self):
        before = (
            Application.objects.count(),
            ApplicationEvent.objects.count(),
            get_user_model().objects.count(),
            GuideQuestion.objects.count(),
            Revision.objects.count(),
            PageLogEntry.objects.count(),
            Complaint.objects.count(),
        )
        report = load_demo(townships=TOWNSHIPS)
        assert not report.created_anything, report.created
        after = (
            Application.objects.count(),
            ApplicationEvent.objects.count(),
            get_user_model().objects.count(),
            GuideQuestion.objects.count(),
            Revision.objects.count(),
            PageLogEntry.objects.count(),
            Complaint.objects.count(),
        )
        assert after == before
        assert (
            load_history({t.code: t for t in TownshipPage.objects.all()}, today=_today()).complaints
            == 0
        )

    def test_complaints_answered_on_time_late_and_overdue(self):
        today = _today()
        period = statistics.Period(months_before(today, 6), today)
        figures = statistics.build_report(TownshipPage.objects.all(), period, today=today).total
        assert figures.complaints_received > figures.complaints_replied > 0
        assert 0 < figures.complaints_replied_on_time < figures.complaints_replied
        assert figures.complaints_overdue >= TOWNSHIPS  # one per 街道 at least
        for complaint in Complaint.objects.select_related("replied_by"):
            received = _date(complaint.created_at)
            assert period.start <= received < today
            assert complaint.deadline == clock.add_working_days(received, complaint_days())
            if complaint.replied_at is None:
                assert complaint.status == ComplaintStatus.RECEIVED and not complaint.reply
            else:
                assert complaint.replied_at > complaint.created_at
                assert _date(complaint.replied_at) < today
                assert clock.is_workday(_date(complaint.replied_at))
                assert complaint.replied_by.username.startswith(("head-", "clerk-"))
            if complaint.tracking_number:  # about one of the township's late applications
                app = Application.objects.get(tracking_number=complaint.tracking_number)
                assert app.township_id == complaint.township_id
                assert app.deadline < received

    def test_the_same_date_gives_the_same_history(self):
        township = TownshipPage.objects.order_by("code").first()
        loaded = _fingerprint(township)
        _forget(township)
        report = load_history({township.code: township}, today=_today())
        assert report.townships == 1 and report.applications == len(loaded)
        assert _fingerprint(township) == loaded
        _forget(township)
        load_history({township.code: township}, today=_today() - datetime.timedelta(days=1))
        assert _fingerprint(township) != loaded

    def test_the_batch_does_what_the_actions_do(self, django_capture_on_commit_callbacks):
        township = TownshipPage.objects.order_by("code").last()
        _forget(township)
        with django_capture_on_commit_callbacks() as callbacks:
            load_history({township.code: township}, today=_today(), executor=ActionsExecutor())
        assert callbacks == []  # nobody notified: the history is recorded quietly
        by_actions = _fingerprint(township)
        _forget(township)
        load_history({township.code: township}, today=_today(), executor=BatchExecutor())
        by_batch = _fingerprint(township)
        assert len(by_batch) == len(by_actions) > 30
        for batch, action in zip(by_batch, by_actions, strict=True):
            assert batch == action
        numbers = Application.objects.filter(township=township)
        assert len(set(numbers.values_list("case_number", flat=True))) == numbers.count()
        assert not Notification.objects.exists()

    def test_open_applications_of_every_light(self):
        today = _today()
        lights = Counter()
        for app in _applications(status__in=[S.ACCEPTED, S.FORWARDED]):
            lights[actions.clock_state(app, today=today).light] += 1
        assert lights[Light.GREEN] and lights[Light.YELLOW] and lights[Light.RED]
        paused = _applications(status=S.SUPPLEMENT, accepted_at__isnull=False)
        for app in paused:
            assert actions.clock_state(app, today=today).light == Light.PAUSED

    def test_only_timed_items_are_accepted_and_immediate_ones_done_on_the_spot(self):
        for app in _applications(accepted_at__isnull=False):
            on_the_spot = any(
                e.action == EventAction.COMPLETED_ON_THE_SPOT for e in app.events.all()
            )
            immediate = app.guide.handling_class == HandlingClass.IMMEDIATE
            assert on_the_spot == immediate, app
            if not immediate:
                assert app.guide.promised_limit_unit != TimeUnit.ON_THE_SPOT
            forwarded = any(e.action == EventAction.FORWARDED for e in app.events.all())
            if forwarded:
                assert app.guide.handling_class == HandlingClass.FORWARDED
                assert app.forwarded_to and "（" not in app.forwarded_to

    def test_clock_pauses_are_counted_once(self):
        assert ClockPause.objects.filter(ended_on__isnull=True).count() == (
            Application.objects.filter(status=S.SUPPLEMENT, accepted_at__isnull=False).count()
        )
