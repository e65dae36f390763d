"""Which steps an application for a guide has, in order, and when each is shown."""

import datetime
import re
from collections import OrderedDict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides.models.choices import ResultDelivery

from .. import clock
from . import forms as step_forms

APPLICANT = "applicant"
ADDRESS = "address"
DELIVERY = "delivery"
APPOINTMENT = "appointment"
HOME_VISIT = "home-visit"
AGENT = "agent"
DECLARATION = "declaration"
CHECK = "check"

WEEKDAYS = "一二三四五六日"  # as guides write them: 每周二、周四
WEEKDAY_NAMES = [
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
]
SLOT_DAYS = 10


def offers_post(guide):
    return bool(
        guide.channel_post
        or guide.postal_delivery
        or ResultDelivery.POST in (guide.result_delivery or [])
    )


def agent_for(user):
    """The user's active village-agent record, or None."""
    if not (user and user.is_authenticated):
        return None
    agent = getattr(user, "village_agent", None)
    return agent if agent is not None and agent.active else None


def question_condition(question):
    """Show the question only when the question it depends on was answered as set."""
    if not question.condition_key:
        return True
    step = f"q-{question.condition_key}"

    def condition(wizard):
        if step not in wizard.form_list:
            return False
        data = wizard.get_cleaned_data_for_step(step)
        if not data:
            return False
        return str(data.get("answer", "")).strip() == question.condition_value.strip()

    return condition


def build_steps(guide, user):
    """``(form_list, condition_dict)`` for the guide's wizard."""
    steps = OrderedDict()
    conditions = {}
    steps[APPLICANT] = step_forms.ApplicantForm
    steps[ADDRESS] = step_forms.AddressForm
    for question in guide.application_questions.all():
        steps[question.step_name] = step_forms.question_form(question)
        conditions[question.step_name] = question_condition(question)
    for material in guide.materials.all():
        steps[f"m-{material.pk}"] = step_forms.material_form(material)
    if offers_post(guide):
        steps[DELIVERY] = step_forms.DeliveryForm
    if guide.appointment_available:
        steps[APPOINTMENT] = step_forms.AppointmentForm
    if guide.mode_home_visit:
        steps[HOME_VISIT] = step_forms.HomeVisitForm
    if agent_for(user) is not None:
        steps[AGENT] = step_forms.agent_form()
    steps[DECLARATION] = step_forms.DeclarationForm
    steps[CHECK] = step_forms.CheckForm
    return steps, conditions


def appointment_weekdays(text):
    """Weekdays named in a guide's appointment text ('每周二、周四' → {1, 3}); empty: any."""
    days = set()
    for match in re.finditer(r"(?:周|星期|礼拜)([一二三四五六日天])", text or ""):
        char = match.group(1).replace("天", "日")
        days.add(WEEKDAYS.index(char))
    for match in re.finditer(
        r"(?:周|星期)([一二三四五六日])至(?:周|星期)?([一二三四五六日])", text or ""
    ):
        start, end = WEEKDAYS.index(match.group(1)), WEEKDAYS.index(match.group(2))
        days.update(range(start, end + 1))
    return days


def appointment_slots(guide, today=None):
    """``[(date, label)]``: the next working days on the guide's appointment weekdays, with
    free places left (``appointment_daily_quota`` per day and period, counting applications)."""
    from ..models import Application

    today = today or timezone.localdate()
    weekdays = appointment_weekdays(guide.appointment_days)
    quota = guide.appointment_daily_quota
    slots = []
    day = today
    for _offset in range(60):
        day += datetime.timedelta(days=1)
        if not clock.is_workday(day) or (weekdays and day.weekday() not in weekdays):
            continue
        if quota:
            taken = Application.objects.filter(guide=guide, appointment_date=day).count()
            if taken >= quota * 2:
                continue
        label = _("%(date)s %(weekday)s") % {
            "date": day.strftime("%Y-%m-%d"),
            "weekday": WEEKDAY_NAMES[day.weekday()],
        }
        slots.append((day, label))
        if len(slots) >= SLOT_DAYS:
            break
    return slots
