"""两卡一表: the acceptance register (受理登记簿) and the statistics table (办件统计表), for the
user's townships, on screen and as CSV or XLSX.

Definitions (docs/back-office.md):

* register: one row per application submitted in the date range;
* statistics: one row per township and item, the supervision figures of docs/supervision.md
  (``forms.statistics.figures``, dimension "township_item") for the date range as a ``Period``:
  收件数 ``received`` (submitted in the range), 受理数 ``accepted`` and 不予受理数 ``rejected``
  (of those, accepted at some point / rejected), 办结数 ``completed`` (completed in the range,
  whenever submitted), 按时办结数 ``completed_on_time`` and 超期办结数 ``completed_late`` (of
  those with a deadline, closed on or before / after the deadline day), 当前逾期数 ``overdue``
  (open, accepted, past the deadline and not paused, today: the red lights, whatever the
  range), 办结率 ``completion_rate`` (of the range's submissions, completed ÷ (received −
  rejected)), 按时办结率 ``on_time_rate`` (on time ÷ completed with a deadline) and 平均办理工作日
  ``average_working_days`` (acceptance to completion, paused days excluded). The total row is
  the sum of the rows' figures, its rates computed from the summed counts.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import actions
from ..models import Application, ApplicationStatus
from ..permissions import clerk_townships
from ..statistics import Figures, Period
from ..statistics import figures as supervision_figures
from . import exports
from .forms import ReportFilterForm, month_bounds
from .queries import user_display
from .views import NAMESPACE, require_handler

S = ApplicationStatus
REGISTER_PAGE_SIZE = 100


def _naive(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _bounds(date_from, date_to):
    """Aware datetimes [start of date_from, start of the day after date_to) in local time."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def filter_form(request):
    """The bound filter form; no dates given means this month."""
    townships = clerk_townships(request.user)
    data = request.GET.copy()
    first, last = month_bounds(timezone.localdate())
    if not data.get("date_from") and not data.get("date_to"):
        data["date_from"], data["date_to"] = first.isoformat(), last.isoformat()
    return ReportFilterForm(data, townships=townships)


def month_links(request, name):
    """This month and the five before it, as quick links."""
    links = []
    day = timezone.localdate().replace(day=1)
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("p", None)
    for _step in range(6):
        first, last = month_bounds(day)
        query["date_from"], query["date_to"] = first.isoformat(), last.isoformat()
        links.append(
            (
                _("%(year)s年%(month)s月") % {"year": first.year, "month": first.month},
                reverse(f"{NAMESPACE}:{name}") + "?" + query.urlencode(),
            )
        )
        day = (first - datetime.timedelta(days=1)).replace(day=1)
    return links


def export_links(request, name):
    links = []
    for export_format in exports.FORMATS:
        query = request.GET.copy()
        query.pop("p", None)
        query["export"] = export_format
        links.append(
            (export_format.upper(), reverse(f"{NAMESPACE}:{name}") + "?" + query.urlencode())
        )
    return links


# --- the register ---------------------------------------------------------------------------


def display_value(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def on_time_text(application, state):
    if application.status == S.REJECTED or state.deadline is None:
        return "—"
    if application.closed_at is not None:
        return _("否") if state.overdue else _("是")
    return _("已超期") if state.overdue else "—"


def register_rows(townships, date_from, date_to, several):
    start, end = _bounds(date_from, date_to)
    applications = (
        Application.objects.filter(
            township__in=townships, submitted_at__gte=start, submitted_at__lt=end
        )
        .select_related("township", "assigned_clerk")
        .order_by("submitted_at", "pk")
    )
    today = timezone.localdate()
    for index, application in enumerate(applications, 1):
        state = actions.clock_state(application, today=today)
        row = [
            index,
            application.display_tracking_number,
            _naive(application.submitted_at),
            _naive(application.accepted_at),
            application.applicant_name,
            application.item_name,
        ]
        if several:
            row.append(application.township.title)
        row += [
            application.get_status_display(),
            user_display(application.assigned_clerk),
            application.deadline,
            _naive(application.closed_at),
            on_time_text(application, state),
        ]
        yield application, row


def register_headings(several):
    headings = [_("序号"), _("受理编号"), _("收件时间"), _("受理时间"), _("申请人"), _("事项名称")]
    if several:
        headings.append(_("乡镇（街道）"))
    headings += [
        _("状态"),
        _("经办人"),
        _("承诺办结日期"),
        _("办结时间"),
        _("是否按时办结"),
    ]
    return headings


def _report_page(request, template, context):
    context.update(
        {
            "header_title": context["page_title"],
            "header_icon": "list-ul",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("首页")},
                {"url": reverse(f"{NAMESPACE}:index"), "label": _("办件管理")},
                {"url": "", "label": context["page_title"]},
            ],
        }
    )
    return TemplateResponse(request, template, context)


