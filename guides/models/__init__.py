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
from .workflow import DisclosureApprovalTask

__all__ = [
    "CountyPortalPage",
    "Department",
    "DisclosureApprovalTask",
    "FeeStandard",
    "GuideCondition",
    "GuideFAQ",
    "GuideFee",
    "GuideLegalBasis",
    "GuideMaterial",
    "GuideStep",
    "LegalBasis",
    "NoticeIndexPage",
    "NoticePage",
    "PortalPopularItem",
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
