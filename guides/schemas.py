"""The JSON shapes of the API (django-ninja schemas) and how models map onto them.

Machine values (codes) and the Chinese labels people read are given side by side: choice
fields are either ``{"code", "label"}`` objects or a ``x`` / ``x_label`` pair, as the contract
names them. Labels go through the translation machinery, so they are Chinese (the site's
language). URLs are root-relative paths (``/guangan/guanshengzhen/...``) when served from the
site that holds the page. The functions here take already-loaded objects and run no queries of
their own beyond what their docstrings say; the endpoints in ``guides.api`` do the loading.
"""

import datetime

from ninja import Schema

from .models import ServiceGuidePage
from .models.choices import (
    BasisKind,
    BasisStatus,
    FeeStatus,
    HandlingClass,
    ItemStatus,
    ItemType,
    MaterialForm,
    MaterialNecessity,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    ResultType,
    TimeUnit,
    TownshipKind,
    TownshipRole,
)
from .models.guides import format_limit
from .publishing import missing_disclosures

# --- shapes ----------------------------------------------------------------------------------


class CodeLabel(Schema):
    code: str
    label: str


class TownshipOut(Schema):
    code: str
    name: str
    kind: str
    kind_code: str
    url: str | None
    center_name: str
    address: str
    hours: str
    consultation_phone: str
    supervision_phone: str
    guides_count: int


class TownshipList(Schema):
    count: int
    items: list[TownshipOut]


class ItemOut(Schema):
    id: int
    name: str
    local_code: str
    basic_code: str
    implementation_code: str
    item_type: str
    item_type_name: str
    department: str
    department_id: int
    main_item: str
    status: str
    status_label: str
    url: str | None


class ItemList(Schema):
    count: int
    items: list[ItemOut]


class GuideSummary(Schema):
    id: int
    title: str
    item_id: int | None
    item_name: str | None
    item_code: str | None
    township_code: str | None
    township_name: str | None
    url: str | None


class GuideList(Schema):
    count: int
    items: list[GuideSummary]


class TownshipRef(Schema):
    code: str
    name: str


class Applicant(Schema):
    service_objects: list[CodeLabel]
    applicant_scope: str
    conditions: list[str]
    quantity_limit: str
    township_role: CodeLabel | None
    deciding_body: str
    review_standard: str


class StepTimeLimit(Schema):
    value: int | None
    unit: str
    unit_label: str
    display: str


class Step(Schema):
    name: str
    actor: str
    time_limit: StepTimeLimit
    standard: str
    result: str


class Procedure(Schema):
    steps: list[Step]


class Material(Schema):
    name: str
    material_type: str
    material_type_label: str
    material_form: str
    material_form_label: str
    copies: int
    necessity: str
    necessity_label: str
    source: str
    source_label: str
    issuing_body: str
    paper_size: str
    notes: str
    acceptance_standard: str
    blank_form_url: str | None
    sample_url: str | None


class TimeLimit(Schema):
    value: int | None
    unit: str
    unit_label: str
    display: str
    note: str


class Channels(Schema):
    window: bool
    online: bool
    post: bool


class Appointment(Schema):
    available: bool
    days: str
    daily_quota: int | None


class ServiceModes(Schema):
    home_visit: bool
    proxy: bool
    mobile_van: bool
    green_channel: bool
    note: str


class Commitment(Schema):
    statutory_limit: TimeLimit
    promised_limit: TimeLimit
    special_procedures: str
    handling_class: CodeLabel | None
    max_visits: int | None
    visits_reason: str
    channels: Channels
    online_depth: CodeLabel
    online_url: str
    appointment: Appointment
    online_payment: bool
    postal_delivery: bool
    self_service: bool
    service_modes: ServiceModes


class FeeItem(Schema):
    name: str
    amount: str
    unit: str
    basis_document: str
    issuing_authority: str
    reducible: bool
    reduction_note: str
    in_force: bool
    note: str


class Fee(Schema):
    status: str
    status_label: str
    items: list[FeeItem]


class LegalBasisOut(Schema):
    title: str
    kind: str
    kind_label: str
    issuing_authority: str
    document_number: str
    article: str
    clause_text: str
    status: str
    status_label: str
    effective_date: datetime.date | None
    note: str


class Result(Schema):
    name: str
    type: CodeLabel | None
    delivery: list[CodeLabel]
    sample_url: str | None
    publicity: str


