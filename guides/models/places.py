"""Places: the county portal, township sections and village stations, identified by real codes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..validators import (
    township_kind_for_code,
    validate_county_code,
    validate_phone,
    validate_township_code,
    validate_village_code,
    village_kind_for_code,
)
from .choices import TownshipKind, VillageKind
from .lookups import ancestor
from .mixins import SiteChromeMixin


class CountyPortalPage(SiteChromeMixin, RoutablePageMixin, Page):
    """The county portal (县/区政务服务网): choose a township, search, popular items, the catalog."""

    code = models.CharField(
        _("县（区）代码"), max_length=6, unique=True, validators=[validate_county_code]
    )
    introduction = models.TextField(_("简介"), blank=True)
    address = models.CharField(_("区政务服务中心地址"), max_length=200, blank=True)
    consultation_phone = models.CharField(
        _("咨询电话"), max_length=40, blank=True, validators=[validate_phone]
    )
    supervision_phone = models.CharField(
        _("监督投诉电话"), max_length=40, blank=True, validators=[validate_phone]
    )
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    reconsideration_address = models.CharField(_("行政复议地址"), max_length=200, blank=True)
    reconsideration_phone = models.CharField(
        _("行政复议电话"), max_length=40, blank=True, validators=[validate_phone]
    )
    litigation_court = models.CharField(_("行政诉讼法院"), max_length=200, blank=True)
    litigation_address = models.CharField(_("法院地址"), max_length=200, blank=True)
    litigation_phone = models.CharField(
        _("法院电话"), max_length=40, blank=True, validators=[validate_phone]
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["guides.TownshipPage"]
    max_count = 1

    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("consultation_phone"),
                FieldPanel("supervision_phone"),
            ],
            heading=_("区政务服务中心"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reconsideration_body"),
                FieldPanel("reconsideration_address"),
                FieldPanel("reconsideration_phone"),
                FieldPanel("litigation_court"),
                FieldPanel("litigation_address"),
                FieldPanel("litigation_phone"),
            ],
            heading=_("救济途径（各指南默认值）"),
        ),
        InlinePanel("popular_items", label=_("热门事项"), max_num=12),
    ]

    class Meta:
        verbose_name = _("县（区）门户")

    def get_context(self, request, *args, **kwargs):
        from ..views.portal import portal_context

        context = super().get_context(request, *args, **kwargs)
        context.update(portal_context(self))
        return context

    @path("items/")
    def catalog(self, request):
        from ..views.catalog import catalog_index

        return catalog_index(request, self)

    @path("items/<int:item_id>/")
    def catalog_item(self, request, item_id):
        from ..views.catalog import catalog_item

        return catalog_item(request, self, item_id)


class PortalPopularItem(Orderable):
    page = ParentalKey(CountyPortalPage, on_delete=models.CASCADE, related_name="popular_items")
    item = models.ForeignKey("guides.ServiceItem", on_delete=models.CASCADE, verbose_name=_("事项"))
    label = models.CharField(
        _("显示名称"), max_length=40, blank=True, help_text=_("留空则使用事项名称")
    )

    panels = [FieldPanel("item"), FieldPanel("label")]


class TownshipPage(SiteChromeMixin, Page):
    """A township or sub-district convenience service center's section of the county site."""

    code = models.CharField(
        _("乡镇（街道）代码"),
        max_length=9,
        unique=True,
        validators=[validate_township_code],
        help_text=_("9位统计用区划代码，例如 511602101"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=TownshipKind.choices, editable=False)
    center_name = models.CharField(
        _("中心名称"), max_length=100, blank=True, help_text=_("例如：官盛镇便民服务中心")
    )
    introduction = models.TextField(_("简介"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    directions = models.CharField(_("交通指引"), max_length=300, blank=True)
    hours = models.CharField(
        _("办公时间"),
        max_length=200,
        blank=True,
        help_text=_("例如：周一至周五 9:00–12:00，13:30–17:30"),
    )
    consultation_phone = models.CharField(
        _("咨询电话"), max_length=40, blank=True, validators=[validate_phone]
    )
    supervision_phone = models.CharField(
        _("监督投诉电话"), max_length=40, blank=True, validators=[validate_phone]
    )
    center_head = models.CharField(_("中心负责人"), max_length=50, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, help_text=_("用于政府信息公开索引号")
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("图片与文档合集"),
        editable=False,
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    parent_page_types = ["guides.CountyPortalPage"]
    subpage_types = [
        "guides.ServiceGuidePage",
        "guides.NoticeIndexPage",
        "guides.VillageStationPage",
    ]

    search_fields = [*Page.search_fields, index.FilterField("code")]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("code"), FieldPanel("center_name")]),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("directions"),
                FieldPanel("hours"),
                FieldRowPanel([FieldPanel("consultation_phone"), FieldPanel("supervision_phone")]),
                FieldRowPanel([FieldPanel("center_head"), FieldPanel("credit_code")]),
            ],
            heading=_("办公信息"),
        ),
    ]

    class Meta:
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")

    def clean(self):
        super().clean()
        self.kind = township_kind_for_code(self.code) or ""

    def save(self, *args, **kwargs):
        self.kind = township_kind_for_code(self.code) or ""
        super().save(*args, **kwargs)

    @property
    def display_center_name(self):
        return self.center_name or f"{self.title}便民服务中心"

    @cached_property
    def county(self):
        return ancestor(CountyPortalPage, self)

    def get_context(self, request, *args, **kwargs):
        from ..views.township import township_context

        context = super().get_context(request, *args, **kwargs)
        context.update(township_context(self, request))
        return context


