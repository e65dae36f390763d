"""What was sent to applicants, by which channel, and whether it went out."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        "applications.ApplicationEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    channel = models.CharField(_("渠道"), max_length=20)
    recipient = models.CharField(_("接收人"), max_length=200)
    message = models.TextField(_("内容"))
    sent = models.BooleanField(_("已发送"), default=False)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知记录")
        verbose_name_plural = _("通知记录")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.channel} → {self.recipient}"