class Window(Schema):
    number: str
    name: str


class Contact(Schema):
    place: str
    hours: str
    window: Window | None
    consultation_phone: str
    supervision_phone: str


class Remedies(Schema):
    reconsideration_body: str
    litigation_court: str


class FAQ(Schema):
    question: str
    answer: str


class GuideDetail(Schema):
    id: int
    title: str
    url: str | None
    township: TownshipRef | None
    item: ItemOut | None
    summary: str
    is_demo: bool
    applicant: Applicant
    procedure: Procedure
    materials: list[Material]
    commitment: Commitment
    fee: Fee
    legal_bases: list[LegalBasisOut]
    result: Result
    contact: Contact
    remedies: Remedies
    faqs: list[FAQ]
    missing_disclosures: list[str]
    last_published_at: datetime.datetime | None


class ErrorOut(Schema):
    detail: str


# --- mapping ---------------------------------------------------------------------------------


def label(choices, value):
    """The label of a code in a choices class; the code itself if unknown, "" if blank."""
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def code_label(choices, value):
    """``{"code", "label"}``, or None when the field is blank."""
    if value in (None, ""):
        return None
    return {"code": str(value), "label": label(choices, value)}


def document_url(document):
    return document.url if document is not None else None


def township_data(township, url, guides_count):
    return {
        "code": township.code,
        "name": township.title,
        "kind": label(TownshipKind, township.kind),
        "kind_code": township.kind,
        "url": url,
        "center_name": township.display_center_name,
        "address": township.address,
        "hours": township.hours,
        "consultation_phone": township.consultation_phone,
        "supervision_phone": township.supervision_phone,
        "guides_count": guides_count,
    }


def item_data(item, url):
    """An item; ``item.department`` should be loaded with it (select_related)."""
    return {
        "id": item.pk,
        "name": item.name,
        "local_code": item.local_code,
        "basic_code": item.basic_code,
        "implementation_code": item.implementation_code,
        "item_type": item.item_type,
        "item_type_name": label(ItemType, item.item_type),
        "department": item.department.name,
        "department_id": item.department_id,
        "main_item": item.main_item,
        "status": item.status,
        "status_label": label(ItemStatus, item.status),
        "url": url,
    }


def guide_summary_data(guide, township, url):
    item = guide.item
    return {
        "id": guide.pk,
        "title": guide.title,
        "item_id": guide.item_id,
        "item_name": item.name if item else None,
        "item_code": item.local_code if item else None,
        "township_code": township.code if township else None,
        "township_name": township.title if township else None,
        "url": url,
    }


def _limit(value, unit, note=None):
    data = {
        "value": value,
        "unit": unit,
        "unit_label": label(TimeUnit, unit),
        "display": format_limit(value, unit),
    }
    if note is not None:
        data["note"] = note
    return data


def _material(material):
    return {
        "name": material.name,
        "material_type": material.material_type,
        "material_type_label": label(MaterialType, material.material_type),
        "material_form": material.material_form,
        "material_form_label": label(MaterialForm, material.material_form),
        "copies": material.copies,
        "necessity": material.necessity,
        "necessity_label": label(MaterialNecessity, material.necessity),
        "source": material.source,
        "source_label": label(MaterialSource, material.source),
        "issuing_body": material.issuing_body,
        "paper_size": material.paper_size,
        "notes": material.notes,
        "acceptance_standard": material.acceptance_standard,
        "blank_form_url": document_url(material.blank_form),
        "sample_url": document_url(material.sample),
    }


def _fee_item(link):
    standard = link.fee_standard
    return {
        "name": standard.name,
        "amount": str(standard.amount),
        "unit": standard.unit,
        "basis_document": standard.basis_document,
        "issuing_authority": standard.issuing_authority,
        "reducible": standard.reducible,
        "reduction_note": standard.reduction_note,
        "in_force": standard.in_force,
        "note": link.note,
    }


def _legal_basis(link):
    basis = link.legal_basis
    return {
        "title": basis.title,
        "kind": basis.kind,
        "kind_label": label(BasisKind, basis.kind),
        "issuing_authority": basis.issuing_authority,
        "document_number": basis.document_number,
        "article": basis.article,
        "clause_text": basis.clause_text,
        "status": basis.status,
        "status_label": label(BasisStatus, basis.status),
        "effective_date": basis.effective_date,
        "note": link.note,
    }