def register(request):
    require_handler(request.user)
    form = filter_form(request)
    if not form.is_valid():
        return _report_page(
            request,
            "applications/admin/register.html",
            {"page_title": _("受理登记簿"), "form": form, "rows": None},
        )
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    townships = form.selected_townships()
    several = form.several_townships
    headings = register_headings(several)
    export_format = request.GET.get("export")
    if export_format in exports.FORMATS:
        rows = (row for _application, row in register_rows(townships, date_from, date_to, several))
        return exports.response(
            export_format,
            _("受理登记簿_%(start)s_%(end)s") % {"start": date_from, "end": date_to},
            _("受理登记簿"),
            headings,
            rows,
        )
    rows = [
        (application, [display_value(value) for value in row])
        for application, row in register_rows(townships, date_from, date_to, several)
    ]
    page = Paginator(rows, REGISTER_PAGE_SIZE).get_page(request.GET.get("p"))
    return _report_page(
        request,
        "applications/admin/register.html",
        {
            "page_title": _("受理登记簿"),
            "form": form,
            "headings": headings,
            "rows": page.object_list,
            "page": page,
            "date_from": date_from,
            "date_to": date_to,
            "month_links": month_links(request, "register"),
            "export_links": export_links(request, "register"),
            "page_query": _query_without(request, "p"),
        },
    )


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- the statistics table -------------------------------------------------------------------


@dataclass
class StatisticsRow:
    """One township and item of the statistics table, and its supervision figures."""

    township: str  # the township's title
    code: str  # its 9-digit code
    item: str
    figures: Figures


def _shown(figures):
    """Whether a row has a count to show: something received, completed or overdue."""
    return bool(figures.received or figures.completed or figures.overdue)


def statistics_rows(townships, period, today=None):
    """The ``StatisticsRow`` of each township and item of ``townships`` with something to show
    (``_shown``), by township code and item name: ``statistics.figures`` per township and item.
    """
    by_group = supervision_figures(period, townships, "township_item", today)
    names = {pk: (code, title) for pk, code, title in townships.values_list("pk", "code", "title")}
    rows = [
        StatisticsRow(names[township][1], names[township][0], item, value)
        for (township, item), value in by_group.items()
        if _shown(value)
    ]
    rows.sort(key=lambda row: (row.code, row.item))
    return rows


def percentage(rate):
    """A rate between 0 and 1 as '92.3%', or '—' when undefined (None)."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def statistics_headings(several):
    headings = [_("乡镇（街道）")] if several else []
    return [
        *headings,
        _("事项名称"),
        _("收件数"),
        _("受理数"),
        _("不予受理数"),
        _("办结数"),
        _("按时办结数"),
        _("超期办结数"),
        _("当前逾期数"),
        _("办结率"),
        _("按时办结率"),
        _("平均办理工作日"),
    ]


def statistics_cells(value):
    """The figure columns of one row, in the order of ``statistics_headings``."""
    average = value.average_working_days
    return [
        value.received,
        value.accepted,
        value.rejected,
        value.completed,
        value.completed_on_time,
        value.completed_late,
        value.overdue,
        percentage(value.completion_rate),
        percentage(value.on_time_rate),
        "—" if average is None else average,
    ]


def statistics_table(rows, several):
    """Rows as lists, with the total row last: the sum of the rows' figures, so its rates are
    computed from the summed counts."""
    table = []
    for row in rows:
        cells = [row.township] if several else []
        table.append([*cells, row.item, *statistics_cells(row.figures)])
    total = sum((row.figures for row in rows), Figures())
    cells = [_("合计"), ""] if several else [_("合计")]
    table.append([*cells, *statistics_cells(total)])
    return table


def statistics(request):
    require_handler(request.user)
    form = filter_form(request)
    context = {"page_title": _("办件统计表"), "form": form, "rows": None}
    if not form.is_valid():
        return _report_page(request, "applications/admin/statistics.html", context)
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    several = form.several_townships
    # The form refuses ranges over MAX_REPORT_DAYS, below the longest Period.
    rows = statistics_rows(form.selected_townships(), Period(date_from, date_to))
    headings = statistics_headings(several)
    table = statistics_table(rows, several)
    export_format = request.GET.get("export")
    if export_format in exports.FORMATS:
        return exports.response(
            export_format,
            _("办件统计表_%(start)s_%(end)s") % {"start": date_from, "end": date_to},
            _("办件统计表"),
            headings,
            table,
        )
    context.update(
        {
            "headings": headings,
            "rows": table[:-1],
            "total": table[-1],
            "date_from": date_from,
            "date_to": date_to,
            "month_links": month_links(request, "statistics"),
            "export_links": export_links(request, "statistics"),
        }
    )
    return _report_page(request, "applications/admin/statistics.html", context)
