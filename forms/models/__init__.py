from .agents import VillageAgent
from .applications import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationStatus,
    ClockPause,
    DeliveryMethod,
    EventAction,
    Outcome,
    SupplementItem,
)
from .calendar import CaseSerial, WorkCalendarDay
from .complaints import Complaint, ComplaintKind, ComplaintStatus
from .drafts import Draft, DraftStatus
from .evaluations import Evaluation, EvaluationLevel, Rectification, RectificationStatus
from .notifications import Notification
from .questions import GuideQuestion, QuestionKind

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationFile",
    "ApplicationStatus",
    "CaseSerial",
    "ClockPause",
    "Complaint",
    "ComplaintKind",
    "ComplaintStatus",
    "DeliveryMethod",
    "Draft",
    "DraftStatus",
    "Evaluation",
    "EvaluationLevel",
    "EventAction",
    "GuideQuestion",
    "Notification",
    "Outcome",
    "QuestionKind",
    "Rectification",
    "RectificationStatus",
    "SupplementItem",
    "VillageAgent",
    "WorkCalendarDay",
]
