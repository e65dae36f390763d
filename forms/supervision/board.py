"""The supervision board (电子监察) in the Wagtail admin.

``/admin/supervision/``: every township the user may see (county staff and reviewers: all; a
township's clerks and head: their own, and a single township goes straight to its page), the
lights per township, the figures per township and per month, the overdue applications.
``/admin/supervision/<code>/``: one township, drilled down per item and per clerk.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import statistics
from . import charts
from .access import board_townships, can_view_board, sees_all_townships
from .common import period_from, report_context

# The back office's application page (forms/backoffice/urls.py).
BACKOFFICE_DETAIL_URL = "applications_admin:detail"
OVERDUE_LIMIT = 100


def backoffice_url(application):
    try:
        return reverse(BACKOFFICE_DETAIL_URL, args=[application.pk])
    except NoReverseMatch:
        return ""


class BoardMixin(WagtailAdminTemplateMixin):
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_board(request.user):
            raise PermissionDenied
        self.today = statistics.local_today()
        self.period_form, self.period = period_from(request, self.today)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("applications_supervision:index"), "label": _("电子监察")},
        ]

    def overdue(self, townships):
        count, rows = statistics.overdue_applications(townships, self.today, OVERDUE_LIMIT)
        for application in rows:
            application.backoffice_url = backoffice_url(application)
        return {"overdue_count": count, "overdue_rows": rows, "overdue_limit": OVERDUE_LIMIT}


class BoardView(BoardMixin, TemplateView):
    template_name = "applications/supervision/board.html"
    page_title = gettext_lazy("电子监察")

    def get(self, request, *args, **kwargs):
        townships = board_townships(request.user)
        if not sees_all_townships(request.user) and townships.count() == 1:
            url = reverse("applications_supervision:township", args=[townships.get().code])
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("电子监察")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        townships = board_townships(self.request.user)
        report = statistics.build_report(
            townships, self.period, dimensions=("township", "month"), today=self.today
        )
        context.update(report_context(report))
        context.update(self.overdue(townships))
        context.update(
            {
                "period_form": self.period_form,
                "scope_label": _("全县（区）")
                if sees_all_townships(self.request.user)
                else _("我的乡镇（街道）"),
                "lights_chart": charts.lights_chart(
                    report.by_township, "chart-lights", _("各乡镇（街道）在办件红黄绿灯")
                ),
            }
        )
        return context


class TownshipBoardView(BoardMixin, TemplateView):
    template_name = "applications/supervision/board_township.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_board(request.user):
            raise PermissionDenied
        scope = board_townships(request.user).filter(code=kwargs["code"])
        self.township = scope.first()
        if self.township is None:
            raise Http404
        self.scope = scope
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("电子监察：%(name)s") % {"name": self.township.title}

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.township.title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = statistics.build_report(
            self.scope, self.period, dimensions=("month", "item", "clerk"), today=self.today
        )
        for row in report.by_clerk:
            if row.key is None:
                row.label = _("尚未受理（无首问负责人）")
        context.update(report_context(report))
        context.update(self.overdue(self.scope))
        item_rows = [row for row in report.by_item if any(row.figures.lights.values())]
        clerk_rows = [row for row in report.by_clerk if any(row.figures.lights.values())]
        context.update(
            {
                "township": self.township,
                "total_rows": [
                    statistics.Row(
                        self.township.pk, self.township.title, report.total, self.township.code
                    )
                ],
                "period_form": self.period_form,
                "item_lights_chart": charts.lights_chart(
                    item_rows, "chart-item-lights", _("各事项在办件红黄绿灯")
                )
                if item_rows
                else None,
                "clerk_lights_chart": charts.lights_chart(
                    clerk_rows, "chart-clerk-lights", _("各首问负责人在办件红黄绿灯")
                )
                if clerk_rows
                else None,
            }
        )
        return context
