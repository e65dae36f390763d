"""Every action on an application, in one place: the back office, the status page and the demo
loader call these and nothing else changes an application's status.

Each action checks the status it starts from, changes the application in one transaction,
records an ``ApplicationEvent`` (who, when, what, note) and, once committed, queues the
applicant's notification. A refused action raises ``ActionRefused`` with a message in Chinese
and changes nothing.
"""

import contextlib
import contextvars

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import clock
from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ClockPause,
    Evaluation,
    EventAction,
    Outcome,
    Rectification,
    SupplementItem,
)

S = ApplicationStatus
DEFAULT_RECTIFICATION_DAYS = 15
_quiet = contextvars.ContextVar("applications_quiet", default=False)


@contextlib.contextmanager
def notifications_suppressed():
    """Record events without notifying anyone (the demo loader's history)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


class ActionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def rectification_days():
    return getattr(settings, "APPLICATIONS_RECTIFICATION_DAYS", DEFAULT_RECTIFICATION_DAYS)


def _now(when):
    return when or timezone.now()


def _local_date(moment):
    return timezone.localtime(moment).date()


def _actor_name(user):
    if user is None:
        return _("申请人")
    return user.get_full_name() or user.get_username()


def _lock(application):
    """Re-read the application under a row lock so two clerks cannot act on a stale copy."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _require(application, allowed, message):
    if application.status not in allowed:
        raise ActionRefused(message)


def record(
    application,
    action,
    *,
    actor=None,
    note="",
    from_status="",
    when=None,
    public=True,
    actor_name=None,
    notify=True,
):
    event = ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=actor,
        actor_name=actor_name or _actor_name(actor),
        from_status=from_status,
        to_status=application.status,
        note=note,
        public=public,
        created_at=_now(when),
    )
    if notify and not _quiet.get():
        from .tasks import notify_applicant

        transaction.on_commit(lambda: notify_applicant.enqueue(event.pk))
    return event


def _take_responsibility(application, clerk):
    """The first clerk who acts stays responsible to the end (首问负责制)."""
    if clerk is not None and application.responsible_clerk_id is None:
        application.responsible_clerk = clerk
    if clerk is not None and application.assigned_clerk_id is None:
        application.assigned_clerk = clerk


def _pauses(application):
    return [(p.started_on, p.ended_on) for p in application.pauses.all()]


def refresh_deadline(application, today=None):
    """Deadline = acceptance + promised working days + the working days the clock was paused."""
    if application.accepted_at is None or application.promised_working_days is None:
        application.deadline = None
        return None
    application.deadline = clock.deadline_for(
        _local_date(application.accepted_at),
        application.promised_working_days,
        _pauses(application),
        today=today,
    )
    return application.deadline


def clock_state(application, today=None):
    paused = application.status == S.SUPPLEMENT and application.accepted_at is not None
    closed_on = _local_date(application.closed_at) if application.closed_at else None
    if application.status == S.REJECTED:
        return clock.ClockState(clock.Light.NONE, None, None, False, False)
    return clock.clock_state(application.deadline, closed_on=closed_on, paused=paused, today=today)


def _start_clock(application, moment):
    application.accepted_at = moment
    guide = application.guide
    if guide is not None:
        application.promised_working_days = clock.promised_working_days(
            guide.promised_limit_value, guide.promised_limit_unit, _local_date(moment)
        )
    refresh_deadline(application, today=_local_date(moment))


@transaction.atomic
def accept(application, clerk, note="", when=None):
    application = _lock(application)
    _require(application, (S.SUBMITTED,), _("只有待受理的申请可以受理。"))
    moment = _now(when)
    previous = application.status
    _take_responsibility(application, clerk)
    application.status = S.ACCEPTED
    _start_clock(application, moment)
    application.save()
    record(
        application, EventAction.ACCEPTED, actor=clerk, note=note, from_status=previous, when=moment
    )
    return application


