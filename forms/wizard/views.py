"""The application wizard: django-formtools' NamedUrlWizardView over drafts in the database.

URL: ``/apply/d/<token>/<step>/``. Each step is its own page (the browser's back button works,
and every page can be bookmarked to resume). What is refused, and how:

* an unknown or purged draft token: 404 page, nothing created;
* a submitted draft: any step redirects to the confirmation; a POST changes nothing;
* a forged or replayed step (the posted step is not the page's step, or not one of this
  guide's steps, or the management form is missing): 400 page, nothing stored;
* the final submit is idempotent: the draft is locked, and a second submit finds the
  application the first one created.
"""

import datetime

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, WizardView

from guides.models import VillageStationPage
from guides.views.presenters import phone

from ..drafts import StoredUpload
from ..models import Draft, DraftStatus
from ..private_storage import save_private
from ..submission import Applicant, Options, StoredFile, Submission, create_application
from ..uploads import CleanUpload
from . import forms as step_forms
from . import steps as S


def accepts_online(guide):
    return bool(guide.live and guide.channel_online and guide.township is not None)


def refused(request, message, status):
    return TemplateResponse(
        request, "applications/refused.html", {"message": message}, status=status
    )


class ApplicationWizard(NamedUrlWizardView):
    storage_name = "forms.drafts.DraftStorage"
    template_name = "applications/wizard/step.html"

    @classmethod
    def as_wizard_view(cls):
        return cls.as_view(
            [(S.CHECK, step_forms.CheckForm)],
            url_name="applications:step",
            done_step_name="submitted",
        )

    # --- set-up per request ------------------------------------------------------------

    def dispatch(self, request, *args, token=None, **kwargs):
        draft = Draft.objects.select_related("guide").filter(token=token)
        draft = next(iter(draft), None)  # the token is unique: no ORDER BY (docs/performance.md)
        if draft is None:
            return refused(
                request, _("申请草稿不存在或已过期，请从办事指南页面重新开始申请。"), 404
            )
        if draft.status == DraftStatus.SUBMITTED:
            if request.method == "POST":
                messages.info(request, _("这份申请已经提交，不能重复提交或修改。"))
            return redirect("applications:confirmation", token=draft.token)
        guide = draft.guide.specific
        if not accepts_online(guide):
            return refused(request, _("该事项目前不能网上申请，请到窗口办理或电话咨询。"), 404)
        request.application_draft = draft
        self.draft = draft
        self.guide = guide
        self.agent = S.agent_for(request.user)
        self.form_list, self.condition_dict = S.build_steps(guide, request.user)
        self.initial_dict = {}
        self.instance_dict = {}
        return super().dispatch(request, *args, **kwargs)

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"token": self.draft.token, "step": step})

    def get_form_kwargs(self, step=None):
        form_class = self.form_list.get(step)
        if form_class is step_forms.AddressForm:
            return {"county_code": self.guide.township.code[:6]}
        if form_class is step_forms.AppointmentForm:
            return {"slots": S.appointment_slots(self.guide)}
        return {}

    def get_form_initial(self, step):
        if step == S.ADDRESS:
            return {"township": self.guide.township.code}
        return {}

    def get_form(self, step=None, data=None, files=None):
        """Keep an upload across back and forward: a step posted without a new file keeps the
        one already in the draft."""
        step = self.steps.current if step is None else step
        form_class = self.get_form_list().get(step)
        if data is not None and getattr(form_class, "is_upload", False):
            field = self.get_form_prefix(step, form_class) + "-file"
            stored = (self.storage.get_step_files(step) or {}).get(field)
            if stored is not None and not (files and files.get(field)):
                files = {field: stored}
        return super().get_form(step, data, files)

    # --- what is kept per step ----------------------------------------------------------

    def get_form_step_data(self, form):
        prefix = form.prefix + "-"
        return {key: values for key, values in form.data.lists() if key.startswith(prefix)}

    def get_form_step_files(self, form):
        if not getattr(form, "is_upload", False):
            return {}
        value = form.cleaned_data.get("file")
        if isinstance(value, CleanUpload):
            name = save_private(value, "drafts")
            value = StoredUpload(
                name, value.original_name, value.content_type, value.size, value.sha256
            )
        return {form.add_prefix("file"): value} if value is not None else {}

    # --- refusing tampered posts --------------------------------------------------------

    def post(self, *args, **kwargs):
        goto = self.request.POST.get("wizard_goto_step")
        if goto and goto in self.get_form_list():
            return self.render_goto_step(goto)
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        posted = management.cleaned_data["current_step"] if management.is_valid() else None
        if posted is None or posted not in self.get_form_list() or posted != kwargs.get("step"):
            return refused(
                self.request,
                _("页面已过期或提交的数据不完整，您的申请没有改变。请返回继续填写。"),
                400,
            )
        self.storage.current_step = posted  # the page's own step, also on a fresh draft
        return super().post(*args, **kwargs)

    # --- navigation ---------------------------------------------------------------------

    def first_missing_step(self):
        stored = self.storage.data[self.storage.step_data_key]
        for step in self.get_form_list():
            if step != S.CHECK and step not in stored:
                return step
        return None

    def render_next_step(self, form, **kwargs):
        if self.request.GET.get("change"):
            target = self.first_missing_step() or S.CHECK
            self.storage.current_step = target
            suffix = "?change=1" if target != S.CHECK else ""
            return redirect(self.get_step_url(target) + suffix)
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        # Submit on the POST of the check page itself (never on a GET).
        if self.request.method != "POST":
            return redirect(self.get_step_url(S.CHECK))
        return WizardView.render_done(self, form, **kwargs)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(self.request, _("这一页还有需要填写或更正的内容，请完成后再提交。"))
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    # --- display ------------------------------------------------------------------------

    def answers_summary(self):
        """For the check page: every step's answers with a change link."""
        sections = []
        for step, form_class in self.get_form_list().items():
            if step == S.CHECK:
                continue
            form = self.get_form(
                step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
            complete = form.is_bound and form.is_valid()
            sections.append(
                {
                    "title": form_class.title,
                    "rows": form.summary() if complete else [],
                    "complete": complete,
                    "change_url": self.get_step_url(step) + "?change=1",
                }
            )
        return sections

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        prev_step = self.steps.prev
        context.update(
            {
                "guide": self.guide,
                "township": self.guide.township,
                "draft": self.draft,
                "step_title": getattr(form, "title", ""),
                "step_number": self.steps.step1,
                "step_count": self.steps.count,
                "back_url": self.get_step_url(prev_step) if prev_step else None,
                "is_check": step == S.CHECK,
                "is_upload": getattr(form, "is_upload", False),
                "stored_upload": self._stored(step, form),
                "resume_url": self.request.build_absolute_uri(
                    reverse("applications:resume_draft", kwargs={"token": self.draft.token})
                ),
                "change": bool(self.request.GET.get("change")),
                "help_phone": phone(self.guide.effective_consultation_phone),
                "form_action": self.request.get_full_path(),
            }
        )
        if step == S.CHECK:
            context["answers"] = self.answers_summary()
        return context

    def _stored(self, step, form):
        if not getattr(form, "is_upload", False):
            return None
        return self.storage.stored_upload(step, form.add_prefix("file"))

    # --- submission ---------------------------------------------------------------------

    def done(self, form_list, form_dict=None, **kwargs):
        with transaction.atomic():
            draft = Draft.objects.select_for_update().get(pk=self.draft.pk)
            if draft.application_id is None:
                application = create_application(self.submission(form_dict))
                draft.application = application
                draft.status = DraftStatus.SUBMITTED
                draft.data = {}
                draft.save(update_fields=["application", "status", "data", "updated_at"])
        self.storage.submitted = True
        return redirect("applications:confirmation", token=draft.token)

    def submission(self, form_dict):
        data = {step: form.cleaned_data for step, form in form_dict.items()}
        person = data[S.APPLICANT]
        address = data[S.ADDRESS]
        applicant = Applicant(
            name=person["name"],
            id_number=person["id_number"],
            mobile=person["mobile"],
            email=person.get("email", ""),
            address=address["address"],
            village=VillageStationPage.objects.filter(code=address["village"]).first(),
        )
        answers, files = [], []
        for form in form_dict.values():
            question = getattr(form, "question", None)
            if question is not None:
                field = form.fields["answer"]
                answers.append(
                    {
                        "key": question.key,
                        "question": question.label,
                        "answer": str(step_forms.display_value(field, form.cleaned_data["answer"])),
                    }
                )
            stored = form.cleaned_data.get("file") if getattr(form, "is_upload", False) else None
            if stored is not None:
                material = getattr(form, "material", None)
                files.append(
                    StoredFile(
                        material_name=material.name if material else str(_("代办授权委托书")),
                        material=material,
                        **stored.as_dict(),
                    )
                )
        delivery = data.get(S.DELIVERY, {})
        appointment = data.get(S.APPOINTMENT, {})
        home = data.get(S.HOME_VISIT, {})
        options = Options(
            delivery=delivery.get("delivery") or "window",
            postal_address=delivery.get("postal_address", "").strip(),
            appointment_date=(
                datetime.date.fromisoformat(appointment["appointment_date"])
                if appointment.get("appointment_date")
                else None
            ),
            appointment_period=appointment.get("appointment_period", ""),
            home_visit=home.get("home_visit") == "yes",
            home_visit_reason=home.get("home_visit_reason", "").strip(),
            agent=self.agent if S.AGENT in form_dict else None,
        )
        return Submission(
            guide=self.guide, applicant=applicant, answers=answers, options=options, files=files
        )
