"""Township notices: announcements, postings with a posting period, van schedules, policy explanations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .choices import NoticeKind
from .lookups import ancestor
from .mixins import SiteChromeMixin


class NoticeIndexPage(SiteChromeMixin, RoutablePageMixin, Page):
    """A township's notices (通知公告): a listing and a feed."""

    introduction = models.TextField(_("简介"), blank=True)

    parent_page_types = ["guides.TownshipPage"]
    subpage_types = ["guides.NoticePage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    class Meta:
        verbose_name = _("通知公告栏目")

    def notices(self):
        return NoticePage.objects.child_of(self).live().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from ..views.notices import notice_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(notice_index_context(self, request))
        return context

    @path("feed/")
    def feed(self, request):
        from ..views.notices import notice_feed

        return notice_feed(request, self)


class NoticePage(SiteChromeMixin, Page):
    kind = models.CharField(
        _("类别"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.NOTICE
    )
    date = models.DateField(_("发布日期"), default=datetime.date.today)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = RichTextField(_("正文"), blank=True)
    posting_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    posting_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    objection_phone = models.CharField(
        _("异议受理电话"),
        max_length=40,
        blank=True,
        help_text=_("公示期内对公示内容有异议的反映电话"),
    )
    related_item = models.ForeignKey(
        "guides.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        verbose_name=_("相关事项"),
    )
    is_demo = models.BooleanField(_("演示内容"), default=False)

    parent_page_types = ["guides.NoticeIndexPage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("posting_start"), FieldPanel("posting_end")]),
                FieldPanel("objection_phone"),
            ],
            heading=_("公示期（仅公示类）"),
        ),
        FieldPanel("related_item"),
        InlinePanel("van_stops", label=_("巡回服务安排（仅巡回服务类）")),
    ]

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def clean(self):
        super().clean()
        if self.kind == NoticeKind.POSTING:
            errors = {}
            if not self.posting_start:
                errors["posting_start"] = _("公示类公告必须填写公示开始日期。")
            if not self.posting_end:
                errors["posting_end"] = _("公示类公告必须填写公示截止日期。")
            if self.posting_start and self.posting_end and self.posting_end < self.posting_start:
                errors["posting_end"] = _("公示截止日期不能早于开始日期。")
            if errors:
                raise ValidationError(errors)

    @cached_property
    def township(self):
        from .places import TownshipPage

        return ancestor(TownshipPage, self)

    @property
    def posting_days(self):
        if self.posting_start and self.posting_end:
            return (self.posting_end - self.posting_start).days + 1
        return None

    def posting_state(self, today=None):
        """'upcoming', 'open' or 'closed' for a posting; '' for other notices."""
        if self.kind != NoticeKind.POSTING or not (self.posting_start and self.posting_end):
            return ""
        today = today or timezone.localdate()
        if today < self.posting_start:
            return "upcoming"
        if today > self.posting_end:
            return "closed"
        return "open"


class VanStop(Orderable):
    """One stop of the mobile service van (巡回流动服务): a village on a date."""

    notice = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="van_stops")
    village = models.ForeignKey(
        "guides.VillageStationPage",
        on_delete=models.CASCADE,
        related_name="van_stops",
        verbose_name=_("村（社区）"),
    )
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    location = models.CharField(_("服务地点"), max_length=200, blank=True)
    services = models.CharField(_("服务内容"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("village"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("location"),
        FieldPanel("services"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["date", "start_time", "sort_order"]