@transaction.atomic
def complete_on_the_spot(application, clerk, result_note="", when=None):
    """即办件: accepted and completed (approved) at once."""
    application = _lock(application)
    _require(application, (S.SUBMITTED,), _("只有待受理的申请可以即办办结。"))
    moment = _now(when)
    previous = application.status
    _take_responsibility(application, clerk)
    application.status = S.COMPLETED
    application.accepted_at = moment
    application.promised_working_days = 0
    refresh_deadline(application, today=_local_date(moment))
    application.closed_at = moment
    application.outcome = Outcome.APPROVED
    application.result_note = result_note
    application.save()
    record(
        application,
        EventAction.COMPLETED_ON_THE_SPOT,
        actor=clerk,
        note=result_note,
        from_status=previous,
        when=moment,
    )
    return application


@transaction.atomic
def request_supplement(application, clerk, items, note="", when=None):
    """一次性告知: every missing or invalid material at once; the clock pauses if it runs.

    ``items`` is a list of ``(material name, problem)``. Only one request per application: the
    whole point is that the applicant is asked once.
    """
    items = [(name.strip(), problem.strip()) for name, problem in items if name.strip()]
    if not items:
        raise ActionRefused(_("请至少列出一项需要补正的材料及其问题。"))
    if any(not problem for _name, problem in items):
        raise ActionRefused(_("请为每一项补正材料写明问题（缺少、不清晰、已过期等）。"))
    application = _lock(application)
    _require(application, (S.SUBMITTED, S.ACCEPTED), _("只有待受理或办理中的申请可以要求补正。"))
    if application.events.filter(action=EventAction.SUPPLEMENT_REQUESTED).exists():
        raise ActionRefused(_("该申请已经一次性告知过补正材料，不能再次要求补正。"))
    moment = _now(when)
    previous = application.status
    _take_responsibility(application, clerk)
    application.status = S.SUPPLEMENT
    application.save()
    if application.accepted_at is not None:
        ClockPause.objects.create(application=application, started_on=_local_date(moment))
    event = record(
        application,
        EventAction.SUPPLEMENT_REQUESTED,
        actor=clerk,
        note=note,
        from_status=previous,
        when=moment,
    )
    SupplementItem.objects.bulk_create(
        SupplementItem(event=event, material_name=name, problem=problem) for name, problem in items
    )
    return application


@transaction.atomic
def receive_supplement(application, actor=None, note="", when=None):
    """The supplement arrived (at the window, or uploaded by the applicant): the clock runs on."""
    application = _lock(application)
    _require(application, (S.SUPPLEMENT,), _("该申请没有待补正的材料。"))
    moment = _now(when)
    previous = application.status
    if application.accepted_at is None:
        application.status = S.SUBMITTED
    else:
        application.status = S.ACCEPTED
        application.pauses.filter(ended_on__isnull=True).update(ended_on=_local_date(moment))
        refresh_deadline(application, today=_local_date(moment))
    application.save()
    record(
        application,
        EventAction.SUPPLEMENT_RECEIVED,
        actor=actor,
        note=note,
        from_status=previous,
        when=moment,
    )
    return application


