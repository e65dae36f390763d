"""两卡一表: the acceptance register (受理登记簿) and the statistics table (办件统计表), for the
user's townships, on screen and as CSV or XLSX.

Definitions (docs/back-office.md):

* register: one row per application submitted in the date range;
* statistics, per township and item, for the date range: received (submitted in the range),
  accepted (accepted in the range, on-the-spot included), rejected and completed (closed in the
  range), of those completed on time / late (closed after the deadline), and still open past a
  deadline that fell in the range (overdue, not yet completed; the paused clock excluded).
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import actions
from ..models import Application, ApplicationStatus
from ..permissions import clerk_townships
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

STAT_FIELDS = [
    "received",
    "accepted",
    "rejected",
    "completed",
    "on_time",
    "late",
    "overdue_open",
]


def statistics_rows(townships, date_from, date_to):
    """One dict per (township, item): the counts of STAT_FIELDS."""
    start, end = _bounds(date_from, date_to)
    today = timezone.localdate()
    submitted = Q(submitted_at__gte=start, submitted_at__lt=end)
    accepted = Q(accepted_at__gte=start, accepted_at__lt=end)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    completed = closed & Q(status=S.COMPLETED)
    overdue_open = Q(
        status__in=(S.ACCEPTED, S.FORWARDED),
        deadline__gte=date_from,
        deadline__lte=date_to,
        deadline__lt=today,
    )
    rows = (
        Application.objects.filter(township__in=townships)
        .filter(submitted | accepted | closed | overdue_open)
        .values("township__code", "township__title", "item_name")
        .annotate(
            received=Count("pk", filter=submitted),
            accepted=Count("pk", filter=accepted),
            rejected=Count("pk", filter=closed & Q(status=S.REJECTED)),
            completed=Count("pk", filter=completed),
            on_time=Count(
                "pk",
                filter=completed & Q(deadline__isnull=False, closed_at__date__lte=F("deadline")),
            ),
            late=Count(
                "pk",
                filter=completed & Q(deadline__isnull=False, closed_at__date__gt=F("deadline")),
            ),
            overdue_open=Count("pk", filter=overdue_open),
        )
        .order_by("township__code", "item_name")
    )
    return [dict(row) for row in rows]


def on_time_rate(row):
    judged = row["on_time"] + row["late"]
    return f"{row['on_time'] * 100 / judged:.1f}%" if judged else "—"


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
        _("逾期未办结数"),
        _("按时办结率"),
    ]


def statistics_table(rows, several):
    """Rows as lists, with the total row last."""
    table = []
    for row in rows:
        cells = [row["township__title"]] if several else []
        cells += [row["item_name"], *(row[field] for field in STAT_FIELDS), on_time_rate(row)]
        table.append(cells)
    total = {field: sum(row[field] for row in rows) for field in STAT_FIELDS}
    cells = [_("合计"), ""] if several else [_("合计")]
    table.append([*cells, *(total[field] for field in STAT_FIELDS), on_time_rate(total)])
    return table


def statistics(request):
    require_handler(request.user)
    form = filter_form(request)
    context = {"page_title": _("办件统计表"), "form": form, "rows": None}
    if not form.is_valid():
        return _report_page(request, "applications/admin/statistics.html", context)
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    several = form.several_townships
    rows = statistics_rows(form.selected_townships(), date_from, date_to)
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
