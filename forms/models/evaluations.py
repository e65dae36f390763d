"""Evaluations (好差评) and the rectification of bad reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (EvaluationLevel.DISSATISFIED, EvaluationLevel.VERY_DISSATISFIED)


class Evaluation(models.Model):
    """One evaluation per case (一事一评)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="evaluation"
    )
    level = models.PositiveSmallIntegerField(_("评价"), choices=EvaluationLevel.choices)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")

    def __str__(self):
        return self.get_level_display()

    @property
    def is_bad(self):
        return self.level in BAD_LEVELS


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("已整改")


class Rectification(models.Model):
    """The center head's task after a bad review: verify, fix, answer within the deadline."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="rectification"
    )
    township = models.ForeignKey(
        "guides.TownshipPage", on_delete=models.CASCADE, related_name="rectifications"
    )
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RectificationStatus.choices, default="open"
    )
    response = models.TextField(_("整改情况与回复"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("整改人"),
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["deadline"]

    def __str__(self):
        return f"{self.evaluation.application} {self.get_status_display()}"
