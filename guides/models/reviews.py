"""Transparency (政务公开): reviews of guides, the disclosure catalog and the change history.

- ``GuideReview``: a transparency reviewer marked a guide reviewed, or sent it back with a
  comment (the township's editors see it on their dashboard and by e-mail).
- ``ReviewReminder``: a reminder sent to a township's staff by ``manage.py transparency_reminders``.
- ``DisclosureRecord``: a published guide's or notice's entry in its township's disclosure catalog
  (政府信息公开目录), with its serial, stable once assigned (index number 索引号
  ``<credit code>/<year>-<serial>``).
- ``DisclosureSnapshot``: the disclosures of a guide as published by one revision, kept so that
  the public change history is built without deserializing revisions on every page view.

The logic lives in ``guides.transparency``; see docs/transparency.md.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewDecision(models.TextChoices):
    REVIEWED = "reviewed", _("已审查")
    SENT_BACK = "sent_back", _("退回修改")


class GuideReview(models.Model):
    guide = models.ForeignKey(
        "guides.ServiceGuidePage",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("办事指南"),
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审查的版本"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="guide_reviews",
        verbose_name=_("审查人"),
    )
    decision = models.CharField(_("审查结论"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("审查意见"), blank=True)
    created_at = models.DateTimeField(_("审查时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("指南审查记录")
        verbose_name_plural = _("指南审查记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["guide", "-created_at"], name="guidereview_guide_latest")]
        permissions = [("review_disclosures", _("可审查政务公开（标记已审查、退回修改）"))]

    def __str__(self):
        return f"{self.guide_id} {self.get_decision_display()} {self.created_at:%Y-%m-%d}"


class ReviewReminder(models.Model):
    township = models.ForeignKey(
        "guides.TownshipPage",
        on_delete=models.CASCADE,
        related_name="review_reminders",
        verbose_name=_("乡镇（街道）"),
    )
    created_at = models.DateTimeField(_("提醒时间"), default=timezone.now, db_index=True)
    stale_guides = models.JSONField(_("超期未审查的指南"), default=list, blank=True)
    late_guides = models.JSONField(_("逾期未发布修改的指南"), default=list, blank=True)
    expired_notices = models.JSONField(_("公示期满未撤下的公示"), default=list, blank=True)
    recipients = models.TextField(_("收件人"), blank=True)
    message = models.TextField(_("提醒内容"), blank=True)

    class Meta:
        verbose_name = _("政务公开提醒")
        verbose_name_plural = _("政务公开提醒")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.township_id} {self.created_at:%Y-%m-%d}"


class DisclosureCategory(models.TextChoices):
    GUIDE = "guide", _("办事指南")
    NOTICE = "notice", _("通知公告")
    POSTING = "posting", _("公示")
    VAN_SCHEDULE = "van_schedule", _("巡回服务")
    POLICY = "policy", _("政策解读")


class DisclosureRecord(models.Model):
    township = models.ForeignKey(
        "guides.TownshipPage",
        on_delete=models.CASCADE,
        related_name="disclosure_records",
        verbose_name=_("乡镇（街道）"),
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="disclosure_record",
        verbose_name=_("页面"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("顺序号"))
    category = models.CharField(_("类别"), max_length=20, choices=DisclosureCategory.choices)
    title = models.CharField(_("名称"), max_length=255)
    summary = models.CharField(_("内容概述"), max_length=300, blank=True)
    date = models.DateField(_("生成日期"))
    created_at = models.DateTimeField(_("编号时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("政府信息公开目录条目")
        verbose_name_plural = _("政府信息公开目录条目")
        ordering = ["township", "-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "serial"], name="unique_disclosure_serial"
            )
        ]

    def __str__(self):
        return f"{self.year}-{self.serial:05d} {self.title}"


class DisclosureSnapshot(models.Model):
    guide = models.ForeignKey(
        "guides.ServiceGuidePage",
        on_delete=models.CASCADE,
        related_name="disclosure_snapshots",
        verbose_name=_("办事指南"),
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("版本"),
    )
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    data = models.JSONField(_("公开要素"), default=dict)

    class Meta:
        verbose_name = _("公开要素快照")
        verbose_name_plural = _("公开要素快照")
        ordering = ["guide", "published_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "revision"], name="one_snapshot_per_published_revision"
            )
        ]

    def __str__(self):
        return f"{self.guide_id} {self.published_at:%Y-%m-%d}"
