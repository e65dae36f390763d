"""The demo's transparency history (guides.demo.transparency) and complaints (forms.demo
.complaints) on the full demo county: the disclosure board and the complaint figures differ
by township, and a reviewer sees "which townships miss what, and who is late".

The full demo is loaded once for the module (inside a transaction rolled back afterwards); the
board is built once, on the load date.
"""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from forms import clock, statistics
from forms.models import Complaint, ComplaintStatus
from forms.supervision.complaints import complaint_days
from guides.demo import transparency as plan
from guides.demo.content import GUIDES
from guides.demo.loader import load_demo
from guides.demo.notices import POSTING_END
from guides.models import (
    DisclosureRecord,
    DisclosureSnapshot,
    GuideReview,
    LegalBasis,
    NoticePage,
    ServiceGuidePage,
    TownshipPage,
)
from guides.models.choices import BasisStatus, NoticeKind
from guides.models.reviews import ReviewDecision
from guides.permissions import REVIEWER_GROUP
from guides.transparency.access import can_review
from guides.transparency.report import CATEGORIES, build_reports, totals

pytestmark = pytest.mark.django_db

LOADED = {}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("transparency-media")),
        transaction.atomic(),
    ):
        LOADED["today"] = timezone.localdate()
        LOADED["report"] = load_demo()
        LOADED["board"] = {r.township.code: r for r in build_reports()}
        yield LOADED["report"]
        transaction.set_rollback(True)


def _today():
    return LOADED["today"]


def _board():
    return LOADED["board"]


def _counts(key):
    return {code: report.counts[key] for code, report in _board().items()}


def _rows(key, codes=None):
    return [
        row
        for code, report in _board().items()
        if codes is None or code in codes
        for row in report.rows(key)
    ]


def _postings_expired():
    """The demo's posting ended long enough ago for the townships to have taken it down."""
    return _today() > POSTING_END + datetime.timedelta(days=7)


# --- the board ------------------------------------------------------------------------------


def test_every_category_is_somewhere_and_differs_by_township():
    for key, _label in CATEGORIES:
        if key == "postings" and not _postings_expired():
            continue
        counts = _counts(key)
        assert len(counts) == 25
        assert sum(counts.values()) > 0, key
        assert len(set(counts.values())) > 1, (key, counts)
    assert len({r.issues for r in _board().values()}) > 5  # "worst first" means something
    assert totals(list(_board().values()))["guides"] == 25 * len(GUIDES)


def test_stale_differs_by_township_and_the_laggards_are_worst():
    stale = _counts("stale")
    for code, count in stale.items():
        if code in plan.LAGGING:
            assert count == len(GUIDES), code
        else:
            assert count <= 0.2 * len(GUIDES), (code, count)
    assert len(set(stale.values())) >= 4
    worst = sorted(_board().values(), key=lambda r: -r.issues)[:3]
    assert {r.township.code for r in worst} & plan.LAGGING
    never = [row for row in _rows("stale") if row.last_review is None]
    assert never and {row.township.code for row in never} <= plan.LAGGING
    period = datetime.timedelta(days=180)
    for row in _rows("stale"):
        assert row.last_review is None or _today() - timezone.localdate(row.last_reviewed) >= (
            period - datetime.timedelta(days=1)
        )


def test_reviews_are_the_reviewers_on_the_live_revision():
    reviews = GuideReview.objects.select_related("reviewer", "guide", "revision")
    assert reviews.count() > 25 * len(GUIDES)
    reviewer = reviews.first().reviewer
    assert {r.reviewer_id for r in reviews} == {reviewer.pk}
    assert reviewer.username == plan.REVIEWER_USERNAME and not reviewer.has_usable_password()
    assert reviewer.groups.filter(name=REVIEWER_GROUP).exists() and can_review(reviewer)
    start = timezone.localdate(min(r.created_at for r in reviews))
    assert start > _today() - datetime.timedelta(days=300)
    for review in reviews:
        assert timezone.localdate(review.created_at) < _today()
        assert review.revision.object_id == str(review.guide_id)
        assert review.revision.created_at <= review.created_at
        if review.decision == ReviewDecision.SENT_BACK:
            assert len(review.comment) > 10
    for report in _board().values():  # every township was reviewed at least once
        assert any(row.last_review for row in report.guides), report.township.title


def test_sent_back_and_resubmitted():
    sent_back = _rows("sent_back")
    resubmitted = [row for row in _rows("all") if row.resubmitted]
    assert sent_back and resubmitted
    assert len({row.township.code for row in sent_back}) >= 3
    for row in sent_back:
        assert row.guide.last_published_at < row.last_review.created_at
        assert row.last_review.revision_id == row.guide.live_revision_id
    for row in resubmitted:
        assert row.guide.last_published_at > row.last_review.created_at
        assert row.last_review.revision_id != row.guide.live_revision_id
        assert row.complete and not row.outdated_bases  # the fix removed the outdated basis
        assert DisclosureSnapshot.objects.filter(guide=row.guide).count() == 2
    fixed = {c for c, s in {**plan.LOCAL_RULE, **plan.FOREST_1998}.items() if s == "fixed"}
    assert {row.township.code for row in resubmitted} == fixed


