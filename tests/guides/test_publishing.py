"""The publish gate: each rule can fail, and a complete guide passes."""

import pytest

from guides import factories
from guides.models import GuideFee, ServiceGuidePage
from guides.models.choices import (
    BasisStatus,
    FeeStatus,
    HandlingClass,
    ItemStatus,
    OnlineDepth,
    ResultType,
    TimeUnit,
)
from guides.publishing import PublishBlocked, missing_disclosures, publish_blockers

pytestmark = pytest.mark.django_db


def test_complete_guide_passes(guide):
    assert publish_blockers(guide) == []
    assert guide.live


def test_empty_guide_lists_every_disclosure(township):
    empty = ServiceGuidePage(title="空白指南", slug="blank", fee_status="", max_visits=None)
    township.add_child(instance=empty)
    reasons = publish_blockers(empty)
    joined = "\n".join(reasons)
    for expected in [
        "服务事项",
        "受理条件",
        "办理流程",
        "申报材料",
        "法定时限",
        "承诺时限",
        "是否收费",
        "法律或政策依据",
        "办理结果",
    ]:
        assert expected in joined
    assert missing_disclosures(empty)[:6] == [
        "办理事项与申请条件",
        "办事程序",
        "申报材料",
        "服务承诺与时限",
        "收费标准",
        "法律政策依据",
    ]


def _reasons(guide):
    return "\n".join(publish_blockers(guide))


def test_on_the_spot_requires_immediate_class(guide):
    guide.promised_limit_unit = TimeUnit.ON_THE_SPOT
    guide.promised_limit_value = None
    assert "即办件" in _reasons(guide)
    guide.handling_class = HandlingClass.IMMEDIATE
    assert "即办件" not in _reasons(guide)


def test_immediate_class_requires_on_the_spot(guide):
    guide.handling_class = HandlingClass.IMMEDIATE
    assert "当场办结" in _reasons(guide)


def test_visits_need_a_reason(guide):
    guide.visits_reason = ""
    assert "到现场的原因" in _reasons(guide)


def test_zero_visits_not_online_needs_post(guide):
    guide.max_visits = 0
    guide.channel_online = False
    guide.channel_post = False
    assert "邮寄申请渠道" in _reasons(guide)
    guide.channel_post = True
    assert "邮寄申请渠道" not in _reasons(guide)


def test_fully_online_means_zero_visits(guide):
    guide.online_depth = OnlineDepth.LEVEL_4
    guide.channel_online = True
    assert "0次" in _reasons(guide)


def test_fee_must_be_stated_explicitly(guide):
    guide.fee_status = ""
    assert "不收费也必须明确" in _reasons(guide)


def test_charged_needs_fee_items(guide):
    guide.fee_status = FeeStatus.CHARGED
    assert "收费项目及其收费依据" in _reasons(guide)
    guide.fees.add(GuideFee(fee_standard=factories.FeeStandardFactory()))
    assert "收费项目及其收费依据" not in _reasons(guide)


def test_free_means_no_online_payment(guide):
    guide.online_payment = True
    assert "网上支付" in _reasons(guide)


def test_phones_must_differ_and_have_area_code(guide):
    guide.consultation_phone = "2345678"
    assert "区号" in _reasons(guide)
    guide.consultation_phone = guide.effective_supervision_phone
    assert "不能相同" in _reasons(guide)


def test_result_needs_sample(guide):
    guide.result_sample = None
    assert "结果样本" in _reasons(guide)
    guide.result_type = ResultType.NONE
    assert "结果样本" not in _reasons(guide)


def test_repealed_basis_blocks(guide):
    basis = guide.legal_bases.first().legal_basis
    basis.status = BasisStatus.REPEALED
    basis.save()
    guide = ServiceGuidePage.objects.get(pk=guide.pk)
    assert "已废止" in _reasons(guide)


def test_promised_longer_than_statutory(guide):
    guide.promised_limit_value = 40
    assert "不能长于法定时限" in _reasons(guide)


def test_cancelled_item_blocks(guide):
    guide.item.status = ItemStatus.CANCELLED
    assert "暂停或取消" in _reasons(guide)


def test_publish_refused_by_any_path(guide):
    guide.conditions.all().delete()
    guide.conditions.clear()
    revision = guide.save_revision()
    with pytest.raises(PublishBlocked) as excinfo:
        revision.publish()
    assert any("受理条件" in r for r in excinfo.value.reasons)
