"""Documents: what of a guide, an item and a notice goes into which tier, and the bulk reader."""

import pytest

from guides import factories
from guides.models import GuideFAQ, ServiceGuidePage
from guides.models.choices import ItemStatus, OnlineDepth
from search.documents import (
    count_all_documents,
    document_for_guide,
    document_for_item,
    document_for_notice,
    documents_for_page,
    iter_all_documents,
)
from search.types import GUIDE, ITEM, NOTICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(township):
    index = factories.NoticeIndexPageFactory(parent=township)
    return factories.NoticePageFactory(
        parent=index,
        title="关于城乡居民医保缴费的通知",
        summary="2027年度缴费开始",
        body="<p>请于12月31日前缴费&amp;参保。</p>",
    )


def test_a_guide_document_has_its_tiers_and_facets(guide, township):
    guide.faqs.add(GuideFAQ(question="可以代办吗？", answer="村代办员可以无偿代办。"))
    guide.channel_online = True
    guide.save()
    doc = document_for_guide(ServiceGuidePage.objects.get(pk=guide.pk))
    assert doc.id == f"guide:{guide.pk}"
    assert doc.kind == GUIDE
    assert doc.title == guide.title
    assert doc.url == guide.url
    assert guide.item.name in doc.name
    assert "户籍在本乡镇" in doc.middle  # condition
    assert "申请人居民身份证" in doc.middle  # material
    for text in [
        "为符合条件的居民办理本事项",
        "户籍在本乡镇的居民",
        "受理",
        "无偿代办",
        "审批决定书",
    ]:
        assert text in doc.body
    assert guide.item.department.name in doc.body
    assert township.address in doc.body  # the place, from the township
    assert doc.item_id == guide.item_id
    assert doc.item_code == guide.item.code
    assert doc.township_code == "511602101"
    assert doc.township_name == "官盛镇"
    assert doc.department == guide.item.department.name
    assert doc.item_type == guide.item.item_type
    assert doc.handling_class == guide.handling_class
    assert doc.online is True


def test_online_means_online_channel_or_depth_three(guide):
    guide.channel_online = False
    guide.online_depth = OnlineDepth.LEVEL_2
    assert document_for_guide(guide).online is False
    guide.online_depth = OnlineDepth.LEVEL_3
    assert document_for_guide(guide).online is True


def test_an_item_document_is_county_level(portal):
    item = factories.ServiceItemFactory(name="最低生活保障", main_item="社会救助")
    doc = document_for_item(item)
    assert doc.id == f"item:{item.pk}"
    assert doc.kind == ITEM
    assert doc.township_code == ""
    assert doc.name == "最低生活保障"
    assert "社会救助" in doc.body
    assert doc.url.endswith(f"/items/{item.pk}/")


def test_a_notice_document_has_its_township_and_date(notice, township):
    doc = document_for_notice(notice)
    assert doc.id == f"notice:{notice.pk}"
    assert doc.kind == NOTICE
    assert doc.name == notice.title
    assert doc.middle == "2027年度缴费开始"
    assert "12月31日前缴费&参保" in doc.body  # tags stripped, entities decoded
    assert doc.township_code == township.code
    assert doc.date == notice.date.isoformat()


def test_documents_for_page_only_for_live_public_guides_and_notices(guide, notice, township):
    assert [d.id for d in documents_for_page(guide)] == [f"guide:{guide.pk}"]
    assert [d.id for d in documents_for_page(notice.page_ptr)] == [f"notice:{notice.pk}"]
    assert documents_for_page(township) == []
    guide.unpublish()
    assert documents_for_page(ServiceGuidePage.objects.get(pk=guide.pk)) == []


def test_iter_all_documents_reads_everything_in_few_queries(
    township, other_township, notice, django_assert_max_num_queries
):
    for parent in (township, other_township):
        for _ in range(3):
            factories.ServiceGuidePageFactory(parent=parent)
    factories.ServiceItemFactory(name="已取消的事项", status=ItemStatus.CANCELLED)
    draft = factories.ServiceGuidePageFactory(parent=township, live=False)
    with django_assert_max_num_queries(30):
        docs = list(iter_all_documents())
    ids = {d.id for d in docs}
    assert f"guide:{draft.pk}" not in ids
    assert not any(d.title == "已取消的事项" for d in docs)
    assert sum(d.kind == GUIDE for d in docs) == 6
    assert sum(d.kind == NOTICE for d in docs) == 1
    assert len(docs) == count_all_documents()


def test_the_bulk_reader_and_the_page_reader_agree(township, other_township, notice):
    guides = [factories.ServiceGuidePageFactory(parent=t) for t in (township, other_township)]
    guides[0].faqs.add(GuideFAQ(question="问", answer="答"))
    guides[0].save()
    bulk = {d.id: d for d in iter_all_documents()}
    for page in [*guides, notice]:
        (single,) = documents_for_page(page)
        assert bulk[single.id] == single
