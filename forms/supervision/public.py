"""Public pages: the figures (办件公示) and complaints and suggestions (投诉建议).

The figures page shows counts, rates and satisfaction per township and per month: no names, no
tracking numbers, nothing about a person. Only live townships are shown.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from guides.models import TownshipPage
from guides.views.site import render_in_site as _page

from .. import ratelimit, statistics
from ..models import Complaint, ComplaintStatus
from . import charts
from .common import period_from, report_context
from .complaints import (
    ComplaintForm,
    FollowUpForm,
    complaint_days,
    create_complaint,
    rate_scope,
)

SUBMITTED_SESSION_KEY = "complaint_submitted"
REPLIES_PER_PAGE = 20


def live_townships():
    return TownshipPage.objects.live().public()


# --- 办件公示 -------------------------------------------------------------------------------


def figures(request):
    """The county's figures per township and per month."""
    townships = live_townships()
    form, period = period_from(request)
    report = statistics.build_report(townships, period, dimensions=("township", "month"))
    context = {
        "title": _("办件公示"),
        "period_form": form,
        "lights_chart": charts.lights_chart(
            report.by_township, "chart-lights", _("各乡镇（街道）在办件红黄绿灯")
        ),
        **report_context(report),
    }
    return _page(request, "applications/supervision/public.html", context)


def township_figures(request, code):
    township = get_object_or_404(live_townships(), code=code)
    form, period = period_from(request)
    report = statistics.build_report(
        live_townships().filter(pk=township.pk), period, dimensions=("month",)
    )
    context = {
        "title": _("办件公示：%(name)s") % {"name": township.title},
        "township": township,
        "total_rows": [statistics.Row(township.pk, township.title, report.total, township.code)],
        "period_form": form,
        **report_context(report),
    }
    return _page(request, "applications/supervision/public_township.html", context, page=township)


# --- 投诉建议 -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    initial = {}
    code = request.GET.get("township", "")[:9]
    if code.isdigit():
        initial["township"] = code
    form = ComplaintForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request, rate_scope()):
            form.add_error(None, _("提交太频繁，请稍后再试，或拨打监督投诉电话。"))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            complaint = create_complaint(
                township=data["township"],
                kind=data["kind"],
                subject=data["subject"].strip(),
                content=data["content"].strip(),
                name=data["name"].strip(),
                phone=data["phone"],
                tracking_number=data["tracking_number"],
            )
            request.session[SUBMITTED_SESSION_KEY] = complaint.pk
            return redirect("supervision:complaint_submitted")
        else:
            status = 400
    context = {
        "title": _("投诉建议"),
        "form": form,
        "days": complaint_days(),
    }
    return _page(request, "applications/complaints/new.html", context, status=status, index=False)


@never_cache
def complaint_submitted(request):
    pk = request.session.get(SUBMITTED_SESSION_KEY)
    complaint = Complaint.objects.select_related("township").filter(pk=pk).first() if pk else None
    if complaint is None:
        return redirect("supervision:complaint_new")
    context = {"title": _("投诉建议已收到"), "complaint": complaint}
    return _page(request, "applications/complaints/submitted.html", context, index=False)


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_follow(request):
    """Status and answer by follow-up code. A POST (the code stays out of addresses and logs),
    rate limited like the application status look-up."""
    form = FollowUpForm(request.POST or None)
    complaint = None
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request, "lookup"):
            form.add_error(None, _("查询次数太多，请10分钟后再试。"))
            status = 429
        elif form.is_valid():
            complaint = (
                Complaint.objects.select_related("township")
                .filter(follow_up_code=form.cleaned_data["code"])
                .first()
            )
            if complaint is None:
                form.add_error("code", _("没有找到这个查询码，请核对后重新输入。"))
                status = 404
        else:
            status = 400
    context = {
        "title": _("投诉建议办理情况查询"),
        "form": form,
        "complaint": complaint,
        "overdue": complaint is not None
        and complaint.status == ComplaintStatus.RECEIVED
        and complaint.deadline < statistics.local_today(),
    }
    return _page(
        request, "applications/complaints/follow.html", context, status=status, index=False
    )


def complaint_replies(request):
    """Published answers, newest first; ``?township=<code>`` for one township."""
    townships = list(live_townships().order_by("code").only("pk", "title", "code"))
    selected = None
    code = request.GET.get("township", "")[:9]
    if code:
        selected = next((t for t in townships if t.code == code), None)
    replies = (
        Complaint.objects.filter(
            reply_published=True,
            replied_at__isnull=False,
            township__in=[t.pk for t in townships],
        )
        .select_related("township")
        .order_by("-replied_at", "-pk")
    )
    if selected is not None:
        replies = replies.filter(township=selected)
    page = Paginator(replies, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "title": _("投诉建议答复公开"),
        "townships": townships,
        "selected": selected,
        "page_obj": page,
        "new_url": reverse("supervision:complaint_new")
        + (f"?township={selected.code}" if selected else ""),
    }
    return _page(request, "applications/complaints/replies.html", context)
