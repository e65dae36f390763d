"""The service guide (办事指南): one township's published guide for one catalog item.

Every disclosure is a real field or a related row, so that the publish gate
(``guides.publishing.publish_blockers``), the API and the reviewers' reports can read it.
"""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..admin_forms import ServiceGuideAdminForm
from ..fields import MultiChoiceField
from .choices import (
    FeeStatus,
    HandlingClass,
    MaterialForm,
    MaterialNecessity,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    ResultDelivery,
    ResultType,
    ServiceObject,
    TimeUnit,
    TownshipRole,
)
from .lookups import ancestor
from .mixins import SiteChromeMixin


def format_limit(value, unit):
    """A time limit as people read it: '当场办结', '20个工作日', '48小时'."""
    if unit == TimeUnit.ON_THE_SPOT:
        return str(TimeUnit.ON_THE_SPOT.label)
    if value is None or not unit:
        return ""
    # Translators: a time limit, e.g. "20" + "个工作日"; English wants a space between them.
    return _("%(value)s%(unit)s") % {"value": value, "unit": TimeUnit(unit).label}


class ServiceGuidePage(SiteChromeMixin, Page):
    item = models.ForeignKey(
        "guides.ServiceItem",
        on_delete=models.PROTECT,
        related_name="guides",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        help_text=_("必填：发布前必须选择对应的目录事项"),
    )
    summary = models.TextField(_("事项简介"), blank=True)
    is_demo = models.BooleanField(
        _("演示内容"), default=False, help_text=_("演示数据，并非真实办事指南")
    )

    # 1. The item and who may apply
    service_objects = MultiChoiceField(_("服务对象"), choices=ServiceObject.choices)
    applicant_scope = models.CharField(
        _("申请对象"), max_length=300, blank=True, help_text=_("例如：户籍在本镇的城乡居民家庭")
    )
    quantity_limit = models.CharField(_("数量限制"), max_length=200, blank=True)
    township_role = models.CharField(
        _("本中心职责"), max_length=20, choices=TownshipRole.choices, blank=True
    )
    deciding_body = models.CharField(
        _("审批（决定）机关"), max_length=200, blank=True, help_text=_("例如：广安区民政局")
    )
    review_standard = models.TextField(_("审查标准"), blank=True)

    # 4. Commitment and time limits
    statutory_limit_value = models.PositiveSmallIntegerField(_("法定时限"), null=True, blank=True)
    statutory_limit_unit = models.CharField(
        _("法定时限单位"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    statutory_limit_note = models.CharField(_("法定时限说明"), max_length=300, blank=True)
    promised_limit_value = models.PositiveSmallIntegerField(_("承诺时限"), null=True, blank=True)
    promised_limit_unit = models.CharField(
        _("承诺时限单位"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    promised_limit_note = models.CharField(_("承诺时限说明"), max_length=300, blank=True)
    special_procedures = models.CharField(
        _("特别程序"), max_length=300, blank=True, help_text=_("如公示、专家评审等，不计入办理时限")
    )
    handling_class = models.CharField(
        _("办件类型"), max_length=20, choices=HandlingClass.choices, blank=True
    )
    max_visits = models.PositiveSmallIntegerField(_("最多到现场次数"), null=True, blank=True)
    visits_reason = models.CharField(_("到现场原因"), max_length=300, blank=True)
    channel_window = models.BooleanField(_("窗口办理"), default=True)
    channel_online = models.BooleanField(_("网上办理"), default=False)
    channel_post = models.BooleanField(_("邮寄申请"), default=False)
    online_depth = models.PositiveSmallIntegerField(
        _("网办深度"), choices=OnlineDepth.choices, default=OnlineDepth.NONE
    )
    online_url = models.URLField(_("网上办理地址"), blank=True)
    appointment_available = models.BooleanField(_("可预约办理"), default=False)
    appointment_days = models.CharField(
        _("预约时间"), max_length=100, blank=True, help_text=_("例如：每周二、周四")
    )
    appointment_daily_quota = models.PositiveSmallIntegerField(
        _("每日预约名额"), null=True, blank=True
    )
    online_payment = models.BooleanField(_("支持网上支付"), default=False)
    postal_delivery = models.BooleanField(_("支持物流快递"), default=False)
    self_service = models.BooleanField(_("可自助终端办理"), default=False)

    # Service modes
    mode_home_visit = models.BooleanField(_("上门办理（老弱病残）"), default=False)
    mode_proxy = models.BooleanField(_("村（社区）代办员无偿代办"), default=False)
    mode_mobile_van = models.BooleanField(_("巡回流动服务"), default=False)
    mode_green_channel = models.BooleanField(_("绿色通道"), default=False)
    service_mode_note = models.CharField(_("服务方式说明"), max_length=300, blank=True)

    # 5. Fees
    fee_status = models.CharField(
        _("是否收费"),
        max_length=10,
        choices=FeeStatus.choices,
        blank=True,
        help_text=_("必须明确选择“不收费”或“收费”"),
    )

    # Result
    result_name = models.CharField(_("办理结果名称"), max_length=200, blank=True)
    result_type = models.CharField(
        _("结果类型"), max_length=20, choices=ResultType.choices, blank=True
    )
    result_delivery = MultiChoiceField(_("结果送达方式"), choices=ResultDelivery.choices)
    result_sample = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("结果样本"),
    )
    result_publicity = models.CharField(
        _("结果公开"), max_length=300, blank=True, help_text=_("例如：审批结果在村（社区）公示7天")
    )

    # Place, hours, window and phones (blank: the township's values apply)
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    window = models.ForeignKey(
        "guides.ServiceWindow",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        verbose_name=_("办理窗口"),
    )
    consultation_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    supervision_phone = models.CharField(_("监督投诉电话"), max_length=40, blank=True)

    # Remedies (blank: the county's defaults apply)
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    litigation_court = models.CharField(_("行政诉讼法院"), max_length=200, blank=True)

    parent_page_types = ["guides.TownshipPage"]
    subpage_types = []
    base_form_class = ServiceGuideAdminForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.RelatedFields("item", [index.SearchField("name", boost=3)]),
        index.FilterField("handling_class"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("item"),
        FieldPanel("summary"),
        HelpPanel(
            content=_("“提交审核”或“发布”前，系统会检查六公开要素是否齐全，并列出所有缺项。")
        ),
    ]
    applicant_panels = [
        FieldPanel("service_objects"),
        FieldPanel("applicant_scope"),
        InlinePanel("conditions", label=_("受理条件"), min_num=0),
        FieldPanel("quantity_limit"),
        FieldRowPanel([FieldPanel("township_role"), FieldPanel("deciding_body")]),
        FieldPanel("review_standard"),
    ]
    procedure_panels = [InlinePanel("steps", label=_("办理流程"))]
    materials_panels = [InlinePanel("materials", label=_("申报材料"))]
    commitment_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("statutory_limit_value"), FieldPanel("statutory_limit_unit")]
                ),
                FieldPanel("statutory_limit_note"),
                FieldRowPanel(
                    [FieldPanel("promised_limit_value"), FieldPanel("promised_limit_unit")]
                ),
                FieldPanel("promised_limit_note"),
                FieldPanel("special_procedures"),
                FieldPanel("handling_class"),
            ],
            heading=_("时限与办件类型"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("max_visits"), FieldPanel("visits_reason")]),
                FieldRowPanel(
                    [
                        FieldPanel("channel_window"),
                        FieldPanel("channel_online"),
                        FieldPanel("channel_post"),
                    ]
                ),
                FieldRowPanel([FieldPanel("online_depth"), FieldPanel("online_url")]),
                FieldRowPanel(
                    [
                        FieldPanel("appointment_available"),
                        FieldPanel("appointment_days"),
                        FieldPanel("appointment_daily_quota"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("online_payment"),
                        FieldPanel("postal_delivery"),
                        FieldPanel("self_service"),
                    ]
                ),
            ],
            heading=_("办理渠道"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("mode_home_visit"), FieldPanel("mode_proxy")]),
                FieldRowPanel([FieldPanel("mode_mobile_van"), FieldPanel("mode_green_channel")]),
                FieldPanel("service_mode_note"),
            ],
            heading=_("便民服务方式"),
        ),
    ]
    fee_panels = [FieldPanel("fee_status"), InlinePanel("fees", label=_("收费项目"))]
    basis_panels = [InlinePanel("legal_bases", label=_("法律/政策依据"))]
    result_panels = [
        FieldRowPanel([FieldPanel("result_name"), FieldPanel("result_type")]),
        FieldPanel("result_delivery"),
        FieldPanel("result_sample"),
        FieldPanel("result_publicity"),
    ]
    contact_panels = [
        FieldPanel("place"),
        FieldPanel("hours"),
        FieldPanel("window"),
        FieldRowPanel([FieldPanel("consultation_phone"), FieldPanel("supervision_phone")]),
        FieldRowPanel([FieldPanel("reconsideration_body"), FieldPanel("litigation_court")]),
        InlinePanel("faqs", label=_("常见问题")),
    ]

    # Questions of the online application (forms.GuideQuestion), one wizard step each.
    application_panels = [
        HelpPanel(
            content=_(
                "勾选“网上办理”后，群众可以在线申请：填写申请人信息、回答下面的情形问题、"
                "按申报材料逐项上传。每个问题单独一页；可设置仅在前面某个问题的回答符合时才显示。"
            )
        ),
        InlinePanel("application_questions", label=_("申请问题")),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("事项")),
            ObjectList(applicant_panels, heading=_("①申请条件")),
            ObjectList(procedure_panels, heading=_("②办理流程")),
            ObjectList(materials_panels, heading=_("③申报材料")),
            ObjectList(commitment_panels, heading=_("④时限与承诺")),
            ObjectList(fee_panels, heading=_("⑤收费标准")),
            ObjectList(basis_panels, heading=_("⑥法律依据")),
            ObjectList(result_panels, heading=_("办理结果")),
            ObjectList(contact_panels, heading=_("地点与咨询")),
            ObjectList(application_panels, heading=_("网上申请")),
            ObjectList(Page.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    # --- effective values: the guide's own, else the township's, else the county's ---

    @cached_property
    def township(self):
        from .places import TownshipPage

        return ancestor(TownshipPage, self)

    @cached_property
    def county(self):
        township = self.township
        return township.county if township else None

    @property
    def effective_consultation_phone(self):
        return self.consultation_phone or (
            self.township.consultation_phone if self.township else ""
        )

    @property
    def effective_supervision_phone(self):
        return self.supervision_phone or (self.township.supervision_phone if self.township else "")

    @property
    def effective_place(self):
        return self.place or (self.township.address if self.township else "")

    @property
    def effective_hours(self):
        return self.hours or (self.township.hours if self.township else "")

    @property
    def effective_reconsideration_body(self):
        return self.reconsideration_body or (
            self.county.reconsideration_body if self.county else ""
        )

    @property
    def effective_litigation_court(self):
        return self.litigation_court or (self.county.litigation_court if self.county else "")

    @property
    def statutory_limit_display(self):
        return format_limit(self.statutory_limit_value, self.statutory_limit_unit)

    @property
    def promised_limit_display(self):
        return format_limit(self.promised_limit_value, self.promised_limit_unit)

    @property
    def is_on_the_spot(self):
        return self.promised_limit_unit == TimeUnit.ON_THE_SPOT

    @property
    def is_fully_online(self):
        return self.online_depth == OnlineDepth.LEVEL_4

    def get_context(self, request, *args, **kwargs):
        from ..views.guide import guide_context

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_context(self))
        return context

    def serve(self, request, *args, **kwargs):
        from ..views.guide import serve_guide_variant

        return serve_guide_variant(self, request) or super().serve(request, *args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """Refuse to go live, by any path (editor, workflow, schedule), while the gate says no."""
        from ..publishing import PublishBlocked, publish_blockers

        reasons = publish_blockers(revision.as_object())
        if reasons:
            raise PublishBlocked(reasons)
        return super().publish(revision, *args, **kwargs)


class GuideCondition(Orderable):
    guide = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField(_("条件"))

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


class GuideStep(Orderable):
    guide = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("环节"), max_length=100)
    actor = models.CharField(_("承办主体"), max_length=100, blank=True)
    time_limit_value = models.PositiveSmallIntegerField(_("时限"), null=True, blank=True)
    time_limit_unit = models.CharField(
        _("时限单位"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    standard = models.TextField(_("办理标准"), blank=True)
    result = models.CharField(_("环节结果"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("actor")]),
        FieldRowPanel([FieldPanel("time_limit_value"), FieldPanel("time_limit_unit")]),
        FieldPanel("standard"),
        FieldPanel("result"),
    ]

    def __str__(self):
        return self.name

    @property
    def time_limit_display(self):
        return format_limit(self.time_limit_value, self.time_limit_unit)


class GuideMaterial(Orderable):
    guide = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    material_type = models.CharField(
        _("材料类型"), max_length=20, choices=MaterialType.choices, default=MaterialType.ORIGINAL
    )
    material_form = models.CharField(
        _("材料形式"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.PAPER
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    necessity = models.CharField(
        _("是否必要"),
        max_length=20,
        choices=MaterialNecessity.choices,
        default=MaterialNecessity.REQUIRED,
    )
    source = models.CharField(
        _("来源渠道"),
        max_length=20,
        choices=MaterialSource.choices,
        default=MaterialSource.APPLICANT,
    )
    issuing_body = models.CharField(_("出具单位"), max_length=100, blank=True)
    paper_size = models.CharField(_("纸张规格"), max_length=20, blank=True, default="A4")
    notes = models.CharField(_("填报须知"), max_length=300, blank=True)
    acceptance_standard = models.CharField(_("受理标准"), max_length=300, blank=True)
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("空白表格"),
    )
    sample = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("示例样表"),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [FieldPanel("material_type"), FieldPanel("material_form"), FieldPanel("copies")]
        ),
        FieldRowPanel([FieldPanel("necessity"), FieldPanel("source"), FieldPanel("issuing_body")]),
        FieldRowPanel([FieldPanel("paper_size"), FieldPanel("acceptance_standard")]),
        FieldPanel("notes"),
        FieldRowPanel([FieldPanel("blank_form"), FieldPanel("sample")]),
    ]

    def __str__(self):
        return self.name


class GuideFee(Orderable):
    guide = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="fees")
    fee_standard = models.ForeignKey(
        "guides.FeeStandard",
        on_delete=models.PROTECT,
        related_name="guide_fees",
        verbose_name=_("收费标准"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("fee_standard"), FieldPanel("note")]


class GuideLegalBasis(Orderable):
    guide = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="legal_bases")
    legal_basis = models.ForeignKey(
        "guides.LegalBasis",
        on_delete=models.PROTECT,
        related_name="guide_links",
        verbose_name=_("法律依据"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("legal_basis"), FieldPanel("note")]


class GuideFAQ(Orderable):
    guide = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    def __str__(self):
        return self.question
