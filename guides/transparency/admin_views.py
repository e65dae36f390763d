"""The disclosure board in the Wagtail admin ("公开审查"): townships → a list → one guide.

- ``BoardView``: one row per township, worst first; each count links to its list.
- ``TownshipView``: a township's guides (or expired postings) in one category.
- ``GuideView``: a read-only view of a guide for reviewers (who hold no page permission, so
  cannot open Wagtail's editor): what the gate finds on the live version, the pending changes,
  the review history, the public change history, the guide as published; and the review form.
- ``ExportView``: the board as CSV or XLSX.

Who sees what: ``guides.transparency.access``.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ..models import GuideReview, ServiceGuidePage, TownshipPage
from ..models.reviews import ReviewDecision
from . import conf
from .access import board_townships, can_review, can_see_board, can_see_township
from .export import csv_response, xlsx_response
from .history import change_history, pending_changes
from .report import CATEGORIES, CATEGORY_LABELS, build_report, build_reports, totals
from .reviews import ReviewError, mark_reviewed, send_back

LIST_CHOICES = {"all": gettext_lazy("全部指南"), "complete": gettext_lazy("要素齐全")}


def board_url(name, *args):
    return reverse(f"guides_transparency:{name}", args=args)


def township_list_url(township, show):
    return f"{board_url('township', township.code)}?show={show}"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("审查结论"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "退回修改时必填：写明需要修改的内容，乡镇编辑会在工作台和邮件中看到。"
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.SENT_BACK and not data.get("comment", "").strip():
            self.add_error("comment", _("退回修改必须填写审查意见，写明需要修改的内容。"))
        return data


class BoardMixin(WagtailAdminTemplateMixin):
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_board(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_breadcrumbs(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("首页")},
            {"url": board_url("index"), "label": _("公开审查")},
        ]

    def url_for(self, page):
        return page.get_url(request=self.request)


class BoardView(BoardMixin, TemplateView):
    template_name = "guides/admin/transparency/board.html"
    page_title = gettext_lazy("公开审查")

    def get_breadcrumbs_items(self):
        return self.base_breadcrumbs()[:1] + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = build_reports(board_townships(self.request.user))
        county = totals(reports)
        context.update(
            {
                "rows": [
                    {
                        "report": report,
                        "url": board_url("township", report.township.code),
                        "complete_url": township_list_url(report.township, "complete"),
                        "cells": [
                            {
                                "key": key,
                                "count": report.counts[key],
                                "url": township_list_url(report.township, key),
                            }
                            for key, _label in CATEGORIES
                        ],
                    }
                    for report in reports
                ],
                "categories": CATEGORIES,
                "totals": county,
                "total_cells": [county[key] for key, _label in CATEGORIES],
                "total_issues": sum(county[key] for key, _label in CATEGORIES),
                "period_days": conf.review_period_days(),
                "working_days": conf.publish_within_working_days(),
                "can_review": can_review(self.request.user),
                "csv_url": board_url("export", "csv"),
                "csv_detail_url": board_url("export", "csv") + "?sheet=detail",
                "xlsx_url": board_url("export", "xlsx"),
                "missing_credit_codes": [r.township for r in reports if not r.township.credit_code],
            }
        )
        return context


class TownshipView(BoardMixin, TemplateView):
    template_name = "guides/admin/transparency/township.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.township = get_object_or_404(TownshipPage.objects.live(), code=kwargs["code"])

    def dispatch(self, request, *args, **kwargs):
        if not can_see_township(request.user, self.township):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("%(township)s政务公开") % {"township": self.township.title}

    def get_breadcrumbs_items(self):
        return [*self.base_breadcrumbs(), {"url": "", "label": self.township.title}]

    @property
    def show(self):
        show = self.request.GET.get("show", "all")
        return show if show in CATEGORY_LABELS or show in LIST_CHOICES else "all"

    def guide_links(self, row):
        guide = row.guide
        return {
            "row": row,
            "review_url": board_url("guide", guide.pk),
            "public_url": self.url_for(guide),
            "edit_url": (
                reverse("wagtailadmin_pages:edit", args=[guide.pk])
                if guide.permissions_for_user(self.request.user).can_edit()
                else ""
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = build_report(self.township)
        show = self.show
        rows = report.rows(show)
        tabs = [
            {
                "key": key,
                "label": label,
                "count": count,
                "url": township_list_url(self.township, key),
            }
            for key, label, count in [
                ("all", LIST_CHOICES["all"], report.total),
                ("complete", LIST_CHOICES["complete"], report.complete_count),
                *[(key, label, report.counts[key]) for key, label in CATEGORIES],
            ]
        ]
        context.update(
            {
                "township": self.township,
                "report": report,
                "show": show,
                "show_label": CATEGORY_LABELS.get(show) or LIST_CHOICES.get(show),
                "tabs": tabs,
                "guides": [] if show == "postings" else [self.guide_links(r) for r in rows],
                "notices": [
                    {
                        "row": r,
                        "public_url": self.url_for(r.notice),
                        "edit_url": (
                            reverse("wagtailadmin_pages:edit", args=[r.notice.pk])
                            if r.notice.permissions_for_user(self.request.user).can_edit()
                            else ""
                        ),
                    }
                    for r in rows
                ]
                if show == "postings"
                else [],
                "period_days": report.period_days,
                "working_days": conf.publish_within_working_days(),
                "can_review": can_review(self.request.user),
            }
        )
        return context


class GuideView(BoardMixin, TemplateView):
    template_name = "guides/admin/transparency/guide.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.guide = get_object_or_404(ServiceGuidePage, pk=kwargs["pk"])
        self.township = self.guide.township

    def dispatch(self, request, *args, **kwargs):
        if self.township is None or not can_see_township(request.user, self.township):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.guide.title

    def get_breadcrumbs_items(self):
        return [
            *self.base_breadcrumbs(),
            {"url": board_url("township", self.township.code), "label": self.township.title},
            {"url": "", "label": self.guide.title},
        ]

    def post(self, request, *args, **kwargs):
        if not can_review(request.user):
            raise PermissionDenied
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == ReviewDecision.REVIEWED:
                mark_reviewed(self.guide, request.user, comment)
                messages.success(
                    request, _("已将“%(title)s”标记为已审查。") % {"title": self.guide.title}
                )
            else:
                _review, notification = send_back(self.guide, request.user, comment)
                if notification.sent:
                    messages.success(
                        request,
                        _("已退回“%(title)s”，并已通知%(n)d位乡镇工作人员。")
                        % {"title": self.guide.title, "n": len(notification.recipients)},
                    )
                elif notification.error:
                    messages.warning(
                        request,
                        _("已退回“%(title)s”，乡镇编辑会在工作台看到；但邮件未能发送：%(error)s")
                        % {"title": self.guide.title, "error": notification.error},
                    )
                else:
                    messages.success(
                        request,
                        _("已退回“%(title)s”；乡镇编辑会在工作台看到（无人登记邮箱，未发邮件）。")
                        % {"title": self.guide.title},
                    )
        except ReviewError as error:
            messages.error(request, str(error))
        return redirect(board_url("guide", self.guide.pk))

    def get_context_data(self, **kwargs):
        from ..views.presenters import GuidePresenter

        context = super().get_context_data(**kwargs)
        guide, user = self.guide, self.request.user
        row = None
        if guide.live:
            row = next(
                (r for r in build_report(self.township).guides if r.guide.pk == guide.pk), None
            )
        reviewable = can_review(user) and guide.live
        context.update(
            {
                "guide": guide,
                "township": self.township,
                "row": row,
                "public_url": self.url_for(guide) if guide.live else "",
                "edit_url": (
                    reverse("wagtailadmin_pages:edit", args=[guide.pk])
                    if guide.permissions_for_user(user).can_edit()
                    else ""
                ),
                "reviews": GuideReview.objects.filter(guide=guide).select_related("reviewer")[:20],
                "history": change_history(guide) if guide.live else [],
                "pending": pending_changes(guide),
                "sections": GuidePresenter(guide).sections if guide.live else [],
                "form": kwargs.get("form") or (ReviewForm() if reviewable else None),
                "can_review": reviewable,
                "period_days": conf.review_period_days(),
            }
        )
        return context


class ExportView(BoardMixin, View):
    def get(self, request, fmt):
        reports = build_reports(board_townships(request.user))
        if fmt == "csv":
            return csv_response(reports, self.url_for, detail=request.GET.get("sheet") == "detail")
        if fmt == "xlsx":
            return xlsx_response(reports, self.url_for)
        raise Http404
