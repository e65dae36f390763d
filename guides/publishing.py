"""The disclosure publish gate: the one place that says why a guide cannot go live.

``publish_blockers(guide)`` returns human-readable reasons in Chinese, in the order of the six
disclosures (六公开) and then the guide-quality rules of the provincial audit
(../shared/docs/standards.md). An empty list means the guide may be published. The admin
form, the workflow, scheduled publishing and the reviewers' reports all call it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models.choices import (
    BasisStatus,
    FeeStatus,
    HandlingClass,
    ItemStatus,
    OnlineDepth,
    ResultType,
    TimeUnit,
)
from .validators import phone_has_area_code

# The disclosures, as reviewers name them; each reason below is tagged with one.
DISCLOSURES = {
    "item": "办理事项与申请条件",
    "procedure": "办事程序",
    "materials": "申报材料",
    "commitment": "服务承诺与时限",
    "fee": "收费标准",
    "basis": "法律政策依据",
    "result": "办理结果",
    "contact": "地点与咨询监督",
}


class PublishBlocked(ValidationError):
    """Raised when something tries to publish a guide that the gate refuses."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(self.reasons)


def _rows(guide, relation):
    """Related rows as held in memory (an unsaved form or revision) or in the database."""
    manager = getattr(guide, relation)
    return list(manager.all())


