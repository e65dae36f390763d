"""The demo county loader (manage.py load_demo): complete, publishable, idempotent, deterministic.

The full demo is loaded once for ``TestFullDemo`` and a two-township subset once for
``TestSubset`` (class-scoped fixtures inside a transaction that is rolled back afterwards).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page, PageLogEntry, Revision, Site

from guides.demo import people, transparency
from guides.demo.constants import DEMO_DATE
from guides.demo.content import GUIDES, POPULAR_ITEMS
from guides.demo.guide_pages import DemoContentError, resolve_items
from guides.demo.loader import load_demo
from guides.demo.notices import POSTING_DAYS
from guides.demo.sources import read_catalog_codes, read_townships, read_villages
from guides.models import (
    CountyPortalPage,
    GuideLegalBasis,
    LegalBasis,
    NoticePage,
    ServiceGuidePage,
    ServiceItem,
    TownshipPage,
    VillageStationPage,
)
from guides.models.choices import BasisStatus, HandlingClass, NoticeKind, TimeUnit
from guides.publishing import publish_blockers

pytestmark = pytest.mark.django_db


def _loaded(django_db_blocker, media_root, **options):
    """Load inside a transaction; yield the report; roll everything back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        report = load_demo(**options)
        yield report
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def full_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from _loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(scope="class")
def subset_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from _loaded(django_db_blocker, tmp_path_factory.mktemp("subset-media"), townships=2)


def _guides_with_rows():
    return ServiceGuidePage.objects.select_related("item").prefetch_related(
        "conditions", "steps", "materials", "fees__fee_standard", "legal_bases__legal_basis"
    )


# --- content, without the database ----------------------------------------------------------


def test_every_content_item_is_a_real_catalog_item_named_exactly_once():
    codes = read_catalog_codes()
    names = [content["item"] for content in GUIDES]
    assert len(names) >= 30
    assert len(set(names)) == len(names)
    assert [n for n in names if len(codes.get(n, [])) != 1] == []
    assert set(POPULAR_ITEMS) <= set(names)
    assert 8 <= len(POPULAR_ITEMS) <= 12


def test_content_follows_the_handling_rules():
    for content in GUIDES:
        on_the_spot = content["promised"][1] == TimeUnit.ON_THE_SPOT
        assert on_the_spot == (content["handling_class"] == HandlingClass.IMMEDIATE), content[
            "item"
        ]
        assert 2 <= len(content["conditions"]) <= 5, content["item"]
        assert 1 <= len(content["faqs"]) <= 3, content["item"]
        assert "演示" in content["summary"], content["item"]


def test_shared_data_has_the_real_places():
    townships = read_townships("511602")
    assert len(townships) == 25
    assert townships[0].code == "511602001" and townships[0].name == "浓洄街道"
    villages = read_villages("511602")
    assert len(villages) == 332
    assert {v.parent_code for v in villages} == {t.code for t in townships}


def test_demo_values_are_deterministic_and_distinct():
    assert people.township_phone("511602101", 601) == "0826-2101601"
    assert people.person_name("head", "511602101") == people.person_name("head", "511602101")
    codes = [people.credit_code(t.code) for t in read_townships("511602")]
    assert len(set(codes)) == 25 and all(len(c) == 18 for c in codes)


def test_unknown_item_is_refused():
    with pytest.raises(DemoContentError):
        resolve_items([{"item": "不存在的服务事项"}])


# --- the full demo ----------------------------------------------------------------------------


