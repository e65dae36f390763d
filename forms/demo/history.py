"""Six months of one township's applications: planned here, step by step (submission,
acceptance, supplement, forwarding, completion, evaluation …), and carried out by an executor
(``executors``): the same steps as ``forms.submission`` and ``forms.actions``, in bulk for the
loader or through the actions themselves.

Deterministic for a load date: one ``random.Random`` per township, seeded with a fixed number,
the date's ordinal and the township code (so a township's history does not depend on which other
townships are loaded). Every moment is on a day before the load date.

Each township gets ``GUARANTEED`` (one of each outcome the supervision board distinguishes) and
then a random mix (``FILL_WEIGHTS``). Completed outcomes are planned from a submission day in
the whole period; when a planned step would fall on or after the load date it does not happen
and the application stays open, as it would in reality. The open outcomes (``open_*``) are
planned backwards from the load date so that their lights are what they say.
"""

import contextlib
import datetime
import random

from django.utils import timezone

from guides.models.choices import HandlingClass, TimeUnit
from guides.validators import township_kind_for_code

from .. import clock
from ..models import EvaluationLevel, Outcome
from ..submission import Applicant, Options, Submission
from . import applicants, texts
from .executors import BatchExecutor
from .online import questions_for
from .timeline import (
    OFFICE,
    WAKING,
    WorkingDays,
    later,
    local_date,
    months_before,
    on_day,
    random_moment,
)

SEED = 511602
MONTHS = 6

# Applications per township by kind of township (街道, 镇, 乡): (fewest, most).
VOLUME = {"subdistrict": (55, 78), "town": (40, 62), "township": (33, 45)}

# One of each per township, so that every board shows every light and outcome.
GUARANTEED = [
    ("on_the_spot", {}),
    ("completed", {}),
    ("completed", {"agent": True}),
    ("completed", {"home_visit": True}),
    ("completed", {"item": "居民身份证办理（包括临时）"}),  # an appointment
    ("forwarded", {}),
    ("late", {"bad_review": True}),
    ("denied", {}),
    ("supplement", {}),
    ("paused", {}),
    ("rejected", {}),
    ("open_fresh", {}),
    ("open_supplement", {}),
    ("open_green", {}),
    ("open_yellow", {}),
    ("open_red", {}),
    ("open_forwarded", {}),
]
FILL_WEIGHTS = {
    "completed": 40,
    "on_the_spot": 16,
    "late": 4,
    "denied": 3,
    "supplement": 8,
    "paused": 3,
    "rejected": 5,
    "open_fresh": 3,
    "open_supplement": 2,
    "open_paused": 1,
    "open_green": 5,
    "open_yellow": 2,
    "open_red": 2,
}
EVALUATED_SHARE = 0.7
LEVELS = {  # weights of 5 非常满意 … 1 非常不满意
    "late": {5: 20, 4: 30, 3: 25, 2: 17, 1: 8},
    "denied": {5: 15, 4: 30, 3: 35, 2: 14, 1: 6},
    "default": {5: 70, 4: 24, 3: 5, 2: 0.7, 1: 0.3},
}
RECTIFIED_SHARE = 0.85
WEEKDAYS = "一二三四五六日"


class _Stop(Exception):
    """The next step would happen on or after the load date: the application stays as it is."""


def rng_for(township_code, today):
    return random.Random(f"{SEED}:{today.toordinal()}:{township_code}")


def _weighted(rng, weights):
    options = list(weights)
    return rng.choices(options, weights=[weights[o] for o in options])[0]


def _item_name(guide):
    return guide.item.name if guide.item_id else guide.title


def _short_body(name):
    """'广安区民政局（会同…）' → '广安区民政局'."""
    return name.split("（")[0].strip() or name


def _appointment_weekdays(guide):
    days = {WEEKDAYS.index(c) for c in guide.appointment_days or "" if c in WEEKDAYS}
    return days or {1, 3}


