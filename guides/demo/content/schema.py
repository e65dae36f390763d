"""The shape of one demo guide's content, and helpers to write it briefly.

A guide is a dict with these keys (all text is what citizens read, in Chinese):

``item``               exact catalog name (``item_name`` in the shared catalog)
``summary``            what the item is, ending with the demo mark
``applicant_scope``    who may apply
``service_objects``    ServiceObject codes (default: natural persons)
``conditions``         2–5 conditions (受理条件)
``quantity_limit``     optional
``role``               TownshipRole: what the township center does
``deciding_body``      the real county body that decides
``review_standard``    optional
``statutory``          (value, TimeUnit, note) — value None for ``ON_THE_SPOT``
``promised``           (value, TimeUnit, note)
``special_procedures`` optional: procedures not counted in the limits
``handling_class``     HandlingClass (即办件 exactly when promised on the spot)
``visits``             (most visits, reason)
``channels``           subset of {"window", "online", "post"}
``online_depth``       OnlineDepth (default NONE)
``appointment``        optional (days, daily quota)
``postal_delivery``, ``self_service``, ``online_payment``  optional booleans
``modes``              subset of {"proxy", "home_visit", "van", "green"}
``mode_note``          optional
``fees``               list of (fee key in references.FEE_STANDARDS, note); empty = free
``steps``              list of ``step(...)``
``materials``          list of ``material(...)``
``bases``              list of legal basis keys in references.LEGAL_BASES
``result``             dict: name, type (ResultType), delivery (list of ResultDelivery), publicity
``faqs``               list of (question, answer)
``window``             window key: "assistance", "affairs" or "insurance"
"""

from ...models.choices import (
    MaterialForm,
    MaterialNecessity,
    MaterialSource,
    MaterialType,
    TimeUnit,
)

WD = TimeUnit.WORKING_DAYS
ND = TimeUnit.NATURAL_DAYS
SPOT = TimeUnit.ON_THE_SPOT

ON_THE_SPOT = (None, SPOT, "材料齐全、符合条件的当场办结")

CENTER = "乡镇便民服务中心"
VILLAGE_COMMITTEE = "村（居）民委员会"
TOWNSHIP_GOV = "乡镇人民政府（街道办事处）"

REQUIRED = MaterialNecessity.REQUIRED
OPTIONAL = MaterialNecessity.OPTIONAL
DEFERRABLE = MaterialNecessity.DEFERRABLE


def step(name, actor, value=None, unit=WD, standard="", result=""):
    """One procedure step; ``value`` is ignored for on-the-spot steps."""
    return {
        "name": name,
        "actor": actor,
        "time_limit_value": None if unit == SPOT else value,
        "time_limit_unit": unit,
        "standard": standard,
        "result": result,
    }


def material(
    name,
    *,
    kind=MaterialType.ORIGINAL,
    form=MaterialForm.PAPER,
    copies=1,
    necessity=REQUIRED,
    source=MaterialSource.APPLICANT,
    issuing_body="",
    notes="",
    acceptance="",
    paper_size="A4",
):
    """One row of the materials table (申报材料); certificates and cards have no paper size."""
    return {
        "name": name,
        "material_type": kind,
        "material_form": form,
        "copies": copies,
        "necessity": necessity,
        "source": source,
        "issuing_body": issuing_body,
        "notes": notes,
        "acceptance_standard": acceptance,
        "paper_size": paper_size,
    }


def id_card(who="申请人"):
    return material(
        f"{who}居民身份证",
        paper_size="",
        source=MaterialSource.GOVERNMENT,
        issuing_body="公安机关",
        notes="原件现场核验后退回，无需复印",
        acceptance="证件真实有效、在有效期内",
    )


def household_book(who=""):
    return material(
        f"{who}居民户口簿",
        paper_size="",
        source=MaterialSource.GOVERNMENT,
        issuing_body="公安机关",
        notes="原件现场核验后退回",
        acceptance="与申请人身份信息一致",
    )


def application_form(name, notes="可在窗口领取空白表格，或由工作人员、代办员协助填写"):
    return material(name, notes=notes, acceptance="内容完整、本人签字（或按手印）")


def social_security_card(notes="用于发放资金，须为本人账户"):
    return material(
        "本人社会保障卡（或银行账户）",
        kind=MaterialType.COPY,
        paper_size="",
        source=MaterialSource.GOVERNMENT,
        issuing_body="人力资源和社会保障部门",
        notes=notes,
    )


def disability_certificate(necessity=REQUIRED):
    return material(
        "中华人民共和国残疾人证（第二代）",
        necessity=necessity,
        paper_size="",
        source=MaterialSource.GOVERNMENT,
        issuing_body="县级残疾人联合会",
        notes="原件现场核验后退回",
    )


def authorisation():
    return material(
        "家庭经济状况核对授权书",
        copies=1,
        notes="共同生活的家庭成员均须签字（或按手印），授权查询存款、车辆、房产、社保等信息",
        acceptance="家庭成员签字齐全",
    )