@pytest.mark.usefixtures("full_demo")
class TestFullDemo:
    def test_places_and_catalog(self):
        assert ServiceItem.objects.count() == 1135
        assert TownshipPage.objects.count() == 25
        assert VillageStationPage.objects.count() == 332
        for village in VillageStationPage.objects.all():
            assert village.code.startswith(village.get_parent().specific.code)

    def test_portal_is_the_default_sites_root(self):
        portal = CountyPortalPage.objects.get(code="511602")
        assert portal.title == "广安区便民服务网"
        site = Site.objects.get(is_default_site=True)
        assert site.root_page_id == portal.pk
        assert not Page.objects.filter(depth=2).exclude(pk=portal.pk).exists()  # no Welcome page
        assert 8 <= portal.popular_items.count() <= 12
        assert portal.reconsideration_body and portal.litigation_court

    def test_every_township_publishes_every_guide_through_the_gate(self):
        guides = list(_guides_with_rows())
        townships = {t.path: t for t in TownshipPage.objects.all()}
        per_township = {}
        for guide in guides:
            township = townships[guide.path[: -ServiceGuidePage.steplen]]
            guide.__dict__["township"] = township
            per_township.setdefault(township.pk, []).append(guide)
            assert guide.live and guide.is_demo and guide.live_revision_id
            if guide.has_unpublished_changes:  # a draft of the transparency history
                assert township.code in {*transparency.LATE_DRAFTS, *transparency.RECENT_DRAFTS}
            else:
                assert guide.live_revision_id == guide.latest_revision_id
            blockers = publish_blockers(guide)
            if any(
                link.legal_basis.status == BasisStatus.REPEALED for link in guide.legal_bases.all()
            ):
                # went live citing the county rule repealed since (transparency history)
                assert len(blockers) == 1 and "已废止" in blockers[0], blockers
                assert township.code in transparency.LOCAL_RULE
            else:
                assert blockers == [], (township.title, guide.title)
        assert set(per_township) == {t.pk for t in townships.values()}
        assert all(len(g) >= 30 for g in per_township.values())
        assert all(len(g) == len(GUIDES) for g in per_township.values())

    def test_guides_have_one_published_revision_and_history(self):
        guide = ServiceGuidePage.objects.get(
            title="最低生活保障", path__startswith=TownshipPage.objects.get(code="511602101").path
        )
        assert Revision.page_revisions.filter(object_id=str(guide.pk)).count() == 1
        as_published = guide.live_revision.as_object()
        assert [m.name for m in as_published.materials.all()] == [
            m.name for m in guide.materials.all()
        ]
        assert publish_blockers(as_published) == []
        actions = set(PageLogEntry.objects.filter(page=guide).values_list("action", flat=True))
        assert actions == {"wagtail.create", "wagtail.publish"}
        guide.live_revision.publish()  # the real publish path accepts it too

    def test_only_the_id_card_guide_is_charged(self):
        charged = ServiceGuidePage.objects.filter(fee_status="charged")
        assert set(charged.values_list("title", flat=True)) == {"居民身份证办理（包括临时）"}
        assert {f.fee_standard.amount for f in charged.first().fees.all()} == {10, 20, 40}

    def test_amended_and_repealed_bases_are_cited_only_by_the_transparency_history(self):
        statuses = set(LegalBasis.objects.values_list("status", flat=True))
        assert {BasisStatus.AMENDED, BasisStatus.REPEALED} <= statuses
        outdated = GuideLegalBasis.objects.exclude(legal_basis__status=BasisStatus.IN_FORCE)
        cited = {(link.legal_basis.title, link.guide.title) for link in outdated}
        assert cited == {
            ("中华人民共和国森林法（1998年修正）", transparency.FOREST_ITEM),
            *((transparency.LOCAL_RULE_FIELDS["title"], t) for t in transparency.SUBSIDY_ITEMS),
        }
        assert not outdated.filter(legal_basis__title__contains="最低生活保障审核审批").exists()

    def test_township_phones(self):
        for township in TownshipPage.objects.all():
            assert township.consultation_phone.startswith("0826-")
            assert township.supervision_phone.startswith("0826-")
            assert township.consultation_phone != township.supervision_phone
            assert len(township.credit_code) == 18
            assert township.center_name == f"{township.title}便民服务中心"

    def test_demo_pages_are_marked(self):
        for model in (TownshipPage, VillageStationPage, ServiceGuidePage, NoticePage):
            assert not model.objects.filter(is_demo=False).exists(), model

    def test_each_township_has_its_notices(self):
        for township in TownshipPage.objects.all():
            notices = NoticePage.objects.descendant_of(township)
            kinds = sorted(notices.values_list("kind", flat=True))
            assert kinds == sorted(
                [
                    NoticeKind.NOTICE,
                    NoticeKind.NOTICE,
                    NoticeKind.POSTING,
                    NoticeKind.VAN_SCHEDULE,
                    NoticeKind.POLICY,
                ]
            )

    def test_postings_last_seven_days_and_are_open_on_the_demo_date(self):
        postings = NoticePage.objects.filter(kind=NoticeKind.POSTING)
        assert postings.count() == 25
        for posting in postings:
            assert posting.posting_days == POSTING_DAYS == 7
            assert posting.posting_state(today=DEMO_DATE) == "open"
            assert posting.posting_start == DEMO_DATE - datetime.timedelta(days=2)
            assert posting.objection_phone

    def test_van_stops_are_in_the_townships_own_villages(self):
        schedules = NoticePage.objects.filter(kind=NoticeKind.VAN_SCHEDULE)
        assert schedules.count() == 25
        for schedule in schedules:
            township = schedule.township
            stops = list(schedule.van_stops.select_related("village"))
            assert 4 <= len(stops) <= 6
            assert len({s.village_id for s in stops}) == len(stops)
            for stop in stops:
                assert stop.village.code.startswith(township.code)
                assert stop.date > DEMO_DATE

    def test_pages_render(self, client):
        township = TownshipPage.objects.get(code="511602101")
        guide = ServiceGuidePage.objects.child_of(township).first()
        # Most townships took the posting down after its period (transparency history).
        posting = NoticePage.objects.live().filter(kind=NoticeKind.POSTING).first()
        for page in (CountyPortalPage.objects.get(), township, guide, posting):
            response = client.get(page.url)
            assert response.status_code == 200, page.url
        assert "（演示）" in client.get(guide.url).content.decode()

    def test_second_run_creates_nothing(self):
        revisions, log_entries = Revision.objects.count(), PageLogEntry.objects.count()
        report = load_demo()
        assert not report.created_anything, report.created
        assert report.totals["guides"] == 25 * len(GUIDES)
        assert (Revision.objects.count(), PageLogEntry.objects.count()) == (revisions, log_entries)

    def test_if_empty_does_nothing_on_a_loaded_database(self):
        pages = Page.objects.count()
        out = io.StringIO()
        call_command("load_demo", "--if-empty", stdout=out)
        assert "already exists" in out.getvalue()
        assert Page.objects.count() == pages