@transaction.atomic
def reject(application, clerk, reason, when=None):
    """不予受理, with the reason in writing (the printable 不予受理告知书)."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("不予受理必须写明理由。"))
    application = _lock(application)
    _require(
        application,
        (S.SUBMITTED, S.SUPPLEMENT),
        _("只有尚未受理的申请可以不予受理；已受理的申请请办结并选择“不予办理”。"),
    )
    moment = _now(when)
    previous = application.status
    _take_responsibility(application, clerk)
    application.status = S.REJECTED
    application.rejection_reason = reason
    application.closed_at = moment
    application.save()
    record(
        application,
        EventAction.REJECTED,
        actor=clerk,
        note=reason,
        from_status=previous,
        when=moment,
    )
    return application


@transaction.atomic
def forward(application, clerk, to, note="", when=None):
    """上报: the higher level decides; the window follows it to the end."""
    to = (to or "").strip()
    if not to:
        raise ActionRefused(_("请填写上报的单位。"))
    application = _lock(application)
    _require(application, (S.ACCEPTED,), _("只有办理中的申请可以上报。"))
    moment = _now(when)
    previous = application.status
    _take_responsibility(application, clerk)
    application.status = S.FORWARDED
    application.forwarded_to = to
    application.save()
    text = _("已上报%(to)s。") % {"to": to} + (f" {note}" if note else "")
    record(
        application,
        EventAction.FORWARDED,
        actor=clerk,
        note=text,
        from_status=previous,
        when=moment,
    )
    return application


@transaction.atomic
def record_forward_progress(application, clerk, note, when=None):
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("请填写上报进展。"))
    application = _lock(application)
    _require(application, (S.FORWARDED,), _("只有已上报的申请可以记录上报进展。"))
    _take_responsibility(application, clerk)
    application.save()
    record(
        application,
        EventAction.FORWARD_PROGRESS,
        actor=clerk,
        note=note,
        from_status=application.status,
        when=when,
    )
    return application


@transaction.atomic
def complete(application, clerk, outcome, result_note="", when=None):
    """办结: approved or denied, with the result and how it is delivered."""
    if outcome not in Outcome.values:
        raise ActionRefused(_("请选择办理结果：准予办理或不予办理。"))
    result_note = (result_note or "").strip()
    if outcome == Outcome.DENIED and not result_note:
        raise ActionRefused(_("不予办理必须写明理由。"))
    application = _lock(application)
    _require(application, (S.ACCEPTED, S.FORWARDED), _("只有办理中或已上报的申请可以办结。"))
    moment = _now(when)
    previous = application.status
    _take_responsibility(application, clerk)
    application.status = S.COMPLETED
    application.outcome = outcome
    application.result_note = result_note
    application.closed_at = moment
    application.save()
    label = str(Outcome(outcome).label)
    text = f"{label}：{result_note}" if result_note else label
    record(
        application,
        EventAction.COMPLETED,
        actor=clerk,
        note=text,
        from_status=previous,
        when=moment,
    )
    return application


@transaction.atomic
def reassign(application, clerk, to_user, note="", when=None):
    """Hand the work to another clerk of the township; the first clerk stays responsible."""
    from .permissions import can_handle

    application = _lock(application)
    _require(
        application,
        (S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.FORWARDED),
        _("已办结或不予受理的申请不能转交。"),
    )
    if to_user is None or not can_handle(to_user, application):
        raise ActionRefused(_("只能转交给本乡镇（街道）的窗口工作人员。"))
    _take_responsibility(application, clerk)
    application.assigned_clerk = to_user
    application.save()
    text = _("转交%(name)s办理。") % {"name": _actor_name(to_user)} + (f" {note}" if note else "")
    record(
        application,
        EventAction.REASSIGNED,
        actor=clerk,
        note=text,
        from_status=application.status,
        when=when,
        public=False,
        notify=False,
    )
    return application


@transaction.atomic
def evaluate(application, level, comment="", when=None):
    """好差评 by the applicant after completion; a bad review opens a rectification task."""
    from .models import EvaluationLevel
    from .models.evaluations import BAD_LEVELS

    if level not in EvaluationLevel.values:
        raise ActionRefused(_("请选择评价等级。"))
    application = _lock(application)
    _require(application, (S.COMPLETED,), _("办结后才能评价。"))
    if Evaluation.objects.filter(application=application).exists():
        raise ActionRefused(_("该办件已经评价过了（一事一评）。"))
    moment = _now(when)
    evaluation = Evaluation.objects.create(
        application=application,
        level=level,
        comment=(comment or "").strip()[:1000],
        created_at=moment,
    )
    if level in BAD_LEVELS:
        Rectification.objects.create(
            evaluation=evaluation,
            township=application.township,
            deadline=clock.add_working_days(_local_date(moment), rectification_days()),
            created_at=moment,
        )
    record(
        application,
        EventAction.EVALUATED,
        note=EvaluationLevel(level).label,
        from_status=application.status,
        when=moment,
        notify=False,
    )
    return evaluation


@transaction.atomic
def close_rectification(rectification, user, response, when=None):
    response = (response or "").strip()
    if not response:
        raise ActionRefused(_("请填写整改情况与回复。"))
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status == "done":
        raise ActionRefused(_("该差评已经整改完毕。"))
    rectification.status = "done"
    rectification.response = response
    rectification.handled_by = user
    rectification.closed_at = _now(when)
    rectification.save()
    return rectification
