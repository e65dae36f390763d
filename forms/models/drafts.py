"""Application drafts: the wizard's state, kept in the database (survives restarts)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 8


def new_token():
    return secrets.token_urlsafe(24)


def new_short_code():
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class DraftStatus(models.TextChoices):
    OPEN = "open", _("填写中")
    SUBMITTED = "submitted", _("已提交")


class Draft(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    short_code = models.CharField(
        _("续填码"), max_length=12, unique=True, default=new_short_code, editable=False
    )
    guide = models.ForeignKey(
        "guides.ServiceGuidePage", on_delete=models.CASCADE, related_name="application_drafts"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application_drafts",
    )
    status = models.CharField(max_length=10, choices=DraftStatus.choices, default=DraftStatus.OPEN)
    data = models.JSONField(default=dict, blank=True)
    application = models.OneToOneField(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draft",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("申请草稿")
        verbose_name_plural = _("申请草稿")

    def __str__(self):
        return self.short_code

    @property
    def display_code(self):
        return f"{self.short_code[:4]}-{self.short_code[4:]}"
