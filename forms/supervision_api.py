"""The public statistics API (办件统计), mounted at /api/v1/ by ``config.api``.

- ``GET /api/v1/statistics``: the county (every live township) and ``townships``, one entry per
  township;
- ``GET /api/v1/townships/{code}/statistics``: one township (404 for an unknown code).

Both take ``start`` and ``end`` (``YYYY-MM-DD``, optional; default: the current month and the
five before it, to today; at most three years, ``start`` ≤ ``end``, else 422). Rates are numbers
between 0 and 1, or null when undefined (nothing to count); every figure is defined in
docs/supervision.md and computed by ``forms.statistics``, as on the board and the public page.
No personal data: counts and rates only.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from guides.models import TownshipPage

from . import statistics

router = Router(tags=["办件统计"])


class Lights(Schema):
    green: int
    yellow: int
    red: int
    paused: int
    unclocked: int


class ComplaintFigures(Schema):
    received: int
    replied: int
    replied_on_time: int
    on_time_rate: float | None
    overdue: int


class FiguresOut(Schema):
    received: int
    accepted: int
    rejected: int
    received_completed: int
    completed: int
    completed_with_deadline: int
    completed_on_time: int
    completed_late: int
    completion_rate: float | None
    on_time_rate: float | None
    average_working_days: float | None
    open: int
    overdue: int
    lights: Lights
    evaluations: int
    evaluation_levels: dict[str, int]
    satisfaction: float | None
    mean_score: float | None
    bad_reviews: int
    rectified: int
    rectification_rate: float | None
    complaints: ComplaintFigures


class MonthOut(FiguresOut):
    month: str


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date
    today: datetime.date


class TownshipStatisticsOut(FiguresOut):
    code: str
    name: str
    period: PeriodOut
    by_month: list[MonthOut]


class TownshipEntry(FiguresOut):
    code: str
    name: str


class CountyStatisticsOut(FiguresOut):
    period: PeriodOut
    by_month: list[MonthOut]
    townships: list[TownshipEntry]


class Message(Schema):
    detail: str


def _period(start, end):
    """The period asked for, or a 422 message."""
    end = end or statistics.local_today()
    start = start or statistics.Period.last_months(today=end).start
    try:
        return statistics.Period(start, end), None
    except ValueError:
        return None, Status(
            422, {"detail": _("统计期间不正确：开始日期不能晚于结束日期，期间最长三年。")}
        )


def _live_townships():
    return TownshipPage.objects.live().public()


@router.get(
    "/statistics",
    response={200: CountyStatisticsOut, 422: Message},
    url_name="statistics",
    summary="全县（区）办件统计",
)
def county_statistics(
    request, start: datetime.date | None = None, end: datetime.date | None = None
):
    period, refusal = _period(start, end)
    if refusal:
        return refusal
    report = statistics.build_report(_live_townships(), period, dimensions=("township", "month"))
    data = report.as_dict()
    data["townships"] = [
        {"code": row.code, "name": row.label, **row.as_dict()} for row in report.by_township
    ]
    return Status(200, data)


@router.get(
    "/townships/{code}/statistics",
    response={200: TownshipStatisticsOut, 404: Message, 422: Message},
    url_name="township_statistics",
    summary="乡镇（街道）办件统计",
)
def township_statistics(
    request, code: str, start: datetime.date | None = None, end: datetime.date | None = None
):
    township = _live_townships().filter(code=code).first()
    if township is None:
        return Status(404, {"detail": _("没有这个乡镇（街道）代码。")})
    period, refusal = _period(start, end)
    if refusal:
        return refusal
    report = statistics.build_report(
        _live_townships().filter(pk=township.pk), period, dimensions=("month",)
    )
    return Status(200, {"code": township.code, "name": township.title, **report.as_dict()})