class TownshipHistory:
    """Build one township's history; ``run()`` returns the applications made."""

    def __init__(self, township, guides, villages, staff, agents, today, days=None, ex=None):
        self.cal = days or WorkingDays()
        self.ex = ex or BatchExecutor(self.cal)
        self.township = township
        self.today = today
        self.rng = rng_for(township.code, today)
        self.staff = staff
        self.agents = agents  # village pk → VillageAgent
        self.villages = villages
        self.agent_villages = [v for v in villages if v.pk in agents]
        self.urban = township_kind_for_code(township.code) == "subdistrict"
        self.first_day = self.cal.next(months_before(today, MONTHS))
        self.last_day = self.cal.back(today, 1)
        self.days = self.cal.span(self.first_day, self.last_day)
        online = [g for g in guides if g.channel_online]
        self.by_item = {_item_name(g): g for g in online}
        self.immediate = [g for g in online if g.handling_class == HandlingClass.IMMEDIATE]
        self.timed = [
            g
            for g in online
            if g.handling_class != HandlingClass.IMMEDIATE
            and g.promised_limit_unit in (TimeUnit.WORKING_DAYS, TimeUnit.NATURAL_DAYS)
            and (g.promised_limit_value or 0) >= 3
        ]
        self.forwarded = [g for g in self.timed if g.handling_class == HandlingClass.FORWARDED]
        self.online = online
        self.made = []

    # --- the plan --------------------------------------------------------------------------

    def kinds(self):
        kind = township_kind_for_code(self.township.code) or "town"
        fewest, most = VOLUME.get(kind, VOLUME["town"])
        total = self.rng.randint(fewest, most)
        plan = list(GUARANTEED)
        while len(plan) < total:
            plan.append((_weighted(self.rng, FILL_WEIGHTS), {}))
        return plan

    def run(self):
        if not self.online or not self.timed or not self.days:
            return []
        for kind, options in self.kinds():
            self.current = None
            with contextlib.suppress(_Stop):
                getattr(self, f"_{kind}")(**options)
            if self.current is not None:
                self.made.append(self.current)
        self.ex.flush()
        return self.made

    # --- choosing ----------------------------------------------------------------------------

    def _guide(self, pool, item=None):
        if item and item in self.by_item and self.by_item[item] in pool:
            return self.by_item[item]
        pool = pool or self.timed
        weights = [texts.POPULARITY.get(_item_name(g), 1) for g in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def _clerk(self):
        return self.rng.choice(self.staff.clerks)

    def _bound(self, guide, kind):
        """Working days a planned history may take from submission to its last step."""
        promised = guide.promised_limit_value or 0
        if guide.promised_limit_unit == TimeUnit.NATURAL_DAYS:
            promised = promised * 5 // 7 + 2
        extra = {"supplement": 8, "paused": 12, "late": 8, "forwarded": 3}.get(kind, 2)
        return promised + extra + 3

    def _submit_day(self, guide, kind, safe):
        """A working day to submit on: within the whole period, or (``safe``) early enough for
        the planned history to end before the load date."""
        days = self.days
        if safe:
            latest = self.cal.back(self.last_day, self._bound(guide, kind))
            days = [d for d in days if d <= latest] or days[:1]
        return self.rng.choice(days)

    def _later(self, moment, low, high, spans=OFFICE):
        return later(self.rng, self.cal, moment, low, high, spans)

    def _on(self, day, after=None):
        return on_day(self.rng, self.cal, day, after=after)

    def _when(self, moment):
        if moment is None or local_date(moment) >= self.today:
            raise _Stop
        return moment

    # --- submission ---------------------------------------------------------------------------

    def _submit(self, guide, day, *, agent=False, home_visit=False, spans=None):
        rng = self.rng
        item = _item_name(guide)
        if (agent or rng.random() < 0.1) and self.agent_villages:
            village = rng.choice(self.agent_villages)
        else:
            village = rng.choice(self.villages)
        person = applicants.person(rng, day, texts.AGES.get(item, texts.DEFAULT_AGES))
        by_agent = None
        if guide.mode_proxy and village.pk in self.agents and (agent or rng.random() < 0.5):
            by_agent = self.agents[village.pk]
        options = Options(agent=by_agent)
        age = person.age_on(day)
        if guide.mode_home_visit and (home_visit or (age >= 75 and rng.random() < 0.4)):
            options.home_visit = True
            options.home_visit_reason = self._home_visit_reason(item, age)
        if guide.appointment_available:
            options.appointment_date = self._appointment_day(guide, day)
            options.appointment_period = rng.choice(["am", "pm"])
        street = applicants.address(rng, village, self.urban)
        if guide.postal_delivery and rng.random() < 0.3:
            options.delivery = "post"
            options.postal_address = (
                f"四川省广安市广安区{self.township.title}{village.title}{street}"
            )
        if spans is None:
            spans = OFFICE if by_agent else WAKING
        moment = random_moment(rng, day, spans) or random_moment(rng, day, OFFICE)
        submission = Submission(
            guide=guide,
            applicant=Applicant(
                name=person.name,
                id_number=person.id_number,
                mobile=person.mobile,
                address=street,
                village=village,
            ),
            answers=self._answers(item, day),
            options=options,
        )
        self.current = self.ex.submit(submission, self._when(moment))
        return self.current, moment

    def _home_visit_reason(self, item, age):
        if "残疾" in item or "辅助器具" in item or "无障碍" in item:
            return self.rng.choice(["肢体残疾，行动不便", "重度残疾，长期卧床"])
        if age >= 75:
            return f"{age}岁，行动不便"
        return self.rng.choice(["患病卧床，无法到窗口", "术后恢复期，行动不便"])

    def _appointment_day(self, guide, day):
        weekdays = _appointment_weekdays(guide)
        candidate = day + datetime.timedelta(days=1)
        while candidate.weekday() not in weekdays or not self.cal.is_workday(candidate):
            candidate += datetime.timedelta(days=1)
        return candidate

    def _answers(self, item, day):
        rng, given, answers = self.rng, {}, []
        for spec in questions_for(item):
            if (
                spec["condition_key"]
                and given.get(spec["condition_key"]) != spec["condition_value"]
            ):
                continue
            sample, kind = spec["sample"], spec["kind"]
            if kind == "number":
                value = str(rng.randint(*sample))
            elif kind == "choice":
                value = _weighted(rng, sample)
            elif kind == "yes_no":
                value = "是" if rng.random() < sample else "否"
            elif kind == "date":
                value = (day - datetime.timedelta(days=rng.randint(*sample))).isoformat()
            else:
                value = rng.choice(sample)
            given[spec["key"]] = value
            # As the wizard records them (forms.wizard.views): key, label, the answer shown.
            answers.append({"key": spec["key"], "question": spec["label"], "answer": value})
        return answers

    # --- steps --------------------------------------------------------------------------------

    def _supplement_items(self, guide):
        materials = [m.name for m in guide.materials.all()] or ["申请表"]
        chosen = self.rng.sample(materials, min(len(materials), self.rng.choice([1, 1, 2])))
        return [(name, self.rng.choice(texts.SUPPLEMENT_PROBLEMS)) for name in chosen]

    def _request_supplement(self, app, guide, clerk, moment):
        return self.ex.request_supplement(
            app,
            clerk,
            self._supplement_items(guide),
            self.rng.choice(texts.SUPPLEMENT_NOTES),
            self._when(moment),
        )

    def _receive_supplement(self, app, clerk, moment):
        note = self.rng.choice(texts.SUPPLEMENT_RECEIVED_NOTES)
        actor = None if "在线" in note else clerk
        return self.ex.receive_supplement(app, actor, note, self._when(moment))

    def _accept(self, app, clerk, moment):
        note = ""
        if app.home_visit:
            note = texts.HOME_VISIT_ACCEPT_NOTE
        elif app.appointment_date:
            note = texts.APPOINTMENT_ACCEPT_NOTE
            day = max(app.appointment_date, local_date(moment))
            moment = self._on(self.cal.next(day), after=moment)
        app = self.ex.accept(app, clerk, note, self._when(moment))
        if self.rng.random() < 0.05:
            other = next(c for c in self.staff.clerks if c.pk != clerk.pk)
            moment = self._later(moment, 0, 2)
            note = self.rng.choice(texts.REASSIGN_NOTES)
            app = self.ex.reassign(app, clerk, other, note, self._when(moment))
        return app, moment

    def _acting(self, app):
        return app.assigned_clerk or self._clerk()

    def _forward(self, app, guide, moment):
        return self.ex.forward(
            app,
            self._acting(app),
            _short_body(guide.deciding_body) or "上级主管部门",
            self.rng.choice(texts.FORWARD_NOTES),
            self._when(moment),
        )

    def _progress(self, app, guide, after, before_day, count):
        """Up to ``count`` progress notes on working days after ``after`` and before
        ``before_day``; returns the last moment."""
        between = self.cal.span(self.cal.add(local_date(after), 1), before_day)
        between = [d for d in between if d < before_day]
        notes = texts.PROGRESS_NOTES[texts.progress_kind(_item_name(guide))]
        count = min(count, len(between), len(notes))
        days = sorted(self.rng.sample(between, count))
        picks = sorted(self.rng.sample(range(len(notes)), count))
        to = app.forwarded_to or "上级主管部门"
        moment = after
        for day, index in zip(days, picks, strict=True):
            moment = self._on(day, after=moment)
            app = self.ex.record_forward_progress(
                app, self._acting(app), notes[index].format(to=to), self._when(moment)
            )
        return app, moment

    def _result_note(self, guide, app):
        item = _item_name(guide)
        to = app.forwarded_to or _short_body(guide.deciding_body)
        if item in texts.RESULT_NOTES:
            return texts.RESULT_NOTES[item].format(to=to)
        delivery = "post" if app.delivery == "post" else None
        if delivery is None:
            choices = list(guide.result_delivery or ["window"])
            delivery = choices[0]
        template = texts.RESULT_BY_DELIVERY.get(delivery, texts.RESULT_BY_DELIVERY["window"])
        return template.format(result=guide.result_name or item)

    def _completion_day(self, app, start_day, late):
        deadline = app.deadline
        if late:
            return self.cal.add(deadline, self.rng.randint(1, 6))
        span = max(0, self.cal.between(start_day, deadline))
        if span <= 1:
            return deadline if deadline > start_day else start_day
        # Most are done in about half the promised time, a few on the last day.
        offset = max(1, min(span, round(self.rng.triangular(1, span, span * 0.5))))
        return self.cal.add(start_day, offset)

    def _complete(self, app, guide, moment, outcome=Outcome.APPROVED):
        if outcome == Outcome.DENIED:
            reason = texts.DENIAL_REASONS.get(_item_name(guide), texts.DENIAL_DEFAULT)
            note = f"{reason}{texts.DENIAL_REMEDY}"
        else:
            note = self._result_note(guide, app)
        return self.ex.complete(app, self._acting(app), outcome, note, self._when(moment))

    def _evaluate(self, app, moment, kind, force_bad=False):
        rng = self.rng
        if not force_bad and rng.random() > EVALUATED_SHARE:
            return None
        day = local_date(moment) + datetime.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
        when = random_moment(rng, day, WAKING, after=moment)
        if when is None or local_date(when) >= self.today:
            return None
        if force_bad:
            level = rng.choice([EvaluationLevel.DISSATISFIED, EvaluationLevel.VERY_DISSATISFIED])
        else:
            level = _weighted(rng, LEVELS.get(kind, LEVELS["default"]))
        reason = kind if kind in ("late", "denied") else "general"
        if level <= EvaluationLevel.DISSATISFIED:
            comment = rng.choice(texts.BAD_COMMENTS[reason])
        elif level == EvaluationLevel.BASICALLY_SATISFIED:
            comment = rng.choice(texts.FAIR_COMMENTS)
        else:
            comment = rng.choice([*texts.GOOD_COMMENTS, "", "", ""])
        evaluation = self.ex.evaluate(app, int(level), comment, when)
        if evaluation.is_bad:
            self._rectify(evaluation, reason)
        return evaluation

    def _rectify(self, evaluation, reason):
        rng = self.rng
        if rng.random() > RECTIFIED_SHARE:
            return
        opened = local_date(evaluation.created_at)
        day = self.cal.add(opened, rng.randint(2, 10))
        if day >= self.today:
            return
        self.ex.close_rectification(
            self.ex.rectification_of(evaluation),
            self.staff.head,
            texts.RECTIFICATION_RESPONSES[reason],
            random_moment(rng, day, OFFICE),
        )

    # --- the kinds ----------------------------------------------------------------------------

    def _timed(self, kind, guide, *, safe, agent=False, home_visit=False, bad_review=False):
        """Accepted (after a supplement or with a paused clock, when so planned), forwarded if
        a 上报件, and completed: in time, late or denied; then perhaps rated."""
        rng = self.rng
        day = self._submit_day(guide, kind, safe)
        app, moment = self._submit(guide, day, agent=agent, home_visit=home_visit)
        clerk = self._clerk()
        if kind == "supplement":
            moment = self._later(moment, 0, 1)
            app = self._request_supplement(app, guide, clerk, moment)
            moment = self._later(moment, 1, 5)
            app = self._receive_supplement(app, clerk, moment)
        app, moment = self._accept(app, clerk, self._later(moment, 0, 1))
        if kind == "paused":
            moment = self._later(moment, 1, 3)
            app = self._request_supplement(app, guide, self._acting(app), moment)
            moment = self._later(moment, 1, 4)
            app = self._receive_supplement(app, self._acting(app), moment)
        started = local_date(moment)
        finish = self._completion_day(app, started, late=kind == "late")
        if guide.handling_class == HandlingClass.FORWARDED:
            moment = self._later(moment, 0, 1)
            app = self._forward(app, guide, moment)
            app, moment = self._progress(app, guide, moment, finish, rng.randint(1, 2))
        outcome = Outcome.DENIED if kind == "denied" else Outcome.APPROVED
        moment = self._on(max(finish, local_date(moment)), after=moment)
        app = self._complete(app, guide, moment, outcome)
        self._evaluate(app, moment, kind, force_bad=bad_review)

    def _completed(self, item=None, agent=False, home_visit=False):
        pool = self.timed
        if agent:
            pool = [g for g in pool if g.mode_proxy] or pool
        if home_visit:
            pool = [g for g in pool if g.mode_home_visit] or pool
        guide = self._guide(pool, item)
        forced = bool(item or agent or home_visit)
        self._timed("completed", guide, safe=forced, agent=agent, home_visit=home_visit)

    def _forwarded(self):
        self._timed("forwarded", self._guide(self.forwarded), safe=True)

    def _late(self, bad_review=False):
        self._timed("late", self._guide(self.timed), safe=bad_review, bad_review=bad_review)

    def _denied(self):
        guide = self._guide([g for g in self.timed if _item_name(g) in texts.DENIAL_REASONS])
        self._timed("denied", guide, safe=True)

    def _supplement(self):
        self._timed("supplement", self._guide(self.timed), safe=True)

    def _paused(self):
        self._timed("paused", self._guide(self.timed), safe=True)

    def _on_the_spot(self):
        rng = self.rng
        guide = self._guide(self.immediate or self.timed)
        if guide.handling_class != HandlingClass.IMMEDIATE:
            return self._timed("completed", guide, safe=True)
        app, moment = self._submit(guide, rng.choice(self.days[:-1] or self.days))
        clerk = self._clerk()
        if rng.random() < 0.1:
            moment = self._later(moment, 0, 1)
            app = self._request_supplement(app, guide, clerk, moment)
            moment = self._later(moment, 1, 3)
            app = self._receive_supplement(app, clerk, moment)
        moment = self._when(self._later(moment, 0, 1))
        note = texts.ON_THE_SPOT_NOTES.get(_item_name(guide), texts.ON_THE_SPOT_DEFAULT)
        app = self.ex.complete_on_the_spot(app, clerk, note, moment)
        self._evaluate(app, moment, "on_the_spot")

    def _rejected(self):
        rng = self.rng
        guide = self._guide(self.online)
        item = _item_name(guide)
        app, moment = self._submit(guide, rng.choice(self.days[:-30] or self.days))
        clerk = self._clerk()
        if rng.random() < 0.3:
            moment = self._later(moment, 0, 1)
            app = self._request_supplement(app, guide, clerk, moment)
            reason = texts.REJECTION_AFTER_SUPPLEMENT  # 30 days have passed
            moment = self._later(moment, 22, 26)
        else:
            reasons = list(texts.REJECTION_REASONS)
            if item in texts.REJECTION_BY_ITEM:
                reasons += [texts.REJECTION_BY_ITEM[item]] * 2
            reason = rng.choice(reasons)
            moment = self._later(moment, 0, 2)
        self.ex.reject(app, clerk, reason, self._when(moment))

    def _open_fresh(self):
        day = self.rng.choice(self.days[-2:])
        self._submit(self._guide(self.online), day)

    def _open_supplement(self):
        rng = self.rng
        guide = self._guide(self.online)
        requested = self.cal.back(self.last_day, rng.randint(0, 6))
        app, moment = self._submit(guide, self.cal.back(requested, rng.randint(1, 2)))
        self._request_supplement(app, guide, self._clerk(), self._on(requested, after=moment))

    def _accepted_on(self, guide, light):
        """A day to accept ``guide`` on so that its light today is ``light`` (None if none)."""
        candidates = []
        for day in self.days[2:]:
            promised = clock.promised_working_days(
                guide.promised_limit_value, guide.promised_limit_unit, day
            )
            deadline = self.cal.add(day, promised)
            if self.cal.light(deadline, self.today) != light:
                continue
            if light == clock.Light.RED and self.cal.between(deadline, self.today) > 10:
                continue  # overdue, but not forgotten for months
            candidates.append(day)
        return self.rng.choice(candidates) if candidates else None

    def _open_accepted(self, light, pool=None, paused=False):
        rng = self.rng
        # Not an appointment item: it is accepted on the appointment day, planned forwards.
        pool = [g for g in (pool or self.timed) if not g.appointment_available]
        guide = self._guide(pool)
        accept_day = self._accepted_on(guide, light)
        if accept_day is None:
            return
        submit_day = self.cal.back(accept_day, rng.randint(1, 2))
        app, moment = self._submit(guide, max(submit_day, self.first_day), spans=OFFICE)
        clerk = self._clerk()
        app = self.ex.accept(app, clerk, "", self._when(random_moment(rng, accept_day, OFFICE)))
        moment = app.accepted_at
        if paused:
            self._request_supplement(app, guide, clerk, self._later(moment, 1, 3))
            return
        if guide.handling_class == HandlingClass.FORWARDED:
            moment = self._later(moment, 0, 1)
            app = self._forward(app, guide, moment)
            self._progress(app, guide, moment, self.today, rng.randint(0, 2))

    def _open_green(self):
        self._open_accepted(clock.Light.GREEN)

    def _open_yellow(self):
        self._open_accepted(clock.Light.YELLOW)

    def _open_red(self):
        self._open_accepted(clock.Light.RED)

    def _open_paused(self):
        self._open_accepted(clock.Light.GREEN, paused=True)

    def _open_forwarded(self):
        light = _weighted(
            self.rng, {clock.Light.GREEN: 5, clock.Light.YELLOW: 2, clock.Light.RED: 2}
        )
        self._open_accepted(light, pool=self.forwarded)


def build_history(township, guides, villages, staff, agents, today=None, days=None, ex=None):
    """Create one township's demo history; returns the applications created.

    ``ex`` carries it out: a ``BatchExecutor`` (default) or an ``ActionsExecutor``.
    """
    today = today or timezone.localdate()
    history = TownshipHistory(township, guides, villages, staff, agents, today, days, ex)
    return history.run()
