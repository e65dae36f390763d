"""Village agents (村级代办员): signed-in users who apply on a citizen's behalf (无偿代办)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageAgent(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="village_agent",
        verbose_name=_("用户"),
    )
    village = models.ForeignKey(
        "guides.VillageStationPage",
        on_delete=models.CASCADE,
        related_name="agents",
        verbose_name=_("村（社区）"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("村级代办员")
        verbose_name_plural = _("村级代办员")

    def __str__(self):
        return f"{self.name}（{self.village.title}）"
