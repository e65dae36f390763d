"""The JSON shape of ``GET /api/v1/townships/{code}/disclosure-report`` (django-ninja).

``guides``, ``complete``, ``incomplete``, ``stale`` and ``repealed_basis`` are the contract;
``township``, ``generated_at``, ``review_period_days``, ``late_changes`` and
``expired_postings`` are added for convenience. The data comes from
``guides.transparency.report.report_data``, the same figures as the admin board.
"""

import datetime

from ninja import Schema

from ..schemas import TownshipRef


class GuideRef(Schema):
    id: int
    title: str
    url: str | None


class IncompleteGuide(GuideRef):
    missing: list[str]


class StaleGuide(GuideRef):
    last_reviewed: datetime.datetime | None


class OutdatedBasis(Schema):
    title: str
    article: str
    document_number: str
    status: str
    status_label: str


class OutdatedBasisGuide(GuideRef):
    bases: list[OutdatedBasis]


class LateGuide(GuideRef):
    pending_since: datetime.datetime | None
    publish_due: datetime.date | None


class ExpiredPosting(GuideRef):
    posting_end: datetime.date


class DisclosureReport(Schema):
    township: TownshipRef
    generated_at: datetime.datetime
    review_period_days: int
    guides: int
    complete: int
    incomplete: list[IncompleteGuide]
    stale: list[StaleGuide]
    repealed_basis: list[OutdatedBasisGuide]
    late_changes: list[LateGuide]
    expired_postings: list[ExpiredPosting]