def check_guide(guide):
    """Every failed rule as (disclosure key, reason). ``publish_blockers`` keeps the reasons."""
    problems = []

    def fail(key, message):
        problems.append((key, message))

    # 1. The item and who may apply
    item = guide.item if guide.item_id else None
    if item is None:
        fail("item", _("未选择对应的服务事项。"))
    elif item.status != ItemStatus.IN_USE:
        fail("item", _("对应的服务事项已暂停或取消，不能发布办事指南。"))
    if not guide.service_objects:
        fail("item", _("未选择服务对象。"))
    conditions = [c for c in _rows(guide, "conditions") if (c.text or "").strip()]
    if not conditions:
        fail("item", _("未填写受理条件（谁可以申请）。"))

    # 2. The procedure
    steps = _rows(guide, "steps")
    if not steps:
        fail("procedure", _("未填写办理流程。"))
    for number, step in enumerate(steps, start=1):
        if not step.actor:
            fail(
                "procedure",
                _("办理流程第%(n)d步“%(name)s”未写明承办主体。") % {"n": number, "name": step.name},
            )
        if not step.time_limit_unit:
            fail(
                "procedure",
                _("办理流程第%(n)d步“%(name)s”未写明时限。") % {"n": number, "name": step.name},
            )

    # 3. The materials
    materials = _rows(guide, "materials")
    if not materials:
        fail("materials", _("未填写申报材料（如确无需材料，请填写“无需提交材料”并说明）。"))
    for material in materials:
        if not material.copies:
            fail("materials", _("申报材料“%(name)s”未写明份数。") % {"name": material.name})

    # 4. Commitment and time limits
    if not guide.statutory_limit_unit:
        fail("commitment", _("未填写法定时限。"))
    elif guide.statutory_limit_unit != TimeUnit.ON_THE_SPOT and not guide.statutory_limit_value:
        fail("commitment", _("法定时限缺少天数。"))
    if not guide.promised_limit_unit:
        fail("commitment", _("未填写承诺时限。"))
    elif guide.promised_limit_unit != TimeUnit.ON_THE_SPOT and not guide.promised_limit_value:
        fail("commitment", _("承诺时限缺少天数。"))
    if (
        guide.statutory_limit_value
        and guide.promised_limit_value
        and guide.statutory_limit_unit == guide.promised_limit_unit
        and guide.promised_limit_value > guide.statutory_limit_value
    ):
        fail("commitment", _("承诺时限不能长于法定时限。"))
    if not guide.handling_class:
        fail("commitment", _("未选择办件类型。"))
    elif guide.promised_limit_unit:
        on_the_spot = guide.promised_limit_unit == TimeUnit.ON_THE_SPOT
        if on_the_spot and guide.handling_class != HandlingClass.IMMEDIATE:
            fail("commitment", _("承诺时限为“当场办结”的事项，办件类型应为即办件。"))
        if guide.handling_class == HandlingClass.IMMEDIATE and not on_the_spot:
            fail("commitment", _("即办件的承诺时限应为“当场办结”。"))
    if guide.max_visits is None:
        fail("commitment", _("未填写最多到现场次数。"))
    elif guide.max_visits > 0 and not (guide.visits_reason or "").strip():
        fail("commitment", _("需要到现场办理的，必须说明到现场的原因。"))
    if guide.max_visits == 0 and not guide.channel_online and not guide.channel_post:
        fail("commitment", _("“零跑腿”事项不能网办的，必须提供邮寄申请渠道。"))
    if guide.online_depth == OnlineDepth.LEVEL_4 and guide.max_visits not in (None, 0):
        fail("commitment", _("全程网办（四级）事项的到现场次数应为0次。"))
    if guide.online_depth > OnlineDepth.NONE and not guide.channel_online:
        fail("commitment", _("设置了网办深度，但未勾选“网上办理”渠道。"))
    if not (guide.channel_window or guide.channel_online or guide.channel_post):
        fail("commitment", _("至少应提供一种办理渠道（窗口、网上或邮寄）。"))

    # 5. Fees
    fees = _rows(guide, "fees")
    if guide.fee_status not in (FeeStatus.FREE, FeeStatus.CHARGED):
        fail("fee", _("未明确是否收费：不收费也必须明确选择“不收费”。"))
    elif guide.fee_status == FeeStatus.CHARGED and not fees:
        fail("fee", _("收费事项必须列出收费项目及其收费依据。"))
    elif guide.fee_status == FeeStatus.FREE:
        if fees:
            fail("fee", _("已选择“不收费”，但仍列有收费项目。"))
        if guide.online_payment:
            fail("fee", _("不收费事项不应开通网上支付。"))
    for fee in fees:
        standard = fee.fee_standard
        if standard is not None and not standard.in_force:
            fail("fee", _("收费项目“%(name)s”的收费标准已停止执行。") % {"name": standard.name})

    # 6. Legal bases
    bases = [link.legal_basis for link in _rows(guide, "legal_bases") if link.legal_basis_id]
    if not bases:
        fail("basis", _("未关联法律或政策依据。"))
    for basis in bases:
        if basis.status == BasisStatus.REPEALED:
            fail(
                "basis",
                _("引用的依据《%(title)s》已废止，请更换为现行有效的依据。")
                % {"title": basis.title},
            )

    # The result
    if not guide.result_type:
        fail("result", _("未选择办理结果类型。"))
    elif guide.result_type != ResultType.NONE:
        if not (guide.result_name or "").strip():
            fail("result", _("未填写办理结果名称。"))
        if not guide.result_sample_id:
            fail("result", _("有办理结果的事项应上传结果样本。"))
        if not guide.result_delivery:
            fail("result", _("未选择结果送达方式。"))

    # Place, hours and phones
    if not guide.effective_place:
        fail("contact", _("未填写办理地点（本指南和所属乡镇均未填写）。"))
    if not guide.effective_hours:
        fail("contact", _("未填写办理时间。"))
    consultation = guide.effective_consultation_phone
    supervision = guide.effective_supervision_phone
    if not consultation:
        fail("contact", _("未填写咨询电话。"))
    elif not phone_has_area_code(consultation):
        fail("contact", _("咨询电话格式不正确，固定电话须带区号。"))
    if not supervision:
        fail("contact", _("未填写监督投诉电话。"))
    elif not phone_has_area_code(supervision):
        fail("contact", _("监督投诉电话格式不正确，固定电话须带区号。"))
    if (
        consultation
        and supervision
        and consultation.replace(" ", "") == supervision.replace(" ", "")
    ):
        fail("contact", _("咨询电话与监督投诉电话不能相同。"))

    return problems


def publish_blockers(guide):
    """The reasons, in Chinese, why this guide cannot go live; empty when it can."""
    return [reason for _key, reason in check_guide(guide)]


def missing_disclosures(guide):
    """The names of the disclosures this guide does not yet satisfy (for reviewers and the API)."""
    keys = []
    for key, _reason in check_guide(guide):
        if key not in keys:
            keys.append(key)
    return [DISCLOSURES[key] for key in keys]


def withhold_blocked_scheduled_guides(now=None):
    """Take due guide revisions that the gate now refuses off the publishing schedule.

    A guide scheduled while complete can become incomplete before it goes live (its legal basis
    repealed, its item suspended). Wagtail's ``publish_scheduled`` would stop at the first
    ``PublishBlocked``; this runs first and returns ``[(revision, reasons)]`` for what it withheld.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Revision

    from .models import ServiceGuidePage

    due = Revision.objects.filter(
        approved_go_live_at__lt=now or timezone.now(),
        content_type=ContentType.objects.get_for_model(ServiceGuidePage),
    )
    withheld = []
    for revision in due:
        reasons = publish_blockers(revision.as_object())
        if reasons:
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            withheld.append((revision, reasons))
    return withheld