def guide_detail_data(guide, url, item_url):
    """Every disclosure of a guide.

    Expects the related rows prefetched (see ``guides.api.guide_detail``); reads the
    township and county once each for the effective contact and remedy values.
    """
    township = guide.township
    item = guide.item
    service_objects_field = ServiceGuidePage._meta.get_field("service_objects")
    result_delivery_field = ServiceGuidePage._meta.get_field("result_delivery")
    window = guide.window
    return {
        "id": guide.pk,
        "title": guide.title,
        "url": url,
        "township": {"code": township.code, "name": township.title} if township else None,
        "item": item_data(item, item_url) if item else None,
        "summary": guide.summary,
        "is_demo": guide.is_demo,
        "applicant": {
            "service_objects": [
                {"code": code, "label": str(text)}
                for code, text in zip(
                    guide.service_objects,
                    service_objects_field.labels(guide.service_objects),
                    strict=True,
                )
            ],
            "applicant_scope": guide.applicant_scope,
            "conditions": [c.text for c in guide.conditions.all()],
            "quantity_limit": guide.quantity_limit,
            "township_role": code_label(TownshipRole, guide.township_role),
            "deciding_body": guide.deciding_body,
            "review_standard": guide.review_standard,
        },
        "procedure": {
            "steps": [
                {
                    "name": step.name,
                    "actor": step.actor,
                    "time_limit": _limit(step.time_limit_value, step.time_limit_unit),
                    "standard": step.standard,
                    "result": step.result,
                }
                for step in guide.steps.all()
            ]
        },
        "materials": [_material(m) for m in guide.materials.all()],
        "commitment": {
            "statutory_limit": _limit(
                guide.statutory_limit_value, guide.statutory_limit_unit, guide.statutory_limit_note
            ),
            "promised_limit": _limit(
                guide.promised_limit_value, guide.promised_limit_unit, guide.promised_limit_note
            ),
            "special_procedures": guide.special_procedures,
            "handling_class": code_label(HandlingClass, guide.handling_class),
            "max_visits": guide.max_visits,
            "visits_reason": guide.visits_reason,
            "channels": {
                "window": guide.channel_window,
                "online": guide.channel_online,
                "post": guide.channel_post,
            },
            "online_depth": {
                "code": str(guide.online_depth),
                "label": label(OnlineDepth, guide.online_depth),
            },
            "online_url": guide.online_url,
            "appointment": {
                "available": guide.appointment_available,
                "days": guide.appointment_days,
                "daily_quota": guide.appointment_daily_quota,
            },
            "online_payment": guide.online_payment,
            "postal_delivery": guide.postal_delivery,
            "self_service": guide.self_service,
            "service_modes": {
                "home_visit": guide.mode_home_visit,
                "proxy": guide.mode_proxy,
                "mobile_van": guide.mode_mobile_van,
                "green_channel": guide.mode_green_channel,
                "note": guide.service_mode_note,
            },
        },
        "fee": {
            "status": guide.fee_status,
            "status_label": label(FeeStatus, guide.fee_status),
            "items": [_fee_item(link) for link in guide.fees.all()],
        },
        "legal_bases": [_legal_basis(link) for link in guide.legal_bases.all()],
        "result": {
            "name": guide.result_name,
            "type": code_label(ResultType, guide.result_type),
            "delivery": [
                {"code": code, "label": str(text)}
                for code, text in zip(
                    guide.result_delivery,
                    result_delivery_field.labels(guide.result_delivery),
                    strict=True,
                )
            ],
            "sample_url": document_url(guide.result_sample),
            "publicity": guide.result_publicity,
        },
        "contact": {
            "place": guide.effective_place,
            "hours": guide.effective_hours,
            "window": {"number": window.number, "name": window.name} if window else None,
            "consultation_phone": guide.effective_consultation_phone,
            "supervision_phone": guide.effective_supervision_phone,
        },
        "remedies": {
            "reconsideration_body": guide.effective_reconsideration_body,
            "litigation_court": guide.effective_litigation_court,
        },
        "faqs": [{"question": f.question, "answer": f.answer} for f in guide.faqs.all()],
        "missing_disclosures": missing_disclosures(guide),
        "last_published_at": guide.last_published_at,
    }
