"""差评整改: the center head's (and county staff's) list of rectification tasks after bad
reviews, and closing one with the response (``forms.actions.close_rectification``)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import actions
from ..models import Rectification, RectificationStatus
from ..permissions import can_handle, head_townships
from .forms import RectificationForm
from .views import NAMESPACE

PAGE_SIZE = 30


def _rectifications(user):
    if not head_townships(user).exists():
        raise PermissionDenied
    return Rectification.objects.filter(township__in=head_townships(user)).select_related(
        "township", "evaluation__application", "handled_by"
    )


def _crumbs(*items):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("首页")},
        {"url": reverse(f"{NAMESPACE}:index"), "label": _("办件管理")},
        *items,
    ]


def rectification_list(request):
    queryset = _rectifications(request.user)
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        queryset = queryset.filter(status=status)
    queryset = queryset.annotate(
        _done=Case(
            When(status=RectificationStatus.DONE, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("_done", "deadline", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "applications/admin/rectifications.html",
        {
            "page_title": _("差评整改"),
            "header_title": _("差评整改"),
            "header_icon": "warning",
            "breadcrumbs_items": _crumbs({"url": "", "label": _("差评整改")}),
            "page": page,
            "rectifications": page.object_list,
            "status": status,
            "statuses": RectificationStatus.choices,
            "today": timezone.localdate(),
            "several_townships": head_townships(request.user).count() > 1,
        },
    )


def rectification_detail(request, pk):
    rectification = get_object_or_404(_rectifications(request.user), pk=pk)
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_rectification(rectification, request.user, form.cleaned_data["response"])
        except actions.ActionRefused as refusal:
            form.add_error(None, refusal.message)
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("整改情况已记录，该差评整改已办结。"))
            return redirect(reverse(f"{NAMESPACE}:rectifications"))
    application = rectification.evaluation.application
    title = _("差评整改：%(number)s") % {"number": application.display_tracking_number}
    return TemplateResponse(
        request,
        "applications/admin/rectification.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
            "breadcrumbs_items": _crumbs(
                {"url": reverse(f"{NAMESPACE}:rectifications"), "label": _("差评整改")},
                {"url": "", "label": application.display_tracking_number},
            ),
            "rectification": rectification,
            "evaluation": rectification.evaluation,
            "application": application,
            "application_url": reverse(f"{NAMESPACE}:detail", args=[application.pk])
            if can_handle(request.user, application)
            else "",
            "form": form,
            "today": timezone.localdate(),
        },
    )
