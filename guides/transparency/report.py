"""The disclosure report: per township, which live guides miss what, and who is late.

One function, ``build_reports``, computes every figure of the board, its exports, the dashboard
panel, the reminders and the API, so they always agree. The rules (docs/transparency.md):

- **guides**: live guides of the township; **complete**: the publish gate
  (``guides.publishing.check_guide``) passes on the live version;
- **incomplete**: the others, each with the disclosures it misses (as ``missing_disclosures``);
- **basis**: live guides citing a legal basis that is amended or repealed;
- **stale**: live guides whose last review (marked reviewed or sent back) is older than
  ``TRANSPARENCY_REVIEW_PERIOD_DAYS`` (180), or that were never reviewed;
- **late**: live guides with unpublished changes older than 20 working days: the first revision
  saved after the live one is more than ``TRANSPARENCY_PUBLISH_WITHIN_WORKING_DAYS`` working days
  old (saving the draft again does not restart the clock);
- **postings**: live postings (公示) whose posting period has ended (``posting_end`` < today);
- **sent_back**: live guides whose last review sent them back and that were not published since.

Queries are a fixed handful for any number of townships (prefetching what the gate reads).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision, WorkflowState, get_default_page_content_type

from ..models import (
    CountyPortalPage,
    GuideFee,
    GuideLegalBasis,
    GuideReview,
    NoticePage,
    ServiceGuidePage,
    TownshipPage,
)
from ..models.choices import BasisStatus, NoticeKind
from ..models.reviews import ReviewDecision
from ..publishing import DISCLOSURES, check_guide
from . import conf

# The board's columns, in the order shown; each count links to the list of that category.
CATEGORIES = [
    ("incomplete", _("要素不全")),
    ("basis", _("依据已修订或废止")),
    ("stale", _("超期未审查")),
    ("late", _("修改逾期未发布")),
    ("postings", _("公示期满仍在公布")),
    ("sent_back", _("退回待修改")),
]
CATEGORY_LABELS = dict(CATEGORIES)
OUTDATED_BASIS = (BasisStatus.AMENDED, BasisStatus.REPEALED)


@dataclass
class GuideRow:
    """One live guide and what the reviewer needs to know about it."""

    guide: ServiceGuidePage
    township: TownshipPage
    problems: list  # [(disclosure key, reason)] from the publish gate, on the live version
    outdated_bases: list  # LegalBasis rows amended or repealed
    last_review: GuideReview | None
    stale: bool
    pending_since: datetime.datetime | None  # first revision saved after the live one
    publish_due: datetime.date | None  # the last day to publish it
    late: bool
    in_workflow: bool

    @property
    def complete(self):
        return not self.problems

    @cached_property
    def missing(self):
        """The names of the disclosures missed, as ``guides.publishing.missing_disclosures``."""
        keys = dict.fromkeys(key for key, _reason in self.problems)
        return [DISCLOSURES[key] for key in keys]

    @property
    def reasons(self):
        return [reason for _key, reason in self.problems]

    @property
    def last_reviewed(self):
        return self.last_review.created_at if self.last_review else None

    @property
    def _last_sent_back(self):
        review = self.last_review
        return review is not None and review.decision == ReviewDecision.SENT_BACK

    @property
    def sent_back(self):
        """Sent back by the last review and not published since."""
        published = self.guide.last_published_at
        return self._last_sent_back and not (published and published > self.last_review.created_at)

    @property
    def resubmitted(self):
        """Sent back, then published again: waiting for the reviewer to look again."""
        return self._last_sent_back and not self.sent_back

    def in_category(self, key):
        return {
            "incomplete": not self.complete,
            "basis": bool(self.outdated_bases),
            "stale": self.stale,
            "late": self.late,
            "sent_back": self.sent_back,
        }.get(key, False)


@dataclass
class NoticeRow:
    """A live posting (公示) whose posting period has ended."""

    notice: NoticePage
    township: TownshipPage
    days_over: int


@dataclass
class TownshipReport:
    township: TownshipPage
    guides: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    generated_at: datetime.datetime | None = None
    period_days: int = conf.DEFAULT_REVIEW_PERIOD_DAYS

    @property
    def total(self):
        return len(self.guides)

    @cached_property
    def complete_count(self):
        return sum(1 for row in self.guides if row.complete)

    def rows(self, key):
        """The guides (or, for "postings", the notices) in a category."""
        if key == "postings":
            return list(self.notices)
        if key == "complete":
            return [row for row in self.guides if row.complete]
        if key == "all":
            return list(self.guides)
        return [row for row in self.guides if row.in_category(key)]

    @cached_property
    def counts(self):
        return {key: len(self.rows(key)) for key, _label in CATEGORIES}

    @property
    def issues(self):
        """Every problem counted once per category: the board sorts on it, worst first."""
        return sum(self.counts.values())

    @property
    def complete_rate(self):
        return round(100 * self.complete_count / self.total) if self.total else None


def _guide_queryset(townships):
    scope = Q(pk__in=[])
    for township in townships:
        scope |= Q(path__startswith=township.path, depth=township.depth + 1)
    page_type = get_default_page_content_type()
    latest_review = (
        GuideReview.objects.filter(guide=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")
    )
    first_pending = (
        Revision.objects.filter(
            base_content_type=page_type,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            created_at__gt=OuterRef("live_revision__created_at"),
        )
        .order_by("created_at")
        .values("created_at")
    )
    return (
        ServiceGuidePage.objects.live()
        .filter(scope)
        .select_related("item")
        .prefetch_related(
            "conditions",
            "steps",
            "materials",
            Prefetch("fees", GuideFee.objects.select_related("fee_standard")),
            Prefetch("legal_bases", GuideLegalBasis.objects.select_related("legal_basis")),
        )
        .annotate(
            latest_review_id=Subquery(latest_review[:1]),
            first_pending_at=Subquery(first_pending[:1]),
        )
        .order_by("path")
    )


def _pending_since(guide):
    if not guide.has_unpublished_changes:
        return None
    return guide.first_pending_at or guide.latest_revision_created_at


def _publish_due(pending_since):
    from forms.clock import add_working_days

    if pending_since is None:
        return None
    return add_working_days(timezone.localdate(pending_since), conf.publish_within_working_days())


def _attach_counties(townships):
    """Give each township its county (the guides' effective values read it) in one query."""
    portals = list(CountyPortalPage.objects.all())
    for township in townships:
        township.__dict__["county"] = next(
            (p for p in portals if township.path.startswith(p.path)), None
        )


def _township_of(page, by_path, path_lengths):
    for length in path_lengths:
        township = by_path.get(page.path[:length])
        if township is not None:
            return township
    return None


def build_reports(townships=None, now=None):
    """A ``TownshipReport`` per township (default: every live township), worst first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = conf.review_period_days()
    stale_before = now - datetime.timedelta(days=period)
    if townships is None:
        townships = TownshipPage.objects.live().order_by("code")
    townships = list(townships)
    if not townships:
        return []
    _attach_counties(townships)
    by_path = {t.path: t for t in townships}
    path_lengths = sorted({len(p) for p in by_path}, reverse=True)
    reports = {
        t.pk: TownshipReport(township=t, generated_at=now, period_days=period) for t in townships
    }

    guides = list(_guide_queryset(townships))
    review_ids = [g.latest_review_id for g in guides if g.latest_review_id]
    reviews = GuideReview.objects.select_related("reviewer").in_bulk(review_ids)
    in_workflow = set(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=get_default_page_content_type(),
            object_id__in=[str(g.pk) for g in guides],
        ).values_list("object_id", flat=True)
    )
    for guide in guides:
        township = by_path[guide.path[: -ServiceGuidePage.steplen]]
        guide.__dict__["township"] = township  # the gate reads the township's contact values
        review = reviews.get(guide.latest_review_id)
        pending_since = _pending_since(guide)
        publish_due = _publish_due(pending_since)
        reports[township.pk].guides.append(
            GuideRow(
                guide=guide,
                township=township,
                problems=check_guide(guide),
                outdated_bases=[
                    link.legal_basis
                    for link in guide.legal_bases.all()
                    if link.legal_basis.status in OUTDATED_BASIS
                ],
                last_review=review,
                stale=review is None or review.created_at < stale_before,
                pending_since=pending_since,
                publish_due=publish_due,
                late=publish_due is not None and today > publish_due,
                in_workflow=str(guide.pk) in in_workflow,
            )
        )

    scope = Q(pk__in=[])
    for township in townships:
        scope |= Q(path__startswith=township.path)
    postings = (
        NoticePage.objects.live()
        .filter(scope, kind=NoticeKind.POSTING, posting_end__lt=today)
        .order_by("posting_end", "pk")
    )
    for notice in postings:
        township = _township_of(notice, by_path, path_lengths)
        if township is not None:
            notice.__dict__["township"] = township
            reports[township.pk].notices.append(
                NoticeRow(
                    notice=notice, township=township, days_over=(today - notice.posting_end).days
                )
            )

    return sorted(
        reports.values(), key=lambda r: (-r.issues, -r.counts["incomplete"], r.township.code)
    )


def build_report(township, now=None):
    return build_reports([township], now=now)[0]


def totals(reports):
    """The county's figures: the sum of every township's."""
    result = {
        "guides": sum(r.total for r in reports),
        "complete": sum(r.complete_count for r in reports),
    }
    for key, _label in CATEGORIES:
        result[key] = sum(r.counts[key] for r in reports)
    return result


# --- the API's shape (``GET /api/v1/townships/{code}/disclosure-report``) -----------------------


def _guide_ref(row, url_for):
    return {"id": row.guide.pk, "title": row.guide.title, "url": url_for(row.guide)}


def report_data(report, url_for):
    """The report as the API answers it; ``url_for(page)`` gives a page's public URL."""
    from ..schemas import label

    return {
        "township": {"code": report.township.code, "name": report.township.title},
        "generated_at": report.generated_at,
        "review_period_days": report.period_days,
        "guides": report.total,
        "complete": report.complete_count,
        "incomplete": [
            {**_guide_ref(row, url_for), "missing": row.missing}
            for row in report.rows("incomplete")
        ],
        "stale": [
            {**_guide_ref(row, url_for), "last_reviewed": row.last_reviewed}
            for row in report.rows("stale")
        ],
        "repealed_basis": [
            {
                **_guide_ref(row, url_for),
                "bases": [
                    {
                        "title": basis.title,
                        "article": basis.article,
                        "document_number": basis.document_number,
                        "status": basis.status,
                        "status_label": label(BasisStatus, basis.status),
                    }
                    for basis in row.outdated_bases
                ],
            }
            for row in report.rows("basis")
        ],
        "late_changes": [
            {
                **_guide_ref(row, url_for),
                "pending_since": row.pending_since,
                "publish_due": row.publish_due,
            }
            for row in report.rows("late")
        ],
        "expired_postings": [
            {
                "id": row.notice.pk,
                "title": row.notice.title,
                "url": url_for(row.notice),
                "posting_end": row.notice.posting_end,
            }
            for row in report.notices
        ],
    }
