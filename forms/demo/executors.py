"""Two ways to carry out a planned history, with the same result.

``ActionsExecutor`` calls ``forms.submission.create_application`` and ``forms.actions`` one
application and one step at a time: the reference. About 30 ms per application on SQLite, some
40 s for the whole county.

``BatchExecutor`` does in memory, step by step, exactly what those functions do to an
application (status, clerks, clock, pauses, result, the event with its actor name, note and
visibility, supplement items, evaluation, rectification, case number), with the same messages,
counting working days as ``forms.clock`` does (``timeline.WorkingDays``), and writes each
township's rows with ``bulk_create`` at the end: a few ms per application. ``tests/forms/test_demo_history.py`` runs one township through
both and compares every row, so a change to an action that this copy misses fails there.

Both refuse what the actions refuse (``actions.ActionRefused``) for the states a plan can reach.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import actions, clock
from ..identifiers import implementation_code_for, new_tracking_number
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CaseSerial,
    ClockPause,
    Evaluation,
    EvaluationLevel,
    EventAction,
    Outcome,
    Rectification,
    SupplementItem,
)
from ..models.evaluations import BAD_LEVELS
from ..submission import application_from, create_application, submitted_by
from .timeline import WorkingDays

S = ApplicationStatus


class ActionsExecutor:
    """Every step through the real functions (``forms.submission``, ``forms.actions``)."""

    def submit(self, submission, when):
        return create_application(submission, when=when, is_demo=True)

    def accept(self, app, clerk, note, when):
        return actions.accept(app, clerk, note=note, when=when)

    def complete_on_the_spot(self, app, clerk, result_note, when):
        return actions.complete_on_the_spot(app, clerk, result_note=result_note, when=when)

    def request_supplement(self, app, clerk, items, note, when):
        return actions.request_supplement(app, clerk, items, note=note, when=when)

    def receive_supplement(self, app, actor, note, when):
        return actions.receive_supplement(app, actor=actor, note=note, when=when)

    def reject(self, app, clerk, reason, when):
        return actions.reject(app, clerk, reason, when=when)

    def forward(self, app, clerk, to, note, when):
        return actions.forward(app, clerk, to, note=note, when=when)

    def record_forward_progress(self, app, clerk, note, when):
        return actions.record_forward_progress(app, clerk, note, when=when)

    def complete(self, app, clerk, outcome, result_note, when):
        return actions.complete(app, clerk, outcome, result_note=result_note, when=when)

    def reassign(self, app, clerk, to_user, note, when):
        return actions.reassign(app, clerk, to_user, note=note, when=when)

    def evaluate(self, app, level, comment, when):
        return actions.evaluate(app, level, comment, when=when)

    def rectification_of(self, evaluation):
        return evaluation.rectification

    def close_rectification(self, rectification, user, response, when):
        return actions.close_rectification(rectification, user, response, when=when)

    def flush(self):
        return None


def _local_date(moment):
    return timezone.localtime(moment).date()


class BatchExecutor:
    """The same steps in memory; ``flush()`` writes them in bulk.

    Working days are counted with ``timeline.WorkingDays`` (``clock``'s days, remembered):
    ``clock.deadline_for`` asks the calendar library again for every day of every deadline.
    """

    def __init__(self, days=None):
        self.days = days or WorkingDays()
        self._reset()

    def _reset(self):
        self.applications = []
        # Unsaved model instances cannot be dictionary keys: keyed by id(), held in lists.
        self.events = defaultdict(list)  # id(application) → [event]
        self.supplement_items = []  # [(event, [(name, problem)])]
        self.pauses = defaultdict(list)  # id(application) → [ClockPause]
        self.evaluations = []
        self.evaluated = set()  # id() of the applications evaluated
        self.rectifications = {}  # id(evaluation) → Rectification
        self.tracking_numbers = set()

    # --- helpers copied from forms.actions (same rules, same messages) -----------------------

    def _record(
        self,
        app,
        action,
        *,
        when,
        actor=None,
        note="",
        from_status="",
        public=True,
        actor_name=None,
    ):
        event = ApplicationEvent(
            application=app,
            action=action,
            actor=actor,
            actor_name=actor_name or actions._actor_name(actor),
            from_status=from_status,
            to_status=app.status,
            note=note,
            public=public,
            created_at=when,
        )
        self.events[id(app)].append(event)
        return event

    @staticmethod
    def _require(app, allowed, message):
        if app.status not in allowed:
            raise actions.ActionRefused(message)

    @staticmethod
    def _take_responsibility(app, clerk):
        if clerk is not None and app.responsible_clerk_id is None:
            app.responsible_clerk = clerk
        if clerk is not None and app.assigned_clerk_id is None:
            app.assigned_clerk = clerk

    def _refresh_deadline(self, app, today):
        """``actions.refresh_deadline`` with ``clock.deadline_for`` and
        ``clock.paused_working_days`` counted on ``self.days``."""
        if app.accepted_at is None or app.promised_working_days is None:
            app.deadline = None
            return
        paused = 0
        for pause in self.pauses[id(app)]:
            started, ended = pause.started_on, pause.ended_on or today
            if ended < started:
                continue
            paused += self.days.between(started, ended) + self.days.is_workday(started)
        app.deadline = self.days.add(
            _local_date(app.accepted_at), app.promised_working_days + paused
        )

    def _tracking_number(self):
        while True:
            number = new_tracking_number()
            if number not in self.tracking_numbers:
                self.tracking_numbers.add(number)
                return number

    # --- the steps ---------------------------------------------------------------------------

    def submit(self, submission, when):
        if submission.files:
            raise ValueError("the batch executor stores no files")
        app = application_from(
            submission,
            tracking_number=self._tracking_number(),
            case_number="",  # numbered in flush(), in order, as next_case_number does
            when=when,
            is_demo=True,
        )
        self.applications.append(app)
        self._record(app, EventAction.SUBMITTED, when=when, **submitted_by(submission))
        return app

    def accept(self, app, clerk, note, when):
        self._require(app, (S.SUBMITTED,), _("只有待受理的申请可以受理。"))
        previous = app.status
        self._take_responsibility(app, clerk)
        app.status = S.ACCEPTED
        app.accepted_at = when
        guide = app.guide
        if guide is not None:
            app.promised_working_days = clock.promised_working_days(
                guide.promised_limit_value, guide.promised_limit_unit, _local_date(when)
            )
        self._refresh_deadline(app, _local_date(when))
        self._record(
            app, EventAction.ACCEPTED, actor=clerk, note=note, from_status=previous, when=when
        )
        return app

    def complete_on_the_spot(self, app, clerk, result_note, when):
        self._require(app, (S.SUBMITTED,), _("只有待受理的申请可以即办办结。"))
        previous = app.status
        self._take_responsibility(app, clerk)
        app.status = S.COMPLETED
        app.accepted_at = when
        app.promised_working_days = 0
        self._refresh_deadline(app, _local_date(when))
        app.closed_at = when
        app.outcome = Outcome.APPROVED
        app.result_note = result_note
        self._record(
            app,
            EventAction.COMPLETED_ON_THE_SPOT,
            actor=clerk,
            note=result_note,
            from_status=previous,
            when=when,
        )
        return app

    def request_supplement(self, app, clerk, items, note, when):
        items = [(name.strip(), problem.strip()) for name, problem in items if name.strip()]
        if not items:
            raise actions.ActionRefused(_("请至少列出一项需要补正的材料及其问题。"))
        if any(not problem for _name, problem in items):
            raise actions.ActionRefused(_("请为每一项补正材料写明问题（缺少、不清晰、已过期等）。"))
        self._require(app, (S.SUBMITTED, S.ACCEPTED), _("只有待受理或办理中的申请可以要求补正。"))
        if any(e.action == EventAction.SUPPLEMENT_REQUESTED for e in self.events[id(app)]):
            raise actions.ActionRefused(_("该申请已经一次性告知过补正材料，不能再次要求补正。"))
        previous = app.status
        self._take_responsibility(app, clerk)
        app.status = S.SUPPLEMENT
        if app.accepted_at is not None:
            self.pauses[id(app)].append(ClockPause(application=app, started_on=_local_date(when)))
        event = self._record(
            app,
            EventAction.SUPPLEMENT_REQUESTED,
            actor=clerk,
            note=note,
            from_status=previous,
            when=when,
        )
        self.supplement_items.append((event, items))
        return app

    def receive_supplement(self, app, actor, note, when):
        self._require(app, (S.SUPPLEMENT,), _("该申请没有待补正的材料。"))
        previous = app.status
        if app.accepted_at is None:
            app.status = S.SUBMITTED
        else:
            app.status = S.ACCEPTED
            for pause in self.pauses[id(app)]:
                if pause.ended_on is None:
                    pause.ended_on = _local_date(when)
            self._refresh_deadline(app, _local_date(when))
        self._record(
            app,
            EventAction.SUPPLEMENT_RECEIVED,
            actor=actor,
            note=note,
            from_status=previous,
            when=when,
        )
        return app

    def reject(self, app, clerk, reason, when):
        reason = (reason or "").strip()
        if not reason:
            raise actions.ActionRefused(_("不予受理必须写明理由。"))
        self._require(
            app,
            (S.SUBMITTED, S.SUPPLEMENT),
            _("只有尚未受理的申请可以不予受理；已受理的申请请办结并选择“不予办理”。"),
        )
        previous = app.status
        self._take_responsibility(app, clerk)
        app.status = S.REJECTED
        app.rejection_reason = reason
        app.closed_at = when
        self._record(
            app, EventAction.REJECTED, actor=clerk, note=reason, from_status=previous, when=when
        )
        return app

    def forward(self, app, clerk, to, note, when):
        to = (to or "").strip()
        if not to:
            raise actions.ActionRefused(_("请填写上报的单位。"))
        self._require(app, (S.ACCEPTED,), _("只有办理中的申请可以上报。"))
        previous = app.status
        self._take_responsibility(app, clerk)
        app.status = S.FORWARDED
        app.forwarded_to = to
        text = _("已上报%(to)s。") % {"to": to} + (f" {note}" if note else "")
        self._record(
            app, EventAction.FORWARDED, actor=clerk, note=text, from_status=previous, when=when
        )
        return app

    def record_forward_progress(self, app, clerk, note, when):
        note = (note or "").strip()
        if not note:
            raise actions.ActionRefused(_("请填写上报进展。"))
        self._require(app, (S.FORWARDED,), _("只有已上报的申请可以记录上报进展。"))
        self._take_responsibility(app, clerk)
        self._record(
            app,
            EventAction.FORWARD_PROGRESS,
            actor=clerk,
            note=note,
            from_status=app.status,
            when=when,
        )
        return app

    def complete(self, app, clerk, outcome, result_note, when):
        if outcome not in Outcome.values:
            raise actions.ActionRefused(_("请选择办理结果：准予办理或不予办理。"))
        result_note = (result_note or "").strip()
        if outcome == Outcome.DENIED and not result_note:
            raise actions.ActionRefused(_("不予办理必须写明理由。"))
        self._require(app, (S.ACCEPTED, S.FORWARDED), _("只有办理中或已上报的申请可以办结。"))
        previous = app.status
        self._take_responsibility(app, clerk)
        app.status = S.COMPLETED
        app.outcome = outcome
        app.result_note = result_note
        app.closed_at = when
        label = str(Outcome(outcome).label)
        text = f"{label}：{result_note}" if result_note else label
        self._record(
            app, EventAction.COMPLETED, actor=clerk, note=text, from_status=previous, when=when
        )
        return app

    def reassign(self, app, clerk, to_user, note, when):
        self._require(
            app,
            (S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.FORWARDED),
            _("已办结或不予受理的申请不能转交。"),
        )
        if to_user is None:
            raise actions.ActionRefused(_("只能转交给本乡镇（街道）的窗口工作人员。"))
        self._take_responsibility(app, clerk)
        app.assigned_clerk = to_user
        text = _("转交%(name)s办理。") % {"name": actions._actor_name(to_user)} + (
            f" {note}" if note else ""
        )
        self._record(
            app,
            EventAction.REASSIGNED,
            actor=clerk,
            note=text,
            from_status=app.status,
            when=when,
            public=False,
        )
        return app

    def evaluate(self, app, level, comment, when):
        if level not in EvaluationLevel.values:
            raise actions.ActionRefused(_("请选择评价等级。"))
        self._require(app, (S.COMPLETED,), _("办结后才能评价。"))
        if id(app) in self.evaluated:
            raise actions.ActionRefused(_("该办件已经评价过了（一事一评）。"))
        evaluation = Evaluation(
            application=app,
            level=level,
            comment=(comment or "").strip()[:1000],
            created_at=when,
        )
        self.evaluations.append(evaluation)
        self.evaluated.add(id(app))
        if level in BAD_LEVELS:
            self.rectifications[id(evaluation)] = Rectification(
                evaluation=evaluation,
                township=app.township,
                deadline=self.days.add(_local_date(when), actions.rectification_days()),
                created_at=when,
            )
        self._record(
            app,
            EventAction.EVALUATED,
            note=EvaluationLevel(level).label,
            from_status=app.status,
            when=when,
        )
        return evaluation

    def rectification_of(self, evaluation):
        return self.rectifications[id(evaluation)]

    def close_rectification(self, rectification, user, response, when):
        response = (response or "").strip()
        if not response:
            raise actions.ActionRefused(_("请填写整改情况与回复。"))
        if rectification.status == "done":
            raise actions.ActionRefused(_("该差评已经整改完毕。"))
        rectification.status = "done"
        rectification.response = response
        rectification.handled_by = user
        rectification.closed_at = when
        return rectification

    # --- writing -----------------------------------------------------------------------------

    def _number_cases(self):
        """Case numbers as ``identifiers.next_case_number`` gives them (in the order the
        applications were made), with its counter rows, one per code and day."""
        wanted = defaultdict(list)
        for app in self.applications:
            wanted[(implementation_code_for(app.item), _local_date(app.submitted_at))].append(app)
        prefixes = {prefix for prefix, _day in wanted}
        days = {day for _prefix, day in wanted}
        counters = {
            (c.prefix, c.day): c
            for c in CaseSerial.objects.filter(prefix__in=prefixes, day__in=days)
        }
        new = []
        for key, apps in wanted.items():
            counter = counters.get(key)
            if counter is None:
                counter = CaseSerial(prefix=key[0], day=key[1], last=0)
                new.append(counter)
            for app in apps:
                counter.last += 1
                if counter.last > 9999:
                    raise OverflowError("more than 9,999 cases for one item on one day")
                app.case_number = f"{key[0]}{key[1]:%Y%m%d}{counter.last:04d}"
            counters[key] = counter
        CaseSerial.objects.bulk_create(new)
        CaseSerial.objects.bulk_update([c for c in counters.values() if c.pk], ["last"])

    def _unique_tracking_numbers(self):
        taken = set(
            Application.objects.filter(
                tracking_number__in=[a.tracking_number for a in self.applications]
            ).values_list("tracking_number", flat=True)
        )
        for app in self.applications:
            while app.tracking_number in taken:
                app.tracking_number = self._tracking_number()

    def flush(self):
        """Write what was done since the last flush; returns the applications."""
        applications = self.applications
        if not applications:
            return []
        self._unique_tracking_numbers()
        self._number_cases()
        Application.objects.bulk_create(applications, batch_size=500)
        events = [e for app in applications for e in self.events[id(app)]]
        ApplicationEvent.objects.bulk_create(events, batch_size=500)
        SupplementItem.objects.bulk_create(
            [
                SupplementItem(event=event, material_name=name, problem=problem)
                for event, items in self.supplement_items
                for name, problem in items
            ],
            batch_size=500,
        )
        ClockPause.objects.bulk_create(
            [p for app in applications for p in self.pauses[id(app)]], batch_size=500
        )
        Evaluation.objects.bulk_create(self.evaluations, batch_size=500)
        Rectification.objects.bulk_create(list(self.rectifications.values()), batch_size=500)
        self._reset()
        return applications
