"""Complaints in the Wagtail admin (投诉建议): the list, one complaint and its answer.

A township's clerks and head see and answer their township's complaints; county
administrators and superusers see and answer all; reviewers (公开审查员) read all. Another
township's complaint is a 404. Overdue ones (past the reply deadline, not answered) are
flagged.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import statistics
from ..models import Complaint, ComplaintStatus
from ..statistics import complaint_overdue_q
from .access import can_reply, can_view_board, complaint_townships
from .complaints import ReplyForm, reply

PER_PAGE = 50
STATUS_FILTERS = [
    ("", gettext_lazy("全部")),
    ("open", gettext_lazy("待答复")),
    ("overdue", gettext_lazy("超期未答复")),
    ("replied", gettext_lazy("已答复")),
    ("closed", gettext_lazy("已办结")),
]


def visible_complaints(user):
    return Complaint.objects.filter(township__in=complaint_townships(user).values("pk"))


class ComplaintMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_board(request.user):
            raise PermissionDenied
        self.today = statistics.local_today()
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("applications_complaints_admin:index"), "label": _("投诉建议")},
        ]


class ComplaintIndexView(ComplaintMixin, TemplateView):
    template_name = "applications/complaints/admin_index.html"
    page_title = gettext_lazy("投诉建议")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("投诉建议")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        queryset = visible_complaints(user).select_related("township")
        townships = list(complaint_townships(user).order_by("code").only("pk", "title", "code"))
        code = self.request.GET.get("township", "")
        township = next((t for t in townships if t.code == code), None)
        if township is not None:
            queryset = queryset.filter(township=township)
        status = self.request.GET.get("status", "")
        if status == "open":
            queryset = queryset.filter(status=ComplaintStatus.RECEIVED)
        elif status == "overdue":
            queryset = queryset.filter(complaint_overdue_q(self.today))
        elif status in (ComplaintStatus.REPLIED, ComplaintStatus.CLOSED):
            queryset = queryset.filter(status=status)
        else:
            status = ""
        overdue_count = visible_complaints(user).filter(complaint_overdue_q(self.today))
        if township is not None:
            overdue_count = overdue_count.filter(township=township)
        page = Paginator(queryset.order_by("-created_at", "-pk"), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        for complaint in page:
            complaint.overdue = (
                complaint.status == ComplaintStatus.RECEIVED and complaint.deadline < self.today
            )
        context.update(
            {
                "page_obj": page,
                "townships": townships if len(townships) > 1 else [],
                "selected_township": township,
                "status": status,
                "status_filters": STATUS_FILTERS,
                "overdue_count": overdue_count.count(),
            }
        )
        return context


class ComplaintDetailView(ComplaintMixin, TemplateView):
    template_name = "applications/complaints/admin_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_board(request.user):
            raise PermissionDenied
        self.complaint = get_object_or_404(
            visible_complaints(request.user).select_related("township", "replied_by"),
            pk=kwargs["pk"],
        )
        self.may_reply = can_reply(request.user, self.complaint)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("投诉建议：%(subject)s") % {"subject": self.complaint.subject}

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.complaint.subject}]

    def form(self, data=None):
        complaint = self.complaint
        return ReplyForm(
            data,
            initial={
                "reply": complaint.reply,
                "reply_published": complaint.reply_published,
                "close": complaint.status == ComplaintStatus.CLOSED,
            },
        )

    def post(self, request, *args, **kwargs):
        if not self.may_reply:
            raise PermissionDenied
        form = self.form(request.POST)
        if form.is_valid():
            reply(
                self.complaint,
                request.user,
                form.cleaned_data["reply"],
                published=form.cleaned_data["reply_published"],
                close=form.cleaned_data["close"],
            )
            messages.success(request, _("答复已保存。"))
            return redirect("applications_complaints_admin:detail", pk=self.complaint.pk)
        messages.error(request, _("答复未保存，请更正以下问题。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        complaint = self.complaint
        context.update(
            {
                "complaint": complaint,
                "may_reply": self.may_reply,
                "form": kwargs.get("form") or (self.form() if self.may_reply else None),
                "overdue": complaint.status == ComplaintStatus.RECEIVED
                and complaint.deadline < self.today,
            }
        )
        return context
