"""The demo guides: each content dict becomes a published guide in every demo township.

Guides are found again by (township, item). New guides are saved as drafts, their rows are
inserted in bulk, every one is checked by the publish gate (``publish_blockers``) and only then
published in bulk with one revision each (``tree.publish_in_bulk``). A guide the gate refuses
stops the load: demo content must be complete.
"""

from .. import factories
from ..models import (
    GuideCondition,
    GuideFAQ,
    GuideFee,
    GuideLegalBasis,
    GuideMaterial,
    GuideStep,
    ServiceGuidePage,
    ServiceItem,
)
from ..models.choices import FeeStatus, OnlineDepth, ServiceObject
from ..publishing import publish_blockers
from ..text import pinyin_slug
from .constants import ONLINE_URL
from .places import unique_slug
from .sources import read_catalog_codes
from .tree import ChildAppender, publish_in_bulk


class DemoContentError(Exception):
    """The demo content does not fit the catalog or the publish gate."""


def resolve_items(contents):
    """Content item name → ServiceItem, matched by exact name in the catalog file.

    The name must occur exactly once in the file; the item is then found by its local code.
    """
    codes = read_catalog_codes()
    problems = []
    for content in contents:
        found = codes.get(content["item"], [])
        if len(found) != 1:
            problems.append(f"{content['item']}: {len(found)} catalog rows carry this name")
    if problems:
        raise DemoContentError("; ".join(problems))
    wanted = {codes[c["item"]][0]: c["item"] for c in contents}
    items = {
        wanted[item.local_code]: item
        for item in ServiceItem.objects.filter(local_code__in=list(wanted))
    }
    missing = [name for name in wanted.values() if name not in items]
    if missing:
        raise DemoContentError(
            "Catalog items not in the database (import the catalog first): " + "、".join(missing)
        )
    return items


def guide_fields(content, item, window, samples):
    """Field values of the page (not its rows) from one content dict."""
    statutory_value, statutory_unit, statutory_note = content["statutory"]
    promised_value, promised_unit, promised_note = content["promised"]
    visits, visits_reason = content["visits"]
    channels = content["channels"]
    modes = content.get("modes", set())
    appointment_days, appointment_quota = content.get("appointment") or ("", None)
    result = content["result"]
    return {
        "title": item.name,
        "item": item,
        "summary": content["summary"],
        "is_demo": True,
        "service_objects": content.get("service_objects", [ServiceObject.PERSON]),
        "applicant_scope": content["applicant_scope"],
        "quantity_limit": content.get("quantity_limit", ""),
        "township_role": content["role"],
        "deciding_body": content["deciding_body"],
        "review_standard": content.get("review_standard", ""),
        "statutory_limit_value": statutory_value,
        "statutory_limit_unit": statutory_unit,
        "statutory_limit_note": statutory_note,
        "promised_limit_value": promised_value,
        "promised_limit_unit": promised_unit,
        "promised_limit_note": promised_note,
        "special_procedures": content.get("special_procedures", ""),
        "handling_class": content["handling_class"],
        "max_visits": visits,
        "visits_reason": visits_reason,
        "channel_window": "window" in channels,
        "channel_online": "online" in channels,
        "channel_post": "post" in channels,
        "online_depth": content.get("online_depth", OnlineDepth.NONE),
        "online_url": content.get("online_url", ONLINE_URL) if "online" in channels else "",
        "appointment_available": bool(appointment_days),
        "appointment_days": appointment_days,
        "appointment_daily_quota": appointment_quota,
        "online_payment": content.get("online_payment", False),
        "postal_delivery": content.get("postal_delivery", False),
        "self_service": content.get("self_service", False),
        "mode_home_visit": "home_visit" in modes,
        "mode_proxy": "proxy" in modes,
        "mode_mobile_van": "van" in modes,
        "mode_green_channel": "green" in modes,
        "service_mode_note": content.get("mode_note", ""),
        "fee_status": FeeStatus.CHARGED if content["fees"] else FeeStatus.FREE,
        "result_name": result["name"],
        "result_type": result["type"],
        "result_delivery": list(result["delivery"]),
        "result_sample": samples[result["type"]],
        "result_publicity": result.get("publicity", ""),
        "window": window,
    }


def guide_rows(content, legal_bases, fee_standards):
    """The guide's rows, unsaved, per child relation."""
    return {
        "conditions": [GuideCondition(text=text) for text in content["conditions"]],
        "steps": [GuideStep(**fields) for fields in content["steps"]],
        "materials": [GuideMaterial(**fields) for fields in content["materials"]],
        "fees": [
            GuideFee(fee_standard=fee_standards[key], note=note) for key, note in content["fees"]
        ],
        "legal_bases": [GuideLegalBasis(legal_basis=legal_bases[key]) for key in content["bases"]],
        "faqs": [GuideFAQ(question=q, answer=a) for q, a in content["faqs"]],
    }


ROW_MODELS = {
    "conditions": GuideCondition,
    "steps": GuideStep,
    "materials": GuideMaterial,
    "fees": GuideFee,
    "legal_bases": GuideLegalBasis,
    "faqs": GuideFAQ,
}


def existing_guides(townships):
    """The (township pk, item pk) pairs that already have a guide."""
    by_path = {t.path: t.pk for t in townships}
    depth = next(iter(townships)).depth if townships else 0
    pairs = set()
    rows = ServiceGuidePage.objects.filter(depth=depth + 1).values_list("path", "item_id")
    for path, item_id in rows:
        township_pk = by_path.get(path[: len(path) - ServiceGuidePage.steplen])
        if township_pk:
            pairs.add((township_pk, item_id))
    return pairs


def ensure_guides(townships, windows, references, samples, used_slugs, contents):
    """Create and publish the missing guides; returns the new pages.

    ``townships``: code → TownshipPage; ``windows``: code → window key → ServiceWindow;
    ``references``: (legal bases by key, fee standards by key); ``used_slugs``: code → slugs.
    """
    legal_bases, fee_standards = references
    items = resolve_items(contents)
    done = existing_guides(list(townships.values()))
    pages, rows = [], []
    for code, township in townships.items():
        with ChildAppender(township) as appender:
            for content in contents:
                item = items[content["item"]]
                if (township.pk, item.pk) in done:
                    continue
                fields = guide_fields(content, item, windows[code][content["window"]], samples)
                page = factories.ServiceGuidePageFactory.build(**fields)
                page.slug = unique_slug(pinyin_slug(item.name), used_slugs[code])
                page.live = False
                page.__dict__["township"] = township  # prime the cached ancestor lookup
                appender.add(page)
                pages.append(page)
                rows.append(guide_rows(content, legal_bases, fee_standards))
    _insert_rows(pages, rows)
    refused = []
    for page in pages:
        reasons = publish_blockers(page)
        if reasons:
            refused.append(f"{page.township.title}·{page.title}: {'；'.join(reasons)}")
    if refused:
        raise DemoContentError("The publish gate refuses demo guides: " + " | ".join(refused))
    publish_in_bulk(pages)
    return pages


def _insert_rows(pages, rows):
    """Insert every page's rows in bulk, then hold them in memory on the page as saved."""
    for relation, model in ROW_MODELS.items():
        batch = []
        for page, page_rows in zip(pages, rows, strict=True):
            for order, row in enumerate(page_rows[relation]):
                row.guide_id = page.pk
                row.sort_order = order
                batch.append(row)
        model.objects.bulk_create(batch, batch_size=500)
    for page, page_rows in zip(pages, rows, strict=True):
        for relation, relation_rows in page_rows.items():
            setattr(page, relation, relation_rows)
