from .access import TownshipGroup, TownshipRoleKind
from .catalog import Department, ServiceItem
from .guides import (
    GuideCondition,
    GuideFAQ,
    GuideFee,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    ServiceGuidePage,
)
from .notices import NoticeIndexPage, NoticePage, VanStop
from .places import (
    CountyPortalPage,
    PortalPopularItem,
    ServiceWindow,
    TownshipPage,
    VillageStationPage,
    WindowDuty,
)
from .references import FeeStandard, LegalBasis
from .reviews import (
    DisclosureCategory,
    DisclosureRecord,
    DisclosureSnapshot,
    GuideReview,
    ReviewDecision,
    ReviewReminder,
)
from .workflow import DisclosureApprovalTask

__all__ = [
    "CountyPortalPage",
    "Department",
    "DisclosureApprovalTask",
    "DisclosureCategory",
    "DisclosureRecord",
    "DisclosureSnapshot",
    "FeeStandard",
    "GuideCondition",
    "GuideFAQ",
    "GuideFee",
    "GuideLegalBasis",
    "GuideMaterial",
    "GuideReview",
    "GuideStep",
    "LegalBasis",
    "NoticeIndexPage",
    "NoticePage",
    "PortalPopularItem",
    "ReviewDecision",
    "ReviewReminder",
    "ServiceGuidePage",
    "ServiceItem",
    "ServiceWindow",
    "TownshipGroup",
    "TownshipPage",
    "TownshipRoleKind",
    "VanStop",
    "VillageStationPage",
    "WindowDuty",
]
