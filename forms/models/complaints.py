"""Complaints and suggestions (投诉建议): received from anyone, answered within a time limit.

A complaint names the township it is about; the township's clerks and center head answer it
(county staff see all). The deadline is ``APPLICATIONS_COMPLAINT_DAYS`` working days (default 5)
after the day it was received: local rules vary, so it is a setting. The follow-up code (查询码)
is the citizen's only key to the answer: 10 characters from an alphabet without look-alikes.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FOLLOW_UP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
FOLLOW_UP_LENGTH = 10


def new_follow_up_code():
    return "".join(secrets.choice(FOLLOW_UP_ALPHABET) for _ in range(FOLLOW_UP_LENGTH))


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("待答复")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class Complaint(models.Model):
    township = models.ForeignKey(
        "guides.TownshipPage",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("乡镇（街道）"),
    )
    kind = models.CharField(_("类别"), max_length=12, choices=ComplaintKind.choices)
    subject = models.CharField(_("主题"), max_length=100)
    content = models.TextField(_("内容"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    tracking_number = models.CharField(_("相关受理编号"), max_length=16, blank=True)
    follow_up_code = models.CharField(_("查询码"), max_length=FOLLOW_UP_LENGTH, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    deadline = models.DateField(_("答复期限"), db_index=True)
    reply = models.TextField(_("答复"), blank=True)
    reply_published = models.BooleanField(
        _("公开答复"),
        default=False,
        help_text=_("公开时只显示主题和答复，不显示姓名、电话和投诉内容。"),
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复人"),
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("收到时间"), db_index=True)

    class Meta:
        verbose_name = _("投诉建议")
        verbose_name_plural = _("投诉建议")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["township", "status", "created_at"])]

    def __str__(self):
        return self.subject

    @property
    def display_follow_up_code(self):
        code = self.follow_up_code
        return f"{code[:5]}-{code[5:]}"

    @property
    def is_answered(self):
        return self.replied_at is not None
