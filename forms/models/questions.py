"""Situation questions editors define per guide; each becomes one step of the application."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class QuestionKind(models.TextChoices):
    TEXT = "text", _("文字")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("单选")
    YES_NO = "yes_no", _("是/否")


class GuideQuestion(Orderable):
    guide = ParentalKey(
        "guides.ServiceGuidePage", on_delete=models.CASCADE, related_name="application_questions"
    )
    key = models.SlugField(
        _("问题代号"),
        max_length=40,
        help_text=_("英文字母、数字或连字符，在本指南内唯一，例如 household-size"),
    )
    label = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=300, blank=True)
    kind = models.CharField(
        _("回答类型"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选题的选项，每行一个"))
    required = models.BooleanField(_("必答"), default=True)
    condition_key = models.SlugField(
        _("显示条件：问题代号"),
        max_length=40,
        blank=True,
        help_text=_(
            "留空则总是显示；填写前面某个问题的代号，则仅当该问题的回答符合下方取值时显示本问题"
        ),
    )
    condition_value = models.CharField(
        _("显示条件：回答为"),
        max_length=200,
        blank=True,
        help_text=_("是/否题填“是”或“否”；单选题填选项原文"),
    )

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("choices"),
        FieldRowPanel([FieldPanel("condition_key"), FieldPanel("condition_value")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("申请问题")
        verbose_name_plural = _("申请问题")

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def step_name(self):
        return f"q-{self.key}"

    def clean(self):
        super().clean()
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("单选题至少需要两个选项，每行一个。")})
        if self.condition_key and not self.condition_value:
            raise ValidationError({"condition_value": _("请填写显示条件的取值。")})
