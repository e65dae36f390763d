"""Public transparency: the township's disclosure catalog and a guide's change history
(``/transparency/…``, included by config/urls.py)."""

import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from guides import factories
from guides.models import (
    DisclosureRecord,
    DisclosureSnapshot,
    GuideFee,
    GuideMaterial,
    ServiceGuidePage,
    TownshipPage,
)
from guides.models.choices import FeeStatus, NoticeKind
from guides.permissions import ensure_county_groups
from guides.transparency.catalog import catalog_entries, index_number
from guides.transparency.history import change_history
from tests.guides.test_admin_publish import make_user

pytestmark = pytest.mark.django_db

CREDIT_CODE = "11511602MB0000001X"
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def at(year, month, day):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=TZ)


def publish(guide, when=None, materials=(), fees=(), **changes):
    """Publish a new revision of ``guide`` with ``changes`` (at ``when``, if given)."""
    with mock.patch("django.utils.timezone.now", return_value=when or timezone.now()):
        page = ServiceGuidePage.objects.get(pk=guide.pk)
        for name, value in changes.items():
            setattr(page, name, value)
        for material in materials:
            page.materials.add(material)
        for fee in fees:
            page.fees.add(fee)
        page.save_revision().publish()
    return ServiceGuidePage.objects.get(pk=guide.pk)


def catalog_url(township):
    return reverse("transparency:catalog", args=[township.code])


# --- the disclosure catalog -------------------------------------------------------------------


def test_index_numbers_are_sequential_per_township_and_year_and_stable(
    client, township, other_township
):
    TownshipPage.objects.filter(pk=township.pk).update(credit_code=CREDIT_CODE)
    township = TownshipPage.objects.get(pk=township.pk)
    year = timezone.localdate().year
    first = factories.ServiceGuidePageFactory(parent=township, title="最低生活保障申请")
    second = factories.ServiceGuidePageFactory(parent=township, title="临时救助申请")
    notices = factories.NoticeIndexPageFactory(parent=township)
    # created live without a publish signal: numbered when the catalog is next shown
    today = timezone.localdate()
    notice = factories.NoticePageFactory(
        parent=notices,
        title="低保公示",
        kind=NoticeKind.POSTING,
        posting_start=today,
        posting_end=today + datetime.timedelta(days=6),
    )
    last_year = factories.NoticePageFactory(
        parent=notices, title="去年的通知", date=datetime.date(year - 1, 12, 30)
    )
    factories.ServiceGuidePageFactory(parent=township, title="未发布的指南", live=False)

    response = client.get(catalog_url(township))
    assert response.status_code == 200
    numbers = {row["title"]: row["index_number"] for row in response.context["rows"]}
    assert numbers == {
        "最低生活保障申请": f"{CREDIT_CODE}/{year}-00001",
        "临时救助申请": f"{CREDIT_CODE}/{year}-00002",
        "低保公示": f"{CREDIT_CODE}/{year}-00003",
        "去年的通知": f"{CREDIT_CODE}/{year - 1}-00001",
    }
    html = response.content.decode()
    assert f"{CREDIT_CODE}/{year}-00003" in html
    assert first.url in html

    # republished under a new name: same number, new name
    publish(first, title="城乡居民最低生活保障申请")
    # withdrawn: off the catalog, its number never reused
    ServiceGuidePage.objects.get(pk=second.pk).unpublish()
    third = factories.ServiceGuidePageFactory(parent=township, title="特困人员供养申请")
    other = factories.ServiceGuidePageFactory(parent=other_township, title="协兴镇的指南")

    entries = {r.title: r.index_number for r in catalog_entries(township)}
    assert entries == {
        "城乡居民最低生活保障申请": f"{CREDIT_CODE}/{year}-00001",
        "低保公示": f"{CREDIT_CODE}/{year}-00003",
        "特困人员供养申请": f"{CREDIT_CODE}/{year}-00004",
        "去年的通知": f"{CREDIT_CODE}/{year - 1}-00001",
    }
    assert DisclosureRecord.objects.get(page=second).serial == 2  # kept, not reused
    assert DisclosureRecord.objects.get(page=notice).serial == 3
    assert DisclosureRecord.objects.get(page=last_year).year == year - 1
    other_record = DisclosureRecord.objects.get(page=other)
    assert (other_record.township_id, other_record.serial) == (other_township.pk, 1)
    # newest first: by date, then by number
    ordered = [r.title for r in catalog_entries(township)]
    assert ordered[:2] == ["特困人员供养申请", "低保公示"]
    assert ordered[-1] == "去年的通知"
    assert third.pk


def test_index_number_falls_back_to_the_division_code(township):
    assert index_number(township, 2026, 7) == f"{township.code}/2026-00007"
    township.credit_code = CREDIT_CODE
    assert index_number(township, 2026, 7) == f"{CREDIT_CODE}/2026-00007"


def test_catalog_is_linked_from_the_township_page(client, township):
    html = client.get(township.url).content.decode()
    assert catalog_url(township) in html
    assert "政府信息公开目录" in html


def test_catalog_of_an_unknown_township_is_404(client, township):
    assert client.get("/transparency/511602999/").status_code == 404


# --- the change history ----------------------------------------------------------------------------


