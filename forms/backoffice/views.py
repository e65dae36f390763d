"""The queue (办件管理) and an application's page with its actions."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.widgets import HeaderButton

from guides.models.choices import HandlingClass

from .. import actions
from ..clock import Light
from ..models import (
    Application,
    ApplicationStatus,
    EventAction,
    Notification,
)
from ..permissions import clerk_townships, handleable_applications, head_townships
from . import forms as bo_forms
from .queries import LIGHTS, in_queue_order, light_info, light_q, user_display

S = ApplicationStatus
NAMESPACE = "applications_admin"


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


def local(moment, fmt="%Y-%m-%d %H:%M"):
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def require_handler(user):
    """The queue and its pages are for clerks, heads and county staff only."""
    if not clerk_townships(user).exists():
        raise PermissionDenied


def get_application(request, pk):
    """The application, if the user may handle it; another township's is a 404."""
    return get_object_or_404(
        handleable_applications(request.user).select_related(
            "township", "guide", "item", "village", "agent", "assigned_clerk", "responsible_clerk"
        ),
        pk=pk,
    )


# --- the queue ------------------------------------------------------------------------------


class QueueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"),
        choices=S.choices,
        empty_label=gettext_lazy("全部"),
        widget=forms.RadioSelect,
    )
    light = django_filters.ChoiceFilter(
        label=gettext_lazy("红绿灯"),
        choices=[(light, Light.LABELS[light]) for light in LIGHTS],
        empty_label=gettext_lazy("全部"),
        widget=forms.RadioSelect,
        method="filter_light",
    )
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("乡镇（街道）"),
        queryset=None,
        empty_label=gettext_lazy("全部"),
    )
    mine = django_filters.ChoiceFilter(
        label=gettext_lazy("经办人"),
        choices=[("1", gettext_lazy("只看我经办的"))],
        empty_label=gettext_lazy("全部"),
        widget=forms.RadioSelect,
        method="filter_mine",
    )

    class Meta:
        model = Application
        fields = ["status", "light", "township", "mine"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        townships = clerk_townships(self.request.user).order_by("code")
        if townships.count() > 1:
            self.filters["township"].queryset = townships
        else:
            del self.filters["township"]

    def filter_light(self, queryset, name, value):
        return queryset.filter(light_q(value)) if value else queryset

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assigned_clerk=self.request.user) if value else queryset


class LightColumn(Column):
    """A coloured dot and its label (never colour alone), with the working days left."""

    cell_template_name = "applications/admin/tables/light_cell.html"


