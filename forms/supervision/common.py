"""What the board and the public page share: the period form and the display of figures."""

from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import statistics
from . import charts


class PeriodForm(forms.Form):
    """``?start=2026-01-01&end=2026-06-30``; both optional (default: the last six months)."""

    start = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("请输入正确的日期，例如 2026-01-01。")},
    )
    end = forms.DateField(
        label=gettext_lazy("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("请输入正确的日期，例如 2026-06-30。")},
    )

    def __init__(self, data, today=None):
        self.today = today or statistics.local_today()
        super().__init__({k: data.get(k, "") for k in ("start", "end")} if data else None)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        end = end or self.today
        start = start or statistics.Period.last_months(today=end).start
        if start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        if (end - start).days > statistics.MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("统计期间最长三年。"))
        data["period"] = statistics.Period(start, end)
        return data

    @property
    def period(self):
        """The period asked for, or the default when the form is empty or invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return statistics.Period.last_months(today=self.today)


def period_from(request, today=None):
    form = PeriodForm(
        request.GET if ("start" in request.GET or "end" in request.GET) else None, today
    )
    return form, form.period


def percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


def number(value):
    return "—" if value is None else f"{value:g}"


def shown(figures):
    """The rates and averages of ``figures`` as text for the templates ('—' when undefined)."""
    return SimpleNamespace(
        completion_rate=percent(figures.completion_rate),
        on_time_rate=percent(figures.on_time_rate),
        satisfaction=percent(figures.satisfaction),
        rectification_rate=percent(figures.rectification_rate),
        complaint_on_time_rate=percent(figures.complaint_on_time_rate),
        average_working_days=number(figures.average_working_days),
        mean_score=number(figures.mean_score),
    )


def decorate(rows):
    for row in rows:
        row.shown = shown(row.figures)
        row.month_label = charts.month_label(row.key) if _is_month(row.key) else ""
    return rows


def _is_month(key):
    return isinstance(key, str) and len(key) == 7 and key[4] == "-" and key[:4].isdigit()


def report_context(report):
    """Everything the figure templates need from one report."""
    decorate(report.by_month)
    decorate(report.by_township)
    decorate(report.by_item)
    decorate(report.by_clerk)
    return {
        "report": report,
        "total": report.total,
        "total_shown": shown(report.total),
        "months_chart": charts.received_completed_chart(report),
        "evaluation_chart": charts.evaluation_chart(report.total),
        "period_end_is_today": report.period.end == report.today,
    }
