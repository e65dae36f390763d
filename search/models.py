"""Search settings editors manage in the admin ("搜索设置"): synonyms and best bets.

Both are edited by county administrators (the ``区级管理员`` group needs the add/change/
delete permissions of both models) and superusers; see docs/search.md.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class SynonymKind(models.TextChoices):
    COLLOQUIAL = "colloquial", _("俗称、口语")
    OLD_NAME = "old_name", _("旧称")
    ABBREVIATION = "abbreviation", _("简称")
    MISSPELLING = "misspelling", _("常见错别字")


class Synonym(models.Model):
    """A word people use (``term``) for a word the catalog uses (``canonical``).

    A query containing the term also finds documents containing the canonical word:
    农合 → 城乡居民基本医疗保险, 驾照 → 驾驶证.
    """

    term = models.CharField(
        _("群众说法"), max_length=100, help_text=_("群众常说的词，如“农合”“驾照”“退休金”")
    )
    canonical = models.CharField(
        _("规范说法"),
        max_length=200,
        help_text=_("事项名称中使用的词，如“城乡居民基本医疗保险”“驾驶证”"),
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=SynonymKind.choices, default=SynonymKind.COLLOQUIAL
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("term"), FieldPanel("canonical")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("active")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["term", "canonical"]
        constraints = [
            models.UniqueConstraint(fields=["term", "canonical"], name="search_synonym_unique_pair")
        ]

    def __str__(self):
        return f"{self.term} → {self.canonical}"

    def clean(self):
        super().clean()
        self.term = (self.term or "").strip()
        self.canonical = (self.canonical or "").strip()
        if self.term and self.term == self.canonical:
            raise ValidationError({"canonical": _("规范说法不能与群众说法相同。")})


class BestBet(models.Model):
    """A result editors pin to the top for a query ("推荐结果"): a catalog item or a page."""

    query = models.CharField(
        _("搜索词"),
        max_length=100,
        help_text=_("按规范化后的搜索词匹配（繁简、全半角、大小写、问句用语不影响）"),
    )
    item = models.ForeignKey(
        "guides.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="best_bets",
        verbose_name=_("服务事项"),
        help_text=_("本乡镇有该事项的办事指南时显示指南，否则显示目录事项"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("页面"),
        help_text=_("办事指南或通知公告"),
    )
    township = models.ForeignKey(
        "guides.TownshipPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("乡镇（街道）"),
        help_text=_("留空则对全区的搜索生效"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldPanel("query"),
        FieldPanel("item"),
        FieldPanel("page"),
        FieldRowPanel([FieldPanel("township"), FieldPanel("sort_order")]),
    ]

    class Meta:
        verbose_name = _("推荐结果")
        verbose_name_plural = _("推荐结果")
        ordering = ["query", "sort_order", "pk"]
        indexes = [models.Index(fields=["query"])]

    def __str__(self):
        target = self.item or self.page
        return f"{self.query} → {target}" if target else self.query

    def save(self, *args, **kwargs):
        # Stored as searches are compared: simplified, half-width, lower case.
        from .analysis import normalize

        self.query = normalize(self.query)[:100]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        from .analysis import normalize

        if not normalize(self.query):
            raise ValidationError({"query": _("请填写搜索词。")})
        if bool(self.item_id) == bool(self.page_id):
            raise ValidationError(_("请选择一个服务事项或一个页面（二选一）。"))