def test_outdated_bases_make_the_basis_and_incomplete_columns():
    rule = LegalBasis.objects.get(title=plan.LOCAL_RULE_FIELDS["title"])
    assert rule.status == BasisStatus.REPEALED and "废止" in rule.status_note
    waiting = {c for c, s in plan.LOCAL_RULE.items() if s in ("sent_back", "unseen")}
    incomplete = _rows("incomplete")
    assert {row.township.code for row in incomplete} == waiting
    for row in incomplete:
        assert row.missing == ["法律政策依据"]
        assert row.guide.title in plan.SUBSIDY_ITEMS and rule in row.outdated_bases
    forest = {c for c, s in plan.FOREST_1998.items() if s != "fixed"}
    basis = _rows("basis")
    assert {row.township.code for row in basis} == waiting | forest
    amended = [row for row in basis if row.guide.title == plan.FOREST_ITEM]
    assert {row.township.code for row in amended} == forest
    assert all(row.complete for row in amended)  # an amended basis does not block


def test_late_changes_are_the_old_drafts():
    late = _counts("late")
    assert {code for code, n in late.items() if n} == set(plan.LATE_DRAFTS)
    for code, count in plan.LATE_DRAFTS.items():
        assert late[code] == count
    for row in _rows("late"):
        assert row.publish_due < _today()
        assert clock.working_days_between(timezone.localdate(row.pending_since), _today()) > 20
        draft = row.guide.latest_revision.as_object()
        assert (draft.promised_limit_value, draft.materials.count()) != (
            row.guide.promised_limit_value,
            row.guide.materials.count(),
        )
    recent = ServiceGuidePage.objects.live().filter(has_unpublished_changes=True)
    assert recent.count() == sum(plan.LATE_DRAFTS.values()) + sum(plan.RECENT_DRAFTS.values())
    not_late = [row for row in _rows("all") if row.pending_since and not row.late]
    assert len(not_late) == sum(plan.RECENT_DRAFTS.values())


def test_expired_postings_taken_down_except_in_a_few():
    if not _postings_expired():
        pytest.skip("the demo posting is still open on this date")
    assert {c for c, n in _counts("postings").items() if n} == plan.POSTING_LEFT_UP
    for posting in NoticePage.objects.filter(kind=NoticeKind.POSTING):
        if posting.live:
            continue
        entry = PageLogEntry.objects.get(page=posting, action="wagtail.unpublish")
        assert POSTING_END < timezone.localdate(entry.timestamp) < _today()


def test_guides_went_live_before_the_history():
    start = _today() - datetime.timedelta(days=9 * 31 + 10)
    end = _today() - datetime.timedelta(days=8 * 30)
    for guide in ServiceGuidePage.objects.select_related("live_revision"):
        assert start <= timezone.localdate(guide.first_published_at) <= end
        assert guide.live_revision.created_at == guide.last_published_at
    township = TownshipPage.objects.get(code="511602101")
    records = DisclosureRecord.objects.filter(township=township, category="guide")
    assert records.count() == len(GUIDES)
    first = timezone.localdate(
        ServiceGuidePage.objects.child_of(township).first().first_published_at
    )
    assert set(records.values_list("date", flat=True)) == {first}


# --- complaints -----------------------------------------------------------------------------


def test_complaint_figures_of_the_county():
    townships = TownshipPage.objects.live()
    report = statistics.build_report(townships)
    figures = report.total
    assert figures.complaints_received > figures.complaints_replied > 0
    assert 0 < figures.complaints_replied_on_time < figures.complaints_replied  # some late
    assert figures.complaints_overdue > 0
    per_township = [row.figures.complaints_received for row in report.by_township]
    assert len(set(per_township)) > 3


def test_complaints_are_what_the_form_and_the_reply_make():
    complaints = list(Complaint.objects.select_related("township", "replied_by"))
    counts = {t.code: 0 for t in TownshipPage.objects.all()}
    for complaint in complaints:
        counts[complaint.township.code] += 1
        received = timezone.localdate(complaint.created_at)
        assert complaint.deadline == clock.add_working_days(received, complaint_days())
        assert received < _today()
        if complaint.replied_at is None:
            assert complaint.status == ComplaintStatus.RECEIVED and not complaint.reply
            assert not complaint.reply_published
        else:
            assert complaint.status in (ComplaintStatus.REPLIED, ComplaintStatus.CLOSED)
            assert complaint.created_at < complaint.replied_at
            assert timezone.localdate(complaint.replied_at) < _today()
            assert complaint.reply.endswith("（演示）") and complaint.replied_by is not None
    assert max(counts.values()) <= 8 and min(counts.values()) >= 0
    assert any(not c.name and not c.phone for c in complaints)  # anonymous
    assert any(c.reply_published for c in complaints)
    assert any(c.tracking_number for c in complaints)


# --- idempotent -------------------------------------------------------------------------------


def test_a_second_load_adds_nothing():
    before = (
        GuideReview.objects.count(),
        Complaint.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        NoticePage.objects.live().count(),
    )
    report = load_demo()
    assert not report.created_anything, report.created
    assert before == (
        GuideReview.objects.count(),
        Complaint.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        NoticePage.objects.live().count(),
    )
