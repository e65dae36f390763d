"""Admin views: township-scoped snippet views, the guarded workflow action, "发布前检查".

Wagtail's generic snippet edit/history/usage views check model-level permissions only; the
township-owned ``ServiceWindow`` needs the instance checked against the user's townships, which
``TownshipScopedObjectMixin`` does through the model's registered permission policy.
``GuideWorkflowActionView`` and ``GuideEditView`` serve ``ServiceGuidePage`` through its page
viewset (``guides.wagtail_hooks.ServiceGuidePageViewSet``).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import TaskState
from wagtail.permissions import policy_registry
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)

from .models.workflow import approval_blockers, blocked_approval_comment
from .publishing import PublishBlocked, publish_blockers

ANY_ACTION = ("add", "change", "delete", "view")


# --- township-owned snippets --------------------------------------------------------------


class TownshipScopedObjectMixin:
    """Refuse an object outside the townships where the user holds ``instance_actions``."""

    instance_actions = ANY_ACTION

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None:
            policy = policy_registry.get_by_type(type(obj))
            if not policy.user_has_any_permission_for_instance(
                self.request.user, self.instance_actions, obj
            ):
                raise PermissionDenied
        return obj


class ScopedEditView(TownshipScopedObjectMixin, snippet_views.EditView):
    instance_actions = ("change",)


class ScopedDeleteView(TownshipScopedObjectMixin, snippet_views.DeleteView):
    instance_actions = ("delete",)


class ScopedHistoryView(TownshipScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedUsageView(TownshipScopedObjectMixin, snippet_views.UsageView):
    pass


class ScopedInspectView(TownshipScopedObjectMixin, snippet_views.InspectView):
    pass


def scoped_choice_queryset(model, request):
    """What a chooser may offer: the user's townships' objects, optionally one township's."""
    policy = policy_registry.get_by_type(model)
    objects = policy.instances_user_has_any_permission_for(request.user, ANY_ACTION)
    township = request.GET.get("township", "")
    if township.isdigit():
        objects = objects.filter(township_id=int(township))
    return objects


class ScopedChooseViewMixin:
    def get_object_list(self):
        return scoped_choice_queryset(self.model_class, self.request)


class ScopedChooseView(ScopedChooseViewMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseViewMixin, ChooseResultsView):
    pass


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return scoped_choice_queryset(self.model_class, self.request).get(pk=pk)


class TownshipScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    preserve_url_parameters = ["multiple", "township"]


# --- the review workflow ------------------------------------------------------------------


def add_blocked_approval_message(request, reasons):
    items = format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons))
    messages.error(
        request,
        format_html(
            "{}<ul>{}</ul>",
            _("审核未通过：该办事指南尚未通过发布前检查，已退回修改，原因已写入审核意见。"),
            items,
        ),
    )


class GuideWorkflowActionView(WorkflowActionView):
    """Approving an incomplete guide requests changes with the reasons instead of failing.

    ``DisclosureApprovalTask`` already turns such an approval into a rejection; this view adds
    the message for the reviewer, and covers other task types, whose approval fails with
    ``PublishBlocked`` when the workflow tries to publish (that transaction is rolled back).
    """

    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except PublishBlocked as blocked:
            task_state = TaskState.objects.get(pk=self.task_state.pk).specific
            if task_state.status == TaskState.STATUS_IN_PROGRESS:
                task_state.reject(
                    user=request.user, comment=blocked_approval_comment(blocked.reasons)
                )
            add_blocked_approval_message(request, blocked.reasons)
            return self.finished_response()
        if self.action_name == "approve":
            task_state = TaskState.objects.get(pk=self.task_state.pk)
            if task_state.status == TaskState.STATUS_REJECTED:
                add_blocked_approval_message(request, approval_blockers(task_state))
        return response

    def finished_response(self):
        if self.request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(
                self.request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)


# --- "发布前检查" on the guide edit page -----------------------------------------------------


class PublishChecksSidePanel(BaseSidePanel):
    """Lists what the publish gate still refuses, for the version being edited."""

    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = gettext_lazy("发布前检查")
        icon_name = "tasks"
        counter_classname = "w-bg-critical-200"

        def get_context_data(self, parent_context):
            context = super().get_context_data(parent_context)
            context["count"] = len(self.panel.reasons)
            return context

    name = "publish_checks"
    title = gettext_lazy("发布前检查")
    template_name = "guides/admin/publish_checks_side_panel.html"
    order = 150

    def __init__(self, object, request, reasons):
        super().__init__(object, request)
        self.reasons = reasons

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["reasons"] = self.reasons
        return context


class GuideEditView(EditView):
    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if not self.expects_json_response:
            side_panels.append(
                PublishChecksSidePanel(self.page, self.request, publish_blockers(self.page))
            )
        return side_panels
