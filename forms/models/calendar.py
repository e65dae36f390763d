"""The working-day calendar's local corrections and the case-number serial counter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkCalendarDay(models.Model):
    """A day whose status the administrator sets: a holiday or a make-up working day.

    Takes precedence over chinese-calendar, and fills the years that library does not know yet
    (the State Council announces each year's holidays in the autumn before).
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是工作日"), help_text=_("勾选：调休上班日；不勾选：放假日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：春节"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"


class CaseSerial(models.Model):
    """The last 4-digit serial used for one implementation code on one day (办件编号)."""

    prefix = models.CharField(max_length=31)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="unique_case_serial_per_day")
        ]

    def __str__(self):
        return f"{self.prefix}{self.day:%Y%m%d}{self.last:04d}"