# --- a subset, and refusals -------------------------------------------------------------------


@pytest.mark.usefixtures("subset_demo")
class TestSubset:
    def test_townships_option_limits_the_places(self):
        assert list(TownshipPage.objects.order_by("code").values_list("code", flat=True)) == [
            "511602001",
            "511602002",
        ]
        assert ServiceItem.objects.count() == 1135
        assert VillageStationPage.objects.count() == 6 + 8
        assert ServiceGuidePage.objects.live().count() == 2 * len(GUIDES)

    def test_same_values_every_load(self):
        township = TownshipPage.objects.get(code="511602001")
        assert township.slug == "nonghuijiedao"
        assert township.consultation_phone == "0826-2001601"
        assert township.supervision_phone == "0826-2001609"
        assert township.center_head == people.person_name("head", "511602001")
        assert township.credit_code == people.credit_code("511602001")

    def test_a_guide_the_gate_refuses_stops_the_load(self):
        broken = {**GUIDES[0], "item": "孤儿救助资格认定及基本生活费发放", "conditions": []}
        pages = Page.objects.count()
        with pytest.raises(DemoContentError, match="受理条件"):
            load_demo(townships=1, contents=[broken])
        assert Page.objects.count() == pages
        assert not ServiceGuidePage.objects.filter(title=broken["item"]).exists()

    def test_loading_the_rest_completes_the_demo(self):
        call_command("load_demo", "--townships", "3", stdout=io.StringIO())
        assert TownshipPage.objects.count() == 3
        third = TownshipPage.objects.get(code="511602004")
        assert ServiceGuidePage.objects.child_of(third).live().count() == len(GUIDES)
