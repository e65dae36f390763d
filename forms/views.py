"""Public pages of online applications: start, resume, confirmation, receipt, status, evaluation.

The wizard itself is in ``forms.wizard.views``.
"""

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from guides.models import ServiceGuidePage
from guides.views.presenters import phone
from guides.views.site import render_in_site

from . import actions, ratelimit
from .models import Application, ApplicationStatus, Draft, DraftStatus, EvaluationLevel
from .models.drafts import SHORT_CODE_ALPHABET
from .status import find_application, status_view
from .supplements import SupplementForm, requested_items, submit_supplement
from .wizard import steps as S
from .wizard.views import accepts_online, refused

STATUS_SESSION_KEY = "application_status_access"


def _page(request, template, context, *, page=None, status=200):
    """Applications' pages: personal, so never indexed."""
    return render_in_site(request, template, context, page=page, status=status, index=False)


def _live_guide(guide_id):
    guide = get_object_or_404(ServiceGuidePage.objects.live(), pk=guide_id)
    return guide


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, guide_id):
    """What you need, then "开始申请" (a POST creates the draft: no draft per crawler visit)."""
    guide = _live_guide(guide_id)
    if not accepts_online(guide):
        return refused(request, _("该事项目前不能网上申请，请到窗口办理或电话咨询。"), 404)
    if request.method == "POST":
        if not ratelimit.allow(request, "start"):
            return refused(request, _("操作太频繁，请稍后再试。"), 429)
        agent = S.agent_for(request.user)
        draft = Draft.objects.create(guide=guide, agent=agent.user if agent else None)
        return redirect("applications:step", token=draft.token, step=S.APPLICANT)
    steps, _conditions = S.build_steps(guide, request.user)
    context = {
        "title": _("网上申请：%(name)s") % {"name": guide.title},
        "guide": guide,
        "township": guide.township,
        "materials": list(guide.materials.all()),
        "step_count": len(steps),
        "agent": S.agent_for(request.user),
    }
    return _page(request, "applications/start.html", context, page=guide)


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("续填码"),
        max_length=20,
        help_text=gettext_lazy("8位字母和数字，例如 K7MP-4Q2X"),
        error_messages={"required": gettext_lazy("请输入续填码。")},
    )

    def clean_code(self):
        code = "".join(c for c in self.cleaned_data["code"].upper() if c.isalnum())
        if len(code) != 8 or any(c not in SHORT_CODE_ALPHABET for c in code):
            raise forms.ValidationError(_("续填码是8位字母和数字，请核对后重新输入。"))
        return code


@never_cache
@require_http_methods(["GET", "POST"])
def resume(request):
    form = ResumeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request, "resume"):
            form.add_error(None, _("尝试次数太多，请10分钟后再试。"))
            status = 429
        elif form.is_valid():
            draft = Draft.objects.filter(
                short_code=form.cleaned_data["code"], status=DraftStatus.OPEN
            ).first()
            if draft is not None:
                return redirect("applications:resume_draft", token=draft.token)
            form.add_error(
                "code", _("没有找到这个续填码的草稿：可能输入有误，或草稿已提交或过期。")
            )
    return _page(
        request,
        "applications/resume.html",
        {"title": _("继续填写申请"), "form": form},
        status=status,
    )


@never_cache
def resume_draft(request, token):
    """The resume link: back to where the draft stopped."""
    draft = next(iter(Draft.objects.filter(token=token)), None)  # unique token
    if draft is None:
        return refused(request, _("申请草稿不存在或已过期，请从办事指南页面重新开始申请。"), 404)
    if draft.status == DraftStatus.SUBMITTED:
        return redirect("applications:confirmation", token=token)
    step = (draft.data or {}).get("step") or S.APPLICANT
    return redirect("applications:step", token=token, step=step)


def _submitted_draft(token):
    return get_object_or_404(
        Draft.objects.select_related("application__township"),
        token=token,
        status=DraftStatus.SUBMITTED,
        application__isnull=False,
    )


def status_url(request, application):
    return request.build_absolute_uri(
        reverse("applications:status") + f"?n={application.tracking_number}"
    )


