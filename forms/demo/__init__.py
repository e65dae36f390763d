"""The demo's application history: staff, village agents, online guides, six months of
applications and of complaints and suggestions in every demo township. ``load_history`` is
called by ``guides.demo.loader.load_demo`` inside its transaction, after the guides exist. See
docs/demo.md.

Idempotent: users and agents are found again by username; a township that already has demo
applications gets no new history (nor are its guides changed again), one that has complaints
gets no new complaints. Deterministic for a load date (``forms.demo.history``,
``forms.demo.complaints``). Nobody is notified: the history is recorded inside
``actions.notifications_suppressed()`` and the complaints are written in bulk.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

__all__ = ["HistoryReport", "load_history"]


@dataclass
class HistoryReport:
    townships: int = 0  # townships that got a history in this run
    applications: int = 0
    complaints: int = 0  # complaints and suggestions created in this run
    statuses: Counter = field(default_factory=Counter)  # of every demo application
    search_indexed: bool = True
    seconds: float = 0.0


@transaction.atomic
def load_history(townships, *, today=None, executor=None):
    """Staff, agents, online guides and the history for ``townships`` (code → TownshipPage).

    ``today`` is the load date (default: today); ``executor`` carries the history out
    (default: ``executors.BatchExecutor``; ``executors.ActionsExecutor`` is the reference).
    """
    from guides.models import ServiceGuidePage, VillageStationPage

    from .. import actions
    from ..models import Application
    from .complaints import ensure_complaints
    from .history import build_history
    from .online import prepare_guides, refresh_search
    from .staff import AGENT_VILLAGES, ensure_agents, ensure_staff
    from .timeline import WorkingDays

    started = time.perf_counter()
    today = today or timezone.localdate()
    report = HistoryReport()
    with actions.notifications_suppressed():
        pending, staff_of = [], {}
        for township in townships.values():
            staff = staff_of[township.pk] = ensure_staff(township)
            villages = list(VillageStationPage.objects.child_of(township).order_by("code"))
            agents = ensure_agents(villages[:AGENT_VILLAGES])
            if Application.objects.filter(township=township, is_demo=True).exists():
                continue
            guides = list(
                ServiceGuidePage.objects.child_of(township)
                .filter(is_demo=True)
                .select_related("item")
                .prefetch_related("materials")
                .order_by("path")
            )
            for guide in guides:
                guide.__dict__["township"] = township
            pending.append((township, guides, villages, staff, agents))
        now_online = prepare_guides([g for _t, guides, *_rest in pending for g in guides])
        report.search_indexed = refresh_search(now_online)
        days = WorkingDays()
        for township, guides, villages, staff, agents in pending:
            if not villages or not guides:
                continue
            made = build_history(township, guides, villages, staff, agents, today, days, executor)
            report.townships += 1
            report.applications += len(made)
        for township in townships.values():  # after the history: some name a late application
            report.complaints += ensure_complaints(township, staff_of[township.pk], today, days)
    if report.townships:
        statuses = Application.objects.filter(is_demo=True).values_list("status", flat=True)
        report.statuses = Counter(statuses)
    report.seconds = time.perf_counter() - started
    return report