class VillageStationPage(SiteChromeMixin, Page):
    """A village or community convenience service station (村/社区便民服务站)."""

    code = models.CharField(
        _("村（社区）代码"),
        max_length=12,
        unique=True,
        validators=[validate_village_code],
        help_text=_("12位统计用区划代码，例如 511602101201"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=VillageKind.choices, editable=False)
    agent_name = models.CharField(_("代办员"), max_length=50, blank=True)
    agent_phone = models.CharField(
        _("代办员电话"), max_length=40, blank=True, validators=[validate_phone]
    )
    address = models.CharField(_("服务站地址"), max_length=200, blank=True)
    hours = models.CharField(_("服务时间"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    parent_page_types = ["guides.TownshipPage"]
    subpage_types = []

    search_fields = [*Page.search_fields, index.FilterField("code")]

    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("agent_name"), FieldPanel("agent_phone")]),
        FieldPanel("address"),
        FieldPanel("hours"),
    ]

    class Meta:
        verbose_name = _("村（社区）便民服务站")
        verbose_name_plural = _("村（社区）便民服务站")

    def clean(self):
        super().clean()
        self.kind = village_kind_for_code(self.code) or ""
        parent = self.get_parent() if self.pk else None
        township = parent.specific if parent else None
        if (
            isinstance(township, TownshipPage)
            and self.code
            and not self.code.startswith(township.code)
        ):
            raise ValidationError(
                {
                    "code": _("村（社区）代码应以所属乡镇代码 %(code)s 开头。")
                    % {"code": township.code}
                }
            )

    def save(self, *args, **kwargs):
        self.kind = village_kind_for_code(self.code) or ""
        super().save(*args, **kwargs)

    @cached_property
    def township(self):
        return ancestor(TownshipPage, self)


class ServiceWindow(ClusterableModel):
    """A window (窗口) of a township center: what it handles and who is on duty. Township-owned."""

    township = models.ForeignKey(
        TownshipPage,
        on_delete=models.CASCADE,
        related_name="windows",
        verbose_name=_("乡镇（街道）"),
    )
    number = models.CharField(_("窗口号"), max_length=20)
    name = models.CharField(_("窗口名称"), max_length=100)
    handles = models.TextField(
        _("受理范围"), blank=True, help_text=_("例如：社会救助、养老服务、残疾人服务")
    )
    phone = models.CharField(_("窗口电话"), max_length=40, blank=True, validators=[validate_phone])
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [
        FieldPanel("township"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("name")]),
        FieldPanel("handles"),
        FieldPanel("phone"),
        InlinePanel("duties", label=_("值班人员")),
    ]

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        ordering = ["township", "sort_order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "number"], name="unique_window_per_township"
            )
        ]

    def __str__(self):
        return f"{self.township.title} {self.number}号窗口 {self.name}"


class WindowDuty(Orderable):
    window = ParentalKey(ServiceWindow, on_delete=models.CASCADE, related_name="duties")
    staff_name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("岗位"), max_length=50, blank=True)
    days = models.CharField(
        _("值班时间"), max_length=100, blank=True, help_text=_("例如：周一至周五")
    )

    panels = [FieldPanel("staff_name"), FieldPanel("role"), FieldPanel("days")]

    def __str__(self):
        return self.staff_name