@never_cache
def confirmation(request, token):
    application = _submitted_draft(token).application
    context = {
        "title": _("申请已提交"),
        "application": application,
        "receipt_url": reverse("applications:receipt", kwargs={"token": token}),
        "status_url": status_url(request, application),
    }
    return _page(request, "applications/confirmation.html", context)


@never_cache
def receipt(request, token):
    """The printable receipt (回执) with a QR code to the status page."""
    application = _submitted_draft(token).application
    url = status_url(request, application)
    context = {
        "title": _("网上申请回执"),
        "application": application,
        "files": list(application.files.all()),
        "status_url": url,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=4, title=_("办件进度查询")),
        "township": application.township,
    }
    return _page(request, "applications/receipt.html", context)


class LookupForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("受理编号"),
        max_length=40,
        help_text=gettext_lazy("16位数字，见申请回执或短信"),
        error_messages={"required": gettext_lazy("请输入受理编号。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("申请时填写的手机号码"),
        max_length=20,
        error_messages={"required": gettext_lazy("请输入手机号码。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def _grant(request, application):
    allowed = request.session.get(STATUS_SESSION_KEY, [])
    if application.tracking_number not in allowed:
        request.session[STATUS_SESSION_KEY] = [*allowed[-19:], application.tracking_number]


def _granted(request, number):
    return number in request.session.get(STATUS_SESSION_KEY, [])


@never_cache
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    form = LookupForm(request.POST or None, initial={"number": request.GET.get("n", "")[:40]})
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request, "lookup"):
            form.add_error(None, _("查询次数太多，请10分钟后再试。"))
            status = 429
        elif form.is_valid():
            application = find_application(form.cleaned_data["number"], form.cleaned_data["phone"])
            if application is not None:
                _grant(request, application)
                return redirect("applications:status_detail", number=application.tracking_number)
            form.add_error(None, _("没有找到这个办件，请核对受理编号和手机号码。"))
            status = 404
    return _page(
        request,
        "applications/status_lookup.html",
        {"title": _("办件进度查询"), "form": form},
        status=status,
    )


class EvaluationForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("您对这次办事服务满意吗？"),
        choices=EvaluationLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择一个评价等级。")},
    )
    comment = forms.CharField(
        label=gettext_lazy("意见和建议（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level is not None and level <= 2 and not data.get("comment", "").strip():
            self.add_error("comment", _("请告诉我们哪里做得不好，我们会核实整改并回复您。"))
        return data


@never_cache
@require_http_methods(["GET", "POST"])
def status_detail(request, number):
    """The status page of one application, for a browser that proved the number and phone."""
    if not _granted(request, number):
        return redirect(reverse("applications:status") + f"?n={number[:16]}")
    application = (
        Application.objects.select_related("township").filter(tracking_number=number).first()
    )
    if application is None:
        return redirect(reverse("applications:status") + f"?n={number[:16]}")
    supplement_form = None
    if application.status == ApplicationStatus.SUPPLEMENT:
        supplement_form = SupplementForm(
            request.POST if request.POST.get("form") == "supplement" else None,
            request.FILES or None,
            items=requested_items(application),
        )
    form = EvaluationForm(request.POST if request.POST.get("form") == "evaluation" else None)
    status = 200
    if request.method == "POST" and supplement_form is not None and supplement_form.is_bound:
        if supplement_form.is_valid():
            try:
                submit_supplement(application, supplement_form)
            except actions.ActionRefused as refusal:
                supplement_form.add_error(None, refusal.message)
                status = 400
            else:
                messages.success(request, _("补正材料已提交，窗口将继续办理。"))
                return redirect("applications:status_detail", number=number)
        else:
            status = 400
    elif request.method == "POST" and form.is_bound:
        if form.is_valid():
            try:
                actions.evaluate(
                    application, form.cleaned_data["level"], form.cleaned_data["comment"]
                )
            except actions.ActionRefused as refusal:
                form.add_error(None, refusal.message)
                status = 400
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect("applications:status_detail", number=number)
        else:
            status = 400
    township = application.township
    context = {
        "title": _("办件进度"),
        "view": status_view(application),
        "form": form,
        "supplement_form": supplement_form,
        "phones": {
            "consultation": phone(township.consultation_phone),
            "supervision": phone(township.supervision_phone),
        },
    }
    return _page(request, "applications/status.html", context, status=status)
