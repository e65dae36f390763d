"""Which Django groups belong to which township, and in what role."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipRoleKind(models.TextChoices):
    EDITOR = "editor", _("内容编辑")
    CLERK = "clerk", _("窗口工作人员")
    HEAD = "head", _("中心负责人")


class TownshipGroup(models.Model):
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="township_role")
    township = models.ForeignKey(
        "guides.TownshipPage", on_delete=models.CASCADE, related_name="staff_groups"
    )
    role = models.CharField(max_length=20, choices=TownshipRoleKind.choices)

    class Meta:
        verbose_name = _("乡镇用户组")
        verbose_name_plural = _("乡镇用户组")
        constraints = [
            models.UniqueConstraint(fields=["township", "role"], name="one_group_per_township_role")
        ]
        # County-wide scope: holders see and edit every township's township-owned records
        # (windows, …), not only those of the townships their groups belong to.
        permissions = [("manage_all_townships", _("可管理所有乡镇（街道）的数据"))]

    def __str__(self):
        return f"{self.township.title} {self.get_role_display()}"
