"""What the public sees of an application: its status and history in plain Chinese.

The same presenter feeds the status page and ``GET /api/v1/applications/{number}``, so the two
always agree. Look-ups need the tracking number and the applicant's mobile number; a wrong
number and a wrong phone give the same answer.
"""

import hmac

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import clock_state
from .identifiers import normalize_tracking_number
from .models import Application, ApplicationStatus, EventAction

DUMMY_MOBILE = "00000000000"

STATUS_TEXT = {
    ApplicationStatus.SUBMITTED: gettext_lazy("您的申请已提交，正在等待窗口工作人员受理。"),
    ApplicationStatus.SUPPLEMENT: gettext_lazy(
        "需要您补正材料，请按下面的一次性告知补齐后交到窗口。"
    ),
    ApplicationStatus.ACCEPTED: gettext_lazy("您的申请已受理，正在办理中。"),
    ApplicationStatus.FORWARDED: gettext_lazy("您的申请已报送上级部门审批，窗口会跟踪到办结。"),
    ApplicationStatus.REJECTED: gettext_lazy("您的申请不予受理，理由见下方。"),
    ApplicationStatus.COMPLETED: gettext_lazy("您的申请已办结。"),
}


def find_application(number, phone):
    """The application for ``number`` whose mobile is ``phone``, else None.

    Always one query by number and one constant-time comparison, whether or not the number
    exists, so a wrong number and a wrong phone cannot be told apart by the answer or its time.
    """
    number = normalize_tracking_number(number)
    phone = "".join(c for c in (phone or "")[:32] if c.isdigit())[-11:]
    application = (
        Application.objects.select_related("township", "guide")
        .filter(tracking_number=number or "-")
        .first()
    )
    expected = application.mobile if application else DUMMY_MOBILE
    matches = hmac.compare_digest(expected.encode(), phone.encode().rjust(11, b"\0"))
    return application if application is not None and matches else None


def _local(moment):
    return timezone.localtime(moment) if moment else None


def history(application):
    """Public events, oldest first: ``[{"time", "action", "text", "materials"}]``."""
    rows = []
    events = application.events.filter(public=True).prefetch_related("supplement_items")
    for event in events:
        text = event.note
        if event.action == EventAction.SUBMITTED:
            text = _("申请已提交。")
        elif event.action == EventAction.ACCEPTED and not text:
            text = _("窗口已受理。")
        rows.append(
            {
                "time": _local(event.created_at),
                "action": event.get_action_display(),
                "text": text,
                "materials": [
                    {"name": item.material_name, "problem": item.problem}
                    for item in event.supplement_items.all()
                ],
            }
        )
    return rows


def status_view(application):
    """Everything the status page and the API show."""
    state = clock_state(application)
    township = application.township
    evaluation = getattr(application, "evaluation", None)
    return {
        "tracking_number": application.tracking_number,
        "display_number": application.display_tracking_number,
        "item_name": application.item_name,
        "township": township.title,
        "township_code": township.code,
        "center_name": township.display_center_name,
        "consultation_phone": township.consultation_phone,
        "supervision_phone": township.supervision_phone,
        "applicant": application.masked_name,
        "status": application.status,
        "status_label": application.get_status_display(),
        "status_text": STATUS_TEXT[application.status],
        "submitted_at": _local(application.submitted_at),
        "accepted_at": _local(application.accepted_at),
        "closed_at": _local(application.closed_at),
        "deadline": state.deadline,
        "light": state.light,
        "light_label": state.label,
        "outcome": application.get_outcome_display() if application.outcome else "",
        "result_note": application.result_note,
        "rejection_reason": application.rejection_reason,
        "history": history(application),
        "evaluation": (
            {"level": evaluation.level, "label": evaluation.get_level_display()}
            if evaluation
            else None
        ),
        "can_evaluate": application.status == ApplicationStatus.COMPLETED and evaluation is None,
    }
