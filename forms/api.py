"""``GET /api/v1/applications/{tracking_number}?phone=...``: an application's status and history.

An unknown number and a phone that does not match get the same 404 (same body, same work);
clients are rate limited (429).
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from . import ratelimit
from .status import find_application, status_view

router = Router(tags=["办件"])


class HistoryEntry(Schema):
    time: datetime
    action: str
    text: str
    materials: list[dict]


class ApplicationStatusOut(Schema):
    tracking_number: str
    item_name: str
    township: str
    township_code: str
    status: str
    status_label: str
    status_text: str
    submitted_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    deadline: date | None
    light: str
    light_label: str
    outcome: str
    result_note: str
    rejection_reason: str
    history: list[HistoryEntry]
    evaluation: dict | None


class Message(Schema):
    detail: str


@router.get(
    "/applications/{tracking_number}",
    response={200: ApplicationStatusOut, 404: Message, 429: Message},
    url_name="application_status",
    summary="办件进度查询",
)
def application_status(request, tracking_number: str, phone: str = ""):
    if not ratelimit.allow(request, "lookup"):
        return Status(429, {"detail": _("查询次数太多，请10分钟后再试。")})
    application = find_application(tracking_number, phone)
    if application is None:
        return Status(404, {"detail": _("没有找到这个办件，请核对受理编号和手机号码。")})
    view = status_view(application)
    for key in ("status_text", "light_label"):
        view[key] = str(view[key])
    return Status(200, view)
