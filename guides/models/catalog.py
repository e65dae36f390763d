"""The county catalog of service items (事项目录), shared by every township."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from ..fields import MultiChoiceField
from .choices import ExerciseLevel, HandlingClass, ItemStatus, ItemType, ServiceObject


class Department(models.Model):
    """A county department (实施主体) that owns catalog items."""

    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    code = models.CharField(
        _("部门编码"),
        max_length=40,
        blank=True,
        help_text=_("目录中的部门编码，多为统一社会信用代码"),
    )

    panels = [FieldPanel("name"), FieldPanel("code")]

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceItem(index.Indexed, models.Model):
    """One catalog entry. Townships publish a guide for each item they handle."""

    local_code = models.CharField(
        _("地方事项编码"),
        max_length=120,
        unique=True,
        help_text=_("如四川政务服务网实施编码；导入时按此编码识别事项"),
    )
    basic_code = models.CharField(
        _("基本编码"), max_length=12, blank=True, help_text=_("12位国家基本编码（如已知）")
    )
    implementation_code = models.CharField(
        _("实施编码"), max_length=31, blank=True, help_text=_("31位国家实施编码（如已知）")
    )
    name = models.CharField(_("事项名称"), max_length=300)
    main_item = models.CharField(_("主项名称"), max_length=300, blank=True)
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="items", verbose_name=_("实施部门")
    )
    area_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    exercise_levels = MultiChoiceField(_("行使层级"), choices=ExerciseLevel.choices)
    service_objects = MultiChoiceField(_("服务对象"), choices=ServiceObject.choices)
    handling_class = models.CharField(
        _("办件类型"), max_length=20, choices=HandlingClass.choices, blank=True
    )
    status = models.CharField(
        _("事项状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.IN_USE
    )
    source_url = models.URLField(_("来源链接"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("main_item"),
        index.FilterField("item_type"),
        index.FilterField("department"),
    ]

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("item_type"), FieldPanel("department")]),
        FieldPanel("main_item"),
        MultiFieldPanel(
            [
                FieldPanel("local_code"),
                FieldRowPanel([FieldPanel("basic_code"), FieldPanel("implementation_code")]),
                FieldPanel("area_code"),
            ],
            heading=_("编码"),
        ),
        FieldPanel("exercise_levels"),
        FieldPanel("service_objects"),
        FieldRowPanel([FieldPanel("handling_class"), FieldPanel("status")]),
        FieldPanel("source_url"),
    ]

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["department__name", "name"]
        indexes = [models.Index(fields=["item_type"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The most authoritative code known: national implementation, basic, else local."""
        return self.implementation_code or self.basic_code or self.local_code
