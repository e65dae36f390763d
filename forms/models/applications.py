"""Applications (办件): what a citizen submitted, what happened to it, and its clock."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    SUPPLEMENT = "supplement", _("待补正")
    ACCEPTED = "accepted", _("办理中")
    FORWARDED = "forwarded", _("已上报")
    REJECTED = "rejected", _("不予受理")
    COMPLETED = "completed", _("已办结")


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUPPLEMENT,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.FORWARDED,
)
CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.COMPLETED)


class Outcome(models.TextChoices):
    APPROVED = "approved", _("准予办理")
    DENIED = "denied", _("不予办理")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    ACCEPTED = "accepted", _("受理")
    COMPLETED_ON_THE_SPOT = "on_the_spot", _("即办办结")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("一次性告知补正")
    SUPPLEMENT_RECEIVED = "supplement_received", _("补正材料已收到")
    REJECTED = "rejected", _("不予受理")
    FORWARDED = "forwarded", _("上报上级部门")
    FORWARD_PROGRESS = "forward_progress", _("上报进展")
    COMPLETED = "completed", _("办结")
    REASSIGNED = "reassigned", _("转交经办人")
    NOTE = "note", _("备注")
    EVALUATED = "evaluated", _("评价")


class Application(models.Model):
    tracking_number = models.CharField(_("受理编号"), max_length=16, unique=True)
    case_number = models.CharField(
        _("办件编号"), max_length=43, unique=True, help_text=_("国家43位办件编号（内部）")
    )
    township = models.ForeignKey(
        "guides.TownshipPage",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("受理乡镇（街道）"),
    )
    guide = models.ForeignKey(
        "guides.ServiceGuidePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("办事指南"),
    )
    item = models.ForeignKey(
        "guides.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("服务事项"),
    )
    item_name = models.CharField(_("事项名称"), max_length=300)
    handling_class = models.CharField(_("办件类型"), max_length=20, blank=True)

    # The applicant
    applicant_name = models.CharField(_("申请人姓名"), max_length=50)
    id_number = models.CharField(_("公民身份号码"), max_length=18)
    mobile = models.CharField(_("手机号码"), max_length=11, db_index=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    village = models.ForeignKey(
        "guides.VillageStationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("所在村（社区）"),
    )
    address = models.CharField(_("详细地址"), max_length=200)
    answers = models.JSONField(_("情形问答"), default=list, blank=True)

    # Options
    delivery = models.CharField(
        _("结果领取方式"), max_length=10, choices=DeliveryMethod.choices, default="window"
    )
    postal_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    appointment_date = models.DateField(_("预约日期"), null=True, blank=True)
    appointment_period = models.CharField(_("预约时段"), max_length=10, blank=True)
    home_visit = models.BooleanField(_("申请上门办理"), default=False)
    home_visit_reason = models.CharField(_("上门办理原因"), max_length=200, blank=True)
    agent = models.ForeignKey(
        "applications.VillageAgent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("代办员"),
    )

    # The life of the application
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    outcome = models.CharField(_("办理结果"), max_length=10, choices=Outcome.choices, blank=True)
    result_note = models.TextField(_("结果说明"), blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    forwarded_to = models.CharField(_("上报单位"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The promise at acceptance, in working days (natural days and hours are converted).
    promised_working_days = models.PositiveSmallIntegerField(_("承诺办理时限"), null=True)
    deadline = models.DateField(_("承诺办结日期"), null=True, blank=True, db_index=True)
    responsible_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("首问负责人"),
    )
    assigned_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("经办人"),
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["township", "status", "submitted_at"])]

    def __str__(self):
        return f"{self.display_tracking_number} {self.item_name}"

    @property
    def display_tracking_number(self):
        n = self.tracking_number
        return " ".join(n[i : i + 4] for i in range(0, len(n), 4))

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def masked_name(self):
        name = self.applicant_name
        return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name

    @property
    def masked_id_number(self):
        n = self.id_number
        return n[:6] + "*" * 8 + n[-4:] if len(n) == 18 else n


class ApplicationFile(models.Model):
    """One uploaded material, stored privately (never under a public URL)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey(
        "guides.GuideMaterial",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    material_name = models.CharField(_("材料名称"), max_length=200)
    stored_name = models.CharField(max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_supplement = models.BooleanField(_("补正材料"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["pk"]

    def __str__(self):
        return self.material_name


class ApplicationEvent(models.Model):
    """Every action on an application: who, when, what, note (the record)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=100)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("向申请人公开"), default=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SupplementItem(models.Model):
    """One material named in a one-time supplement request (一次性告知), and its problem."""

    event = models.ForeignKey(
        ApplicationEvent, on_delete=models.CASCADE, related_name="supplement_items"
    )
    material_name = models.CharField(_("材料名称"), max_length=200)
    problem = models.CharField(_("问题"), max_length=300)

    class Meta:
        verbose_name = _("补正材料")
        verbose_name_plural = _("补正材料")
        ordering = ["pk"]

    def __str__(self):
        return self.material_name


class ClockPause(models.Model):
    """A pause of the clock while the applicant supplements materials."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on"]

    def __str__(self):
        return f"{self.started_on}–{self.ended_on or ''}"
