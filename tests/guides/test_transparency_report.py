"""The disclosure report: its figures against built data, the board, the exports and the API agree."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Revision

from guides import factories
from guides.models import GuideReview, LegalBasis, ServiceGuidePage, TownshipPage
from guides.models.choices import BasisStatus, NoticeKind
from guides.models.reviews import ReviewDecision
from guides.permissions import ensure_county_groups
from guides.publishing import missing_disclosures
from guides.transparency.report import build_report, build_reports
from tests.guides.test_admin_publish import make_user
from tests.places import make_other_township, make_portal, make_township

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def review(guide, days_ago, decision=ReviewDecision.REVIEWED, comment=""):
    return GuideReview.objects.create(
        guide=guide,
        decision=decision,
        comment=comment,
        created_at=timezone.now() - days_ago * DAY,
    )


def make_guide(township, title, reviewed_days_ago=10):
    guide = factories.ServiceGuidePageFactory(parent=township, title=title)
    if reviewed_days_ago is not None:
        review(guide, reviewed_days_ago)
    return ServiceGuidePage.objects.get(pk=guide.pk)


def save_draft(guide, live_days_ago, draft_days_ago, **changes):
    """Age the live revision, then save a draft (a change not yet published) ``draft_days_ago``."""
    Revision.objects.filter(pk=guide.live_revision_id).update(
        created_at=timezone.now() - live_days_ago * DAY
    )
    draft = guide.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    revision = draft.save_revision()
    when = timezone.now() - draft_days_ago * DAY
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    ServiceGuidePage.objects.filter(pk=guide.pk).update(latest_revision_created_at=when)
    return revision


def build_county():
    """官盛镇: 8 live guides with one problem each (or none), postings; 协兴镇: one good guide."""
    portal = make_portal()
    township, other_township = make_township(portal), make_other_township(portal)
    guides = {
        "complete": make_guide(township, "完整的指南"),
        "no_fee": make_guide(township, "未明确收费的指南"),
        "repealed": make_guide(township, "依据已废止的指南"),
        "amended": make_guide(township, "依据已修订的指南"),
        "never": make_guide(township, "从未审查的指南", reviewed_days_ago=None),
        "old_review": make_guide(township, "很久未审查的指南", reviewed_days_ago=200),
        "old_draft": make_guide(township, "修改逾期未发布的指南"),
        "new_draft": make_guide(township, "刚修改的指南"),
    }
    # The live version stops stating the fee (the page row is the live version).
    ServiceGuidePage.objects.filter(pk=guides["no_fee"].pk).update(fee_status="")
    LegalBasis.objects.filter(guide_links__guide=guides["repealed"]).update(
        status=BasisStatus.REPEALED
    )
    LegalBasis.objects.filter(guide_links__guide=guides["amended"]).update(
        status=BasisStatus.AMENDED
    )
    save_draft(guides["old_draft"], live_days_ago=90, draft_days_ago=60, summary="新的简介")
    save_draft(guides["new_draft"], live_days_ago=90, draft_days_ago=2, summary="新的简介")
    # A draft that was never published is not counted at all.
    factories.ServiceGuidePageFactory(parent=township, title="从未发布的草稿", live=False)

    notices = factories.NoticeIndexPageFactory(parent=township)
    today = timezone.localdate()
    expired = factories.NoticePageFactory(
        parent=notices,
        title="低保公示（已过期）",
        kind=NoticeKind.POSTING,
        posting_start=today - 10 * DAY,
        posting_end=today - 3 * DAY,
    )
    factories.NoticePageFactory(
        parent=notices,
        title="低保公示（公示中）",
        kind=NoticeKind.POSTING,
        posting_start=today - 2 * DAY,
        posting_end=today + 5 * DAY,
    )
    withdrawn = factories.NoticePageFactory(
        parent=notices,
        title="已撤下的过期公示",
        kind=NoticeKind.POSTING,
        posting_start=today - 30 * DAY,
        posting_end=today - 20 * DAY,
    )
    withdrawn.unpublish()
    factories.NoticePageFactory(parent=notices, title="普通通知", date=today - 400 * DAY)

    _admins, reviewers = ensure_county_groups()
    return SimpleNamespace(
        portal=portal,
        gs=TownshipPage.objects.get(pk=township.pk),
        xx=TownshipPage.objects.get(pk=other_township.pk),
        guides=guides,
        expired=expired,
        other=make_guide(other_township, "协兴镇的完整指南"),
        reviewer=make_user("reviewer", reviewers),
    )


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at the end; each test runs in
    a savepoint of it."""
    media = tmp_path_factory.mktemp("transparency-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            factories.reset_seed()
            yield build_county()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def township(county):
    return county.gs


@pytest.fixture
def other_township(county):
    return county.xx


@pytest.fixture
def reviewer(county):
    return county.reviewer


def titles(rows):
    return sorted(row.guide.title for row in rows)


def test_report_figures_for_built_data(township, county):
    guides = county.guides
    report = build_report(township)
    assert report.total == 8
    assert report.complete_count == 6
    assert titles(report.rows("incomplete")) == sorted(["未明确收费的指南", "依据已废止的指南"])
    by_title = {row.guide.title: row for row in report.guides}
    assert by_title["未明确收费的指南"].missing == ["收费标准"]
    assert by_title["依据已废止的指南"].missing == ["法律政策依据"]
    # the same names the API's guide detail uses
    assert by_title["未明确收费的指南"].missing == missing_disclosures(
        ServiceGuidePage.objects.get(pk=guides["no_fee"].pk)
    )
    assert titles(report.rows("basis")) == sorted(["依据已废止的指南", "依据已修订的指南"])
    assert [b.status for b in by_title["依据已修订的指南"].outdated_bases] == ["amended"]
    assert titles(report.rows("stale")) == sorted(["从未审查的指南", "很久未审查的指南"])
    assert by_title["从未审查的指南"].last_reviewed is None
    assert by_title["很久未审查的指南"].last_reviewed is not None
    assert titles(report.rows("late")) == ["修改逾期未发布的指南"]
    assert by_title["刚修改的指南"].pending_since is not None
    assert not by_title["刚修改的指南"].late
    assert [row.notice.title for row in report.rows("postings")] == ["低保公示（已过期）"]
    assert report.rows("postings")[0].days_over == 3
    assert report.counts == {
        "incomplete": 2,
        "basis": 2,
        "stale": 2,
        "late": 1,
        "postings": 1,
        "sent_back": 0,
    }
    assert report.issues == 8


def test_townships_sorted_worst_first(township, other_township, county):
    reports = build_reports()
    assert [r.township.code for r in reports] == [township.code, other_township.code]
    assert reports[1].issues == 0
    assert reports[1].total == reports[1].complete_count == 1


def test_review_period_is_a_setting(settings, township, county):
    settings.TRANSPARENCY_REVIEW_PERIOD_DAYS = 5  # every review above is 10 days old or more
    assert build_report(township).counts["stale"] == 8
    settings.TRANSPARENCY_REVIEW_PERIOD_DAYS = 365
    assert titles(build_report(township).rows("stale")) == ["从未审查的指南"]


def test_saving_the_draft_again_does_not_restart_the_clock(township, county):
    guide = ServiceGuidePage.objects.get(pk=county.guides["old_draft"].pk)
    guide.get_latest_revision_as_object().save_revision()  # saved again today
    row = next(r for r in build_report(township).guides if r.guide.pk == guide.pk)
    assert row.late
    assert timezone.localdate(row.pending_since) == timezone.localdate() - 60 * DAY


def test_publishing_the_change_ends_the_delay(township, county):
    guide = ServiceGuidePage.objects.get(pk=county.guides["old_draft"].pk)
    guide.get_latest_revision().publish()
    assert build_report(township).counts["late"] == 0


def test_sent_back_until_published_again(township, county):
    guide = county.guides["complete"]
    review(guide, 0, ReviewDecision.SENT_BACK, "咨询电话有误")
    report = build_report(township)
    assert titles(report.rows("sent_back")) == ["完整的指南"]
    guide.save_revision().publish()
    row = next(r for r in build_report(township).guides if r.guide.pk == guide.pk)
    assert not row.sent_back
    assert row.resubmitted


def test_report_queries_do_not_grow_with_guides(township, county, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        build_reports()


# --- the board, its exports and the API agree ----------------------------------------------------


def board_counts(response, code):
    row = next(r for r in response.context["rows"] if r["report"].township.code == code)
    report = row["report"]
    return {
        "guides": report.total,
        "complete": report.complete_count,
        **{cell["key"]: cell["count"] for cell in row["cells"]},
    }


def test_board_and_api_agree(client, reviewer, township, other_township, county):
    client.force_login(reviewer)
    board = client.get(reverse("guides_transparency:index"))
    assert board.status_code == 200
    api = client.get(f"/api/v1/townships/{township.code}/disclosure-report").json()
    counts = board_counts(board, township.code)
    assert counts["guides"] == api["guides"] == 8
    assert counts["complete"] == api["complete"] == 6
    assert counts["incomplete"] == len(api["incomplete"]) == 2
    assert counts["stale"] == len(api["stale"]) == 2
    assert counts["basis"] == len(api["repealed_basis"]) == 2
    assert counts["late"] == len(api["late_changes"]) == 1
    assert counts["postings"] == len(api["expired_postings"]) == 1
    html = board.content.decode()
    assert html.index(township.title) < html.index(other_township.title)  # worst first
    assert '<td data-key="issues">8</td>' in html
    # each count links to its list
    assert "?show=stale" in html


def test_api_answers_the_contract(client, township, county):
    response = client.get(f"/api/v1/townships/{township.code}/disclosure-report")
    assert response.status_code == 200
    data = response.json()
    assert {"guides", "complete", "incomplete", "stale", "repealed_basis"} <= set(data)
    assert data["township"] == {"code": township.code, "name": township.title}
    no_fee = county.guides["no_fee"]
    assert {
        "id": no_fee.pk,
        "title": "未明确收费的指南",
        "url": no_fee.url,
        "missing": ["收费标准"],
    } in data["incomplete"]
    stale = {item["title"]: item for item in data["stale"]}
    assert stale["从未审查的指南"]["last_reviewed"] is None
    assert stale["很久未审查的指南"]["last_reviewed"].startswith(
        str((timezone.localdate() - 200 * DAY).year)
    )
    bases = {item["title"]: item["bases"] for item in data["repealed_basis"]}
    assert [b["status_label"] for b in bases["依据已废止的指南"]] == ["已废止"]
    assert [b["status_label"] for b in bases["依据已修订的指南"]] == ["已修订"]
    assert bases["依据已废止的指南"][0]["title"].startswith("测试条例")


def test_api_unknown_township_is_404(client, township):
    response = client.get("/api/v1/townships/511602999/disclosure-report")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该乡镇（街道）。"}


def test_csv_export_matches_the_board(client, reviewer, township, other_township, county):
    client.force_login(reviewer)
    board = client.get(reverse("guides_transparency:index"))
    response = client.get(reverse("guides_transparency:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:4] == ["乡镇（街道）", "区划代码", "已发布指南", "要素齐全"]
    assert "超期未审查" in header
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    counts = board_counts(board, township.code)
    mine = by_code[township.code]
    assert int(mine["已发布指南"]) == counts["guides"]
    assert int(mine["要素齐全"]) == counts["complete"]
    assert int(mine["要素不全"]) == counts["incomplete"]
    assert int(mine["超期未审查"]) == counts["stale"]
    assert int(mine["修改逾期未发布"]) == counts["late"]
    assert int(mine["公示期满仍在公布"]) == counts["postings"]
    assert [row[0] for row in rows[1:]] == [township.title, other_township.title, "合计"]

    detail = client.get(reverse("guides_transparency:export", args=["csv"]) + "?sheet=detail")
    detail_rows = list(csv.reader(io.StringIO(detail.content.decode("utf-8").lstrip("\ufeff"))))
    assert detail_rows[0] == ["乡镇（街道）", "区划代码", "问题类别", "名称", "说明", "公开网址"]
    assert len(detail_rows) - 1 == 8  # one line per problem
    assert ["官盛镇", township.code, "要素不全", "未明确收费的指南", "缺：收费标准"] in [
        r[:5] for r in detail_rows
    ]


def test_xlsx_export_matches_the_board(client, reviewer, township, county):
    client.force_login(reviewer)
    response = client.get(reverse("guides_transparency:export", args=["xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "明细"]
    summary = [list(r) for r in book["汇总"].iter_rows(values_only=True)]
    header = summary[0]
    mine = dict(zip(header, next(r for r in summary if r[1] == township.code), strict=True))
    assert mine["已发布指南"] == 8
    assert mine["要素齐全"] == 6
    assert mine["依据已修订或废止"] == 2
    assert mine["问题合计"] == 8
    detail = list(book["明细"].iter_rows(values_only=True))
    assert len(detail) - 1 == 8
    assert {row[2] for row in detail[1:]} == {
        "要素不全",
        "依据已修订或废止",
        "超期未审查",
        "修改逾期未发布",
        "公示期满仍在公布",
    }