class QueueView(BaseListingView):
    page_title = gettext_lazy("办件管理")
    header_icon = "tasks"
    template_name = "applications/admin/queue.html"
    index_url_name = f"{NAMESPACE}:index"
    index_results_url_name = f"{NAMESPACE}:index_results"
    filterset_class = QueueFilterSet
    is_searchable = True
    paginate_by = 30
    verbose_name = gettext_lazy("办件")
    verbose_name_plural = gettext_lazy("办件")

    def dispatch(self, request, *args, **kwargs):
        require_handler(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def several_townships(self):
        return clerk_townships(self.request.user).count() > 1

    @cached_property
    def columns(self):
        columns = [
            TitleColumn(
                "number",
                label=_("受理编号"),
                accessor="display_tracking_number",
                get_url=lambda a: url("detail", a.pk),
            ),
            Column("item_name", label=_("事项")),
            Column("applicant", label=_("申请人"), accessor="masked_name"),
        ]
        if self.several_townships:
            columns.append(Column("township", label=_("乡镇（街道）"), accessor="township.title"))
        columns += [
            Column(
                "submitted",
                label=_("提交时间"),
                accessor=lambda a: local(a.submitted_at),
                sort_key="submitted_at",
            ),
            Column("status", label=_("状态"), accessor="get_status_display"),
            LightColumn(
                "deadline", label=_("承诺办结日期 / 红绿灯"), accessor="clock", sort_key="deadline"
            ),
            Column("clerk", label=_("经办人"), accessor=lambda a: user_display(a.assigned_clerk)),
        ]
        return columns

    def get_base_queryset(self):
        return handleable_applications(self.request.user).select_related(
            "township", "assigned_clerk"
        )

    def order_queryset(self, queryset):
        if self.ordering:
            return queryset.order_by(self.ordering, "pk")
        return in_queue_order(queryset)

    def search_queryset(self, queryset):
        """Item name, or (part of) the tracking number typed with or without spaces."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        digits = "".join(c for c in query if c not in " -\u3000")
        condition = Q(item_name__icontains=query)
        if digits.isdigit():
            condition |= Q(tracking_number__contains=digits)
        return queryset.filter(condition)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        today = timezone.localdate()
        for application in context["object_list"]:
            application.clock = light_info(actions.clock_state(application, today=today))
        return context

    def get_header_buttons(self):
        buttons = [
            HeaderButton(_("受理登记簿"), url=url("register"), icon_name="list-ul"),
            HeaderButton(_("统计表"), url=url("statistics"), icon_name="table"),
        ]
        if head_townships(self.request.user).exists():
            buttons.append(
                HeaderButton(_("差评整改"), url=url("rectifications"), icon_name="warning")
            )
        return buttons


# --- the application's page -----------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    form_class: type
    statuses: tuple
    done: str  # the success message
    primary: bool = False
    danger: bool = False


def _run_accept(application, user, data):
    return actions.accept(application, user, note=data["note"])


def _run_on_the_spot(application, user, data):
    return actions.complete_on_the_spot(application, user, result_note=data["result_note"])


def _run_supplement(application, user, data):
    return actions.request_supplement(application, user, data["items"], note=data["note"])


def _run_receive(application, user, data):
    return actions.receive_supplement(application, user, note=data["note"])


def _run_reject(application, user, data):
    return actions.reject(application, user, data["reason"])


def _run_forward(application, user, data):
    return actions.forward(application, user, data["to"], note=data["note"])


def _run_progress(application, user, data):
    return actions.record_forward_progress(application, user, data["note"])


def _run_complete(application, user, data):
    return actions.complete(application, user, data["outcome"], data["result_note"])


def _run_reassign(application, user, data):
    return actions.reassign(application, user, data["to_user"], note=data["note"])


ACTIONS = {
    a.key: a
    for a in [
        Action(
            "accept",
            pgettext_lazy("button", "受理"),
            bo_forms.AcceptForm,
            (S.SUBMITTED,),
            gettext_lazy("已受理，承诺办结日期已计算。"),
            primary=True,
        ),
        Action(
            "on-the-spot",
            pgettext_lazy("button", "即办办结"),
            bo_forms.OnTheSpotForm,
            (S.SUBMITTED,),
            gettext_lazy("已当场办结。"),
        ),
        Action(
            "supplement",
            gettext_lazy("一次性告知补正"),
            bo_forms.SupplementRequestForm,
            (S.SUBMITTED, S.ACCEPTED),
            gettext_lazy("已一次性告知需要补正的材料。"),
        ),
        Action(
            "receive-supplement",
            gettext_lazy("补正材料已收到"),
            bo_forms.ReceiveSupplementForm,
            (S.SUPPLEMENT,),
            gettext_lazy("已记录补正材料收到。"),
            primary=True,
        ),
        Action(
            "reject",
            pgettext_lazy("button", "不予受理"),
            bo_forms.RejectForm,
            (S.SUBMITTED, S.SUPPLEMENT),
            gettext_lazy("已不予受理，请打印不予受理告知书。"),
            danger=True,
        ),
        Action(
            "forward",
            gettext_lazy("上报上级部门"),
            bo_forms.ForwardForm,
            (S.ACCEPTED,),
            gettext_lazy("已上报。"),
        ),
        Action(
            "progress",
            gettext_lazy("记录上报进展"),
            bo_forms.ForwardProgressForm,
            (S.FORWARDED,),
            gettext_lazy("已记录上报进展。"),
        ),
        Action(
            "complete",
            pgettext_lazy("button", "办结"),
            bo_forms.CompleteForm,
            (S.ACCEPTED, S.FORWARDED),
            gettext_lazy("已办结。"),
            primary=True,
        ),
        Action(
            "reassign",
            gettext_lazy("转交经办人"),
            bo_forms.ReassignForm,
            (S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.FORWARDED),
            gettext_lazy("已转交。"),
        ),
    ]
}
RUNNERS = {
    "accept": _run_accept,
    "on-the-spot": _run_on_the_spot,
    "supplement": _run_supplement,
    "receive-supplement": _run_receive,
    "reject": _run_reject,
    "forward": _run_forward,
    "progress": _run_progress,
    "complete": _run_complete,
    "reassign": _run_reassign,
}


def supplement_requested(application):
    return application.events.filter(action=EventAction.SUPPLEMENT_REQUESTED).exists()


def is_immediate(application):
    handling_class = application.handling_class
    if not handling_class and application.guide is not None:
        handling_class = application.guide.handling_class
    return handling_class == HandlingClass.IMMEDIATE


def available_actions(application):
    """The actions offered for the application's current status, in the order shown."""
    keys = [key for key, action in ACTIONS.items() if application.status in action.statuses]
    if "supplement" in keys and supplement_requested(application):
        keys.remove("supplement")  # asked once (一次性告知)
    if "on-the-spot" in keys and is_immediate(application):
        keys.remove("on-the-spot")
        keys.insert(0, "on-the-spot")  # 即办件: done at the window
    return keys


def _form(key, application, data=None):
    return ACTIONS[key].form_class(data, application=application, prefix=key)


def detail_context(request, application, bound=None):
    """Everything the application's page shows; ``bound`` is ``(key, form)`` posted with errors."""
    today = timezone.localdate()
    state = actions.clock_state(application, today=today)
    keys = available_actions(application)
    panels = []
    for key in keys:
        form = bound[1] if bound and bound[0] == key else _form(key, application)
        panels.append(
            {"action": ACTIONS[key], "form": form, "url": url("act", application.pk, key)}
        )
    if bound and bound[0] not in keys:  # refused because the status changed: keep what was typed
        panels.insert(
            0,
            {
                "action": ACTIONS[bound[0]],
                "form": bound[1],
                "url": url("act", application.pk, bound[0]),
                "stale": True,
            },
        )
    events = list(application.events.select_related("actor").prefetch_related("supplement_items"))
    labels = dict(S.choices)
    for event in events:
        event.from_label = labels.get(event.from_status, "")
        event.to_label = labels.get(event.to_status, "")
    supplement_event = next(
        (e for e in events if e.action == EventAction.SUPPLEMENT_REQUESTED), None
    )
    evaluation = getattr(application, "evaluation", None)
    rectification = getattr(evaluation, "rectification", None) if evaluation else None
    documents = []
    if application.accepted_at is not None:
        documents.append((_("受理回执（存根）"), url("print", application.pk, "receipt")))
    if supplement_event is not None:
        documents.append((_("一次性告知书"), url("print", application.pk, "supplement")))
    if application.status == S.REJECTED:
        documents.append((_("不予受理告知书"), url("print", application.pk, "rejection")))
    return {
        "application": application,
        "township": application.township,
        "several_townships": clerk_townships(request.user).count() > 1,
        "state": state,
        "light": light_info(state),
        "immediate": is_immediate(application),
        "handling_class_label": dict(HandlingClass.choices).get(application.handling_class, ""),
        "files": list(application.files.all()),
        "events": events,
        "pauses": list(application.pauses.all()),
        "notifications": Notification.objects.filter(application=application).select_related(
            "event"
        ),
        "evaluation": evaluation,
        "rectification": rectification,
        "can_see_rectification": rectification is not None
        and head_townships(request.user).filter(pk=application.township_id).exists(),
        "panels": panels,
        "has_bound": bound is not None,
        "documents": documents,
    }


def render_detail(request, application, bound=None, status=200):
    context = detail_context(request, application, bound)
    context.update(
        {
            "page_title": _("办件 %(number)s") % {"number": application.display_tracking_number},
            "header_title": application.display_tracking_number,
            "header_icon": "tasks",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("首页")},
                {"url": url("index"), "label": _("办件管理")},
                {"url": "", "label": application.display_tracking_number},
            ],
        }
    )
    return TemplateResponse(request, "applications/admin/detail.html", context, status=status)


def detail(request, pk):
    require_handler(request.user)
    application = get_application(request, pk)
    return render_detail(request, application)


@require_POST
def act(request, pk, action):
    """Run one action from its form: success → message and back to the page (POST/redirect/GET);
    invalid input or a refusal → the page again with the form, what was typed and the reason."""
    require_handler(request.user)
    application = get_application(request, pk)
    if action not in ACTIONS:
        return redirect(url("detail", application.pk))
    form = _form(action, application, request.POST)
    if form.is_valid():
        try:
            RUNNERS[action](application, request.user, form.cleaned_data)
        except actions.ActionRefused as refusal:
            form.add_error(None, refusal.message)
            messages.error(request, refusal.message)
        else:
            messages.success(request, str(ACTIONS[action].done))
            return redirect(url("detail", application.pk))
    else:
        messages.error(
            request,
            _("“%(action)s”没有完成，请按提示修改后重新提交。") % {"action": ACTIONS[action].label},
        )
    application.refresh_from_db()
    return render_detail(request, application, bound=(action, form))