@pytest.fixture
def changed_guide(township):
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 1, 5)):
        guide = factories.ServiceGuidePageFactory(parent=township, title="残疾人证办理")
    assert guide.promised_limit_value == 20
    guide = publish(
        guide,
        at(2026, 3, 1),
        promised_limit_value=15,
        materials=[GuideMaterial(name="户口簿", copies=1)],
    )
    fee = factories.FeeStandardFactory(name="工本费", amount=Decimal("10.00"), unit="元/件")
    guide = publish(
        guide,
        at(2026, 4, 10),
        fee_status=FeeStatus.CHARGED,
        fees=[GuideFee(fee_standard=fee)],
    )
    guide = publish(guide, at(2026, 5, 6), summary="只改了简介")  # no disclosure changed
    fee.amount = Decimal("12.00")
    fee.save()
    return publish(guide, at(2026, 6, 1))


def test_change_history_names_each_change_and_its_date(client, changed_guide):
    entries = change_history(changed_guide)
    assert [e["sentence"] for e in entries] == [
        "2026年6月1日：收费项目“工本费”由10.00元/件改为12.00元/件",
        "2026年4月10日：收费由“不收费”改为“收费”；新增收费项目“工本费”（10.00元/件）",
        "2026年3月1日：承诺时限由20个工作日改为15个工作日；新增材料“户口簿”",
        "2026年1月5日：首次发布",
    ]

    response = client.get(reverse("transparency:guide_changes", args=[changed_guide.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年3月1日" in html
    assert "承诺时限由20个工作日改为15个工作日" in html
    assert "新增材料“户口簿”" in html
    assert "收费由“不收费”改为“收费”" in html
    assert "2026年5月6日" not in html
    assert changed_guide.url in html


def test_guide_page_links_to_its_change_history(client, guide):
    html = client.get(guide.url).content.decode()
    assert reverse("transparency:guide_changes", args=[guide.pk]) in html
    assert "公开信息变更记录" in html


def test_materials_removed_changed_and_bases_replaced(township):
    guide = factories.ServiceGuidePageFactory(parent=township, title="临时救助")
    page = ServiceGuidePage.objects.get(pk=guide.pk)
    materials = list(page.materials.all())
    materials[0].copies = 2
    page.materials = [*materials, GuideMaterial(name="收入证明", copies=1)]
    old_basis = page.legal_bases.first().legal_basis
    page.legal_bases.clear()
    new_basis = factories.LegalBasisFactory(title="社会救助暂行办法", article="第四十七条")
    page.legal_bases.add(factories.models.GuideLegalBasis(legal_basis=new_basis))
    page.handling_class = "joint"
    page.save_revision().publish()
    page = ServiceGuidePage.objects.get(pk=guide.pk)
    page.materials.remove(*[m for m in page.materials.all() if m.name == "收入证明"])
    page.save_revision().publish()
    changes = [
        c for e in change_history(ServiceGuidePage.objects.get(pk=guide.pk)) for c in e["changes"]
    ]
    assert "材料“申请人居民身份证”的份数由“1份”改为“2份”" in changes
    assert "新增材料“收入证明”" in changes
    assert "删除材料“收入证明”" in changes
    assert "新增依据《社会救助暂行办法》第四十七条" in changes
    assert f"删除依据《{old_basis.title}》{old_basis.article}" in changes
    assert "办件类型由“承诺件”改为“联办件”" in changes


def test_history_is_cached_per_live_revision(changed_guide, django_assert_num_queries):
    change_history(changed_guide)
    with (
        mock.patch.object(Revision, "as_object", side_effect=AssertionError("deserialized")),
        django_assert_num_queries(0),
    ):
        assert change_history(changed_guide)
    # a new publication is a new live revision: recomputed from the stored snapshots
    guide = publish(changed_guide, promised_limit_value=10)
    with mock.patch.object(Revision, "as_object", side_effect=AssertionError("deserialized")):
        entries = change_history(guide)
    assert entries[0]["changes"] == ["承诺时限由15个工作日改为10个工作日"]


def test_history_of_guides_published_before_snapshots_is_filled_in_once(changed_guide):
    DisclosureSnapshot.objects.all().delete()
    entries = change_history(changed_guide)
    # rebuilt from the five published revisions; a revision keeps only the fee standard's id,
    # so the fee reads at today's amount and its later rise cannot be seen
    assert [e["sentence"] for e in entries] == [
        "2026年4月10日：收费由“不收费”改为“收费”；新增收费项目“工本费”（12.00元/件）",
        "2026年3月1日：承诺时限由20个工作日改为15个工作日；新增材料“户口簿”",
        "2026年1月5日：首次发布",
    ]
    assert DisclosureSnapshot.objects.filter(guide=changed_guide).count() == 5
    cache.clear()
    with mock.patch.object(Revision, "as_object", side_effect=AssertionError("deserialized")):
        assert len(change_history(changed_guide)) == 3


def test_history_of_a_guide_not_live_is_404(client, changed_guide):
    ServiceGuidePage.objects.get(pk=changed_guide.pk).unpublish()
    url = reverse("transparency:guide_changes", args=[changed_guide.pk])
    assert client.get(url).status_code == 404


def test_reviewer_sees_history_and_pending_changes(client, portal, changed_guide):
    _admins, reviewers = ensure_county_groups()
    reviewer = make_user("reviewer", reviewers)
    page = ServiceGuidePage.objects.get(pk=changed_guide.pk)
    page.max_visits = 0
    page.channel_post = True
    page.save_revision()  # a draft, not published
    client.force_login(reviewer)
    html = client.get(reverse("guides_transparency:guide", args=[page.pk])).content.decode()
    assert "承诺时限由20个工作日改为15个工作日" in html  # the public history
    assert "最多到现场次数由1次改为0次" in html  # what the draft would change
