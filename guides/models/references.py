"""Shared reference records edited by county administrators: fee standards and legal bases."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from .choices import BasisKind, BasisStatus


class FeeStandard(index.Indexed, models.Model):
    """A fee standard (收费标准): amount per unit and the document that sets it."""

    name = models.CharField(_("收费项目"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("计费单位"), max_length=40, default="元/件")
    basis_document = models.CharField(
        _("收费依据文件"),
        max_length=300,
        help_text=_("文件名称及文号，如《……的通知》（川发改价格〔2017〕…号）"),
    )
    issuing_authority = models.CharField(_("制定机关"), max_length=200)
    reducible = models.BooleanField(_("可减免"), default=False)
    reduction_note = models.CharField(_("减免说明"), max_length=300, blank=True)
    in_force = models.BooleanField(_("现行有效"), default=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("unit")]),
        FieldPanel("basis_document"),
        FieldPanel("issuing_authority"),
        FieldRowPanel([FieldPanel("reducible"), FieldPanel("in_force")]),
        FieldPanel("reduction_note"),
    ]

    class Meta:
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.amount}{self.unit}）"


class LegalBasis(index.Indexed, models.Model):
    """A legal or policy basis (法律/政策依据): one article of one law or document."""

    title = models.CharField(_("法规/文件名称"), max_length=300)
    kind = models.CharField(_("类别"), max_length=30, choices=BasisKind.choices)
    issuing_authority = models.CharField(_("制定机关"), max_length=200, blank=True)
    document_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("例如：国务院令第649号")
    )
    article = models.CharField(_("条款"), max_length=100, blank=True, help_text=_("例如：第十一条"))
    clause_text = models.TextField(_("条款内容"), blank=True)
    status = models.CharField(
        _("效力状态"), max_length=20, choices=BasisStatus.choices, default=BasisStatus.IN_FORCE
    )
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    status_note = models.CharField(
        _("效力说明"), max_length=300, blank=True, help_text=_("已修订或废止时，说明由何文件替代")
    )

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("clause_text"),
    ]
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("issuing_authority"), FieldPanel("document_number")]),
        FieldRowPanel([FieldPanel("article"), FieldPanel("effective_date")]),
        FieldPanel("clause_text"),
        FieldPanel("status_note"),
    ]

    class Meta:
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        ordering = ["title", "article"]

    def __str__(self):
        return f"《{self.title}》{self.article}".strip()

    @property
    def is_current(self):
        return self.status == BasisStatus.IN_FORCE
