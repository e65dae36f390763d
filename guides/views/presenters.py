"""Display-ready values for the public templates: the templates only print what is here.

``GuidePresenter`` turns a ``ServiceGuidePage`` into the six disclosures (六公开) and the
sections after them, in the order citizens read them, with labels already resolved.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..models.choices import (
    BasisKind,
    BasisStatus,
    FeeStatus,
    HandlingClass,
    ItemType,
    MaterialForm,
    MaterialNecessity,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    ResultDelivery,
    ResultType,
    ServiceObject,
    TownshipRole,
)

# ---------------------------------------------------------------- small helpers

LANDLINE_RE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")


@dataclass(frozen=True)
class Phone:
    """A phone number as printed and as a ``tel:`` link (RFC 3966)."""

    number: str
    href: str

    def __str__(self):
        return self.number

    def __bool__(self):
        return bool(self.number)


def phone(number):
    """``Phone`` for a stored number; an empty (falsy) one for a blank number."""
    number = (number or "").strip()
    if not number:
        return Phone("", "")
    compact = number.replace(" ", "")
    match = LANDLINE_RE.match(compact)
    if match:
        area, local, extension = match.groups()
        href = f"tel:{area}{local}" + (f";ext={extension}" if extension else "")
    else:
        href = "tel:" + re.sub(r"[^\d+]", "", compact)
    return Phone(number, href)


def label(choices, value):
    """The display label of one code, or '' for a blank or unknown one."""
    if value in (None, ""):
        return ""
    try:
        return choices(value).label
    except ValueError:
        return str(value)


def labels(choices, values):
    return [label(choices, v) for v in values or [] if v not in (None, "")]


def document_url(document):
    return document.url if document is not None else ""


# ---------------------------------------------------------------- sections


@dataclass
class Section:
    """One section of a guide: an anchor id, a heading, and the include that renders it."""

    id: str
    title: str
    number: str = ""
    template: str = ""
    disclosure: bool = False
    data: dict = field(default_factory=dict)

    @property
    def heading(self):
        return f"{self.number} {self.title}" if self.number else str(self.title)


# (id, number, title) in the order of the six disclosures, then what follows them.
SIX_DISCLOSURES = [
    ("item", "①", _("办理事项与申请条件")),
    ("procedure", "②", _("办事程序")),
    ("materials", "③", _("申报材料")),
    ("commitment", "④", _("服务承诺与时限")),
    ("fee", "⑤", _("收费标准")),
    ("basis", "⑥", _("法律政策依据")),
]
AFTER_DISCLOSURES = [
    ("result", _("办理结果")),
    ("place", _("办理地点与时间")),
    ("contact", _("咨询电话与监督投诉电话")),
    ("remedy", _("救济途径")),
    ("faq", _("常见问题")),
]


class GuidePresenter:
    """Everything a guide page, its printable view and its notification slip show."""

    def __init__(self, guide):
        self.guide = guide

    # -- related rows, each fetched once with what it needs

    @cached_property
    def township(self):
        return self.guide.township

    @cached_property
    def county(self):
        return self.guide.county

    @cached_property
    def item(self):
        return self.guide.item if self.guide.item_id else None

    @cached_property
    def window(self):
        return self.guide.window if self.guide.window_id else None

    @cached_property
    def conditions(self):
        return [c.text for c in self.guide.conditions.all() if (c.text or "").strip()]

    @cached_property
    def steps(self):
        return [
            {
                "number": number,
                "name": step.name,
                "actor": step.actor,
                "time_limit": step.time_limit_display,
                "standard": step.standard,
                "result": step.result,
            }
            for number, step in enumerate(self.guide.steps.all(), start=1)
        ]

    @cached_property
    def materials(self):
        rows = self.guide.materials.select_related("blank_form", "sample")
        return [
            {
                "number": number,
                "name": m.name,
                "type": label(MaterialType, m.material_type),
                "form": label(MaterialForm, m.material_form),
                "copies": m.copies,
                "necessity": label(MaterialNecessity, m.necessity),
                "necessity_code": m.necessity,
                "source": label(MaterialSource, m.source),
                "issuing_body": m.issuing_body,
                "paper_size": m.paper_size,
                "notes": m.notes,
                "acceptance_standard": m.acceptance_standard,
                "blank_form_url": document_url(m.blank_form),
                "sample_url": document_url(m.sample),
            }
            for number, m in enumerate(rows, start=1)
        ]

    @cached_property
    def fees(self):
        return [
            {
                "name": f.fee_standard.name,
                "amount": f.fee_standard.amount,
                "unit": f.fee_standard.unit,
                "basis_document": f.fee_standard.basis_document,
                "issuing_authority": f.fee_standard.issuing_authority,
                "reducible": f.fee_standard.reducible,
                "reduction_note": f.fee_standard.reduction_note,
                "note": f.note,
            }
            for f in self.guide.fees.select_related("fee_standard")
        ]

    @cached_property
    def legal_bases(self):
        result = []
        for link in self.guide.legal_bases.select_related("legal_basis"):
            basis = link.legal_basis
            result.append(
                {
                    "title": basis.title,
                    "kind": label(BasisKind, basis.kind),
                    "issuing_authority": basis.issuing_authority,
                    "document_number": basis.document_number,
                    "article": basis.article,
                    "clause_text": basis.clause_text,
                    "status": label(BasisStatus, basis.status),
                    "status_code": basis.status,
                    "is_current": basis.is_current,
                    "status_note": basis.status_note,
                    "effective_date": basis.effective_date,
                    "note": link.note,
                }
            )
        return result

    @cached_property
    def faqs(self):
        return [{"question": f.question, "answer": f.answer} for f in self.guide.faqs.all()]

    # -- section data

    @cached_property
    def item_data(self):
        guide, item, township = self.guide, self.item, self.township
        return {
            "item_name": item.name if item else guide.title,
            "item_code": item.code if item else "",
            "item_type": label(ItemType, item.item_type) if item else "",
            "department": item.department.name if item else "",
            "summary": guide.summary,
            "service_objects": labels(ServiceObject, guide.service_objects),
            "applicant_scope": guide.applicant_scope,
            "conditions": self.conditions,
            "quantity_limit": guide.quantity_limit,
            "accepting_body": township.display_center_name if township else "",
            "township_role": label(TownshipRole, guide.township_role),
            "deciding_body": guide.deciding_body,
            "review_standard": guide.review_standard,
        }

    @cached_property
    def commitment(self):
        guide = self.guide
        channels = []
        if guide.channel_window:
            channels.append(_("窗口办理"))
        if guide.channel_online:
            channels.append(_("网上办理"))
        if guide.channel_post:
            channels.append(_("邮寄申请"))
        extras = []
        if guide.online_payment:
            extras.append(_("支持网上支付"))
        if guide.postal_delivery:
            extras.append(_("支持物流快递送达"))
        if guide.self_service:
            extras.append(_("可在自助终端办理"))
        modes = []
        if guide.mode_home_visit:
            modes.append(_("上门办理：老、弱、病、残等行动不便的群众可申请工作人员上门办理"))
        if guide.mode_proxy:
            modes.append(_("无偿代办：可由村（社区）代办员免费代为办理"))
        if guide.mode_mobile_van:
            modes.append(_("巡回流动服务：按公布的日程到村（社区）现场办理"))
        if guide.mode_green_channel:
            modes.append(_("绿色通道：重点项目、特殊困难群众优先办理"))
        return {
            "statutory_limit": guide.statutory_limit_display,
            "statutory_limit_note": guide.statutory_limit_note,
            "promised_limit": guide.promised_limit_display,
            "promised_limit_note": guide.promised_limit_note,
            "special_procedures": guide.special_procedures,
            "handling_class": label(HandlingClass, guide.handling_class),
            "max_visits": guide.max_visits,
            "visits_reason": guide.visits_reason,
            "channels": channels,
            "channel_extras": extras,
            "online_depth": label(OnlineDepth, guide.online_depth),
            "online_url": guide.online_url if guide.channel_online else "",
            "appointment_available": guide.appointment_available,
            "appointment_days": guide.appointment_days,
            "appointment_daily_quota": guide.appointment_daily_quota,
            "modes": modes,
            "service_mode_note": guide.service_mode_note,
        }

    @cached_property
    def fee(self):
        return {
            "is_free": self.guide.fee_status == FeeStatus.FREE,
            "is_charged": self.guide.fee_status == FeeStatus.CHARGED,
            "fees": self.fees,
        }

    @cached_property
    def result(self):
        guide = self.guide
        return {
            "name": guide.result_name,
            "type": label(ResultType, guide.result_type),
            "has_result": guide.result_type not in ("", ResultType.NONE),
            "delivery": labels(ResultDelivery, guide.result_delivery),
            "sample_url": document_url(guide.result_sample) if guide.result_sample_id else "",
            "publicity": guide.result_publicity,
        }

    @cached_property
    def place(self):
        guide, township, window = self.guide, self.township, self.window
        return {
            "center": township.display_center_name if township else "",
            "place": guide.effective_place,
            "hours": guide.effective_hours,
            "directions": township.directions if township else "",
            "window": (
                {"number": window.number, "name": window.name, "phone": phone(window.phone)}
                if window
                else None
            ),
        }

    @cached_property
    def phones(self):
        return {
            "consultation": phone(self.guide.effective_consultation_phone),
            "supervision": phone(self.guide.effective_supervision_phone),
        }

    @cached_property
    def remedy(self):
        guide, county = self.guide, self.county
        # The county's address and phone only belong to the county's default bodies.
        county_body = county is not None and not guide.reconsideration_body
        county_court = county is not None and not guide.litigation_court
        return {
            "reconsideration_body": guide.effective_reconsideration_body,
            "reconsideration_address": county.reconsideration_address if county_body else "",
            "reconsideration_phone": phone(county.reconsideration_phone if county_body else ""),
            "litigation_court": guide.effective_litigation_court,
            "litigation_address": county.litigation_address if county_court else "",
            "litigation_phone": phone(county.litigation_phone if county_court else ""),
        }

    @cached_property
    def sections(self):
        data = {
            "item": self.item_data,
            "procedure": {"steps": self.steps},
            "materials": {"materials": self.materials},
            "commitment": self.commitment,
            "fee": self.fee,
            "basis": {"legal_bases": self.legal_bases},
            "result": self.result,
            "place": self.place,
            "contact": self.phones,
            "remedy": self.remedy,
            "faq": {"faqs": self.faqs},
        }
        sections = [
            Section(
                id=key,
                number=number,
                title=title,
                template=f"guides/includes/guide_{key}.html",
                disclosure=True,
                data=data[key],
            )
            for key, number, title in SIX_DISCLOSURES
        ]
        sections += [
            Section(
                id=key, title=title, template=f"guides/includes/guide_{key}.html", data=data[key]
            )
            for key, title in AFTER_DISCLOSURES
            if key != "faq" or self.faqs
        ]
        return sections

    @cached_property
    def key_facts(self):
        """The four facts a citizen wants first: time, visits, fee, handling class."""
        guide = self.guide
        facts = []
        if guide.promised_limit_display:
            facts.append((_("承诺时限"), guide.promised_limit_display))
        if guide.max_visits is not None:
            facts.append(
                (_("最多跑"), _("%(n)d次") % {"n": guide.max_visits})
                if guide.max_visits
                else (_("最多跑"), _("零跑腿"))
            )
        if guide.fee_status == FeeStatus.FREE:
            facts.append((_("收费"), _("不收费")))
        elif guide.fee_status == FeeStatus.CHARGED:
            facts.append((_("收费"), _("收费（见⑤）")))
        if guide.handling_class:
            facts.append((_("办件类型"), label(HandlingClass, guide.handling_class)))
        return facts

    @cached_property
    def slip(self):
        """The one-time notification slip (一次性告知单): every material and who to ask."""
        return {
            "item_name": self.item_data["item_name"],
            "center": self.place["center"],
            "place": self.place["place"],
            "hours": self.place["hours"],
            "window": self.place["window"],
            "promised_limit": self.guide.promised_limit_display,
            "handling_class": self.commitment["handling_class"],
            "materials": self.materials,
            "phones": self.phones,
        }
