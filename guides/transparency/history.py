"""The public change history of a guide's disclosures (公开信息变更记录).

Each time a guide is published, ``record_snapshot`` keeps what it discloses — the handling
class, the statutory and promised limits, the most visits, the fee statement and fee items (with
the amounts in force that day), the materials and the legal bases — as a
``DisclosureSnapshot``. The history compares consecutive snapshots and says what changed, in
plain Chinese ("2026年3月1日：承诺时限由20个工作日改为15个工作日；新增材料“户口簿”").

Page views do not deserialize revisions: the snapshots are small JSON rows, and the rendered
history is cached per live revision (and language). Guides published before snapshots existed
are filled in once from their published revisions (``ensure_snapshots``); for those the fee
amounts and basis titles are the current ones, since a revision stores only the record's id.
"""

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry, Revision

from ..models import DisclosureSnapshot
from ..models.choices import (
    FeeStatus,
    HandlingClass,
    MaterialForm,
    MaterialNecessity,
    MaterialType,
)
from ..models.guides import format_limit

SNAPSHOT_VERSION = 1
CACHE_SECONDS = 24 * 3600


# --- snapshots ---------------------------------------------------------------------------------


def _related(link, name):
    try:
        return getattr(link, name)
    except ObjectDoesNotExist:  # a revision may name a record deleted since
        return None


def snapshot_data(guide):
    """What a guide discloses, as a small JSON-able dict (live page or revision object)."""
    fees = []
    for link in guide.fees.all():
        standard = _related(link, "fee_standard")
        fees.append(
            {
                "id": link.fee_standard_id,
                "name": standard.name if standard else "",
                "amount": str(standard.amount) if standard else "",
                "unit": standard.unit if standard else "",
            }
        )
    bases = []
    for link in guide.legal_bases.all():
        basis = _related(link, "legal_basis")
        bases.append(
            {
                "id": link.legal_basis_id,
                "title": basis.title if basis else "",
                "article": basis.article if basis else "",
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "handling_class": guide.handling_class,
        "statutory_limit": [guide.statutory_limit_value, guide.statutory_limit_unit],
        "promised_limit": [guide.promised_limit_value, guide.promised_limit_unit],
        "max_visits": guide.max_visits,
        "fee_status": guide.fee_status,
        "fees": fees,
        "materials": [
            {
                "name": m.name,
                "material_type": m.material_type,
                "material_form": m.material_form,
                "copies": m.copies,
                "necessity": m.necessity,
            }
            for m in guide.materials.all()
        ],
        "bases": bases,
    }


def record_snapshot(guide, revision, published_at=None):
    """Keep what ``revision`` of ``guide`` disclosed when it was published."""
    snapshot, _created = DisclosureSnapshot.objects.update_or_create(
        guide_id=guide.pk,
        revision=revision,
        defaults={
            "published_at": published_at or guide.last_published_at or timezone.now(),
            "data": snapshot_data(guide),
        },
    )
    return snapshot


def ensure_snapshots(guide):
    """Snapshot every published revision of ``guide`` that has none yet (older publications).

    Returns how many were added; 0 once done, at the cost of two small queries.
    """
    published = {}
    entries = (
        PageLogEntry.objects.filter(
            page_id=guide.pk, action="wagtail.publish", revision__isnull=False
        )
        .order_by("timestamp", "pk")
        .values_list("revision_id", "timestamp")
    )
    for revision_id, timestamp in entries:
        published.setdefault(revision_id, timestamp)
    if guide.live_revision_id and guide.live_revision_id not in published:
        published[guide.live_revision_id] = guide.last_published_at
    have = set(
        DisclosureSnapshot.objects.filter(guide_id=guide.pk).values_list("revision_id", flat=True)
    )
    missing = [pk for pk in published if pk not in have]
    if not missing:
        return 0
    revisions = Revision.objects.in_bulk(missing)
    added = 0
    for pk in missing:
        revision = revisions.get(pk)
        if revision is None:
            continue
        when = published[pk] or revision.created_at
        record_snapshot(revision.as_object(), revision, published_at=when)
        added += 1
    return added


# --- describing changes --------------------------------------------------------------------------


def _label(choices, value):
    if value in (None, ""):
        return _("未填写")
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _limit(pair):
    value, unit = (list(pair or []) + [None, ""])[:2]
    return format_limit(value, unit) or _("未填写")


def _visits(value):
    if value is None:
        return _("未填写")
    return _("%(n)d次") % {"n": value}


def _amount(fee):
    return f"{fee.get('amount', '')}{fee.get('unit', '')}"


def _basis(basis):
    return f"《{basis.get('title', '')}》{basis.get('article', '')}".strip()


MATERIAL_FIELDS = [
    ("material_type", MaterialType),
    ("material_form", MaterialForm),
    ("copies", None),
    ("necessity", MaterialNecessity),
]


def _material_field_name(key):
    return {
        "material_type": _("材料类型"),
        "material_form": _("材料形式"),
        "copies": _("份数"),
        "necessity": _("是否必要"),
    }[key]


def _material_value(key, choices, value):
    if choices is None:
        return _("%(n)d份") % {"n": value} if value is not None else _("未填写")
    return _label(choices, value)


def describe_changes(old, new):
    """What changed between two snapshots, as sentences in plain Chinese."""
    changes = []
    if old.get("handling_class") != new.get("handling_class"):
        changes.append(
            _("办件类型由“%(old)s”改为“%(new)s”")
            % {
                "old": _label(HandlingClass, old.get("handling_class")),
                "new": _label(HandlingClass, new.get("handling_class")),
            }
        )
    for key, sentence in (
        ("statutory_limit", _("法定时限由%(old)s改为%(new)s")),
        ("promised_limit", _("承诺时限由%(old)s改为%(new)s")),
    ):
        if list(old.get(key) or []) != list(new.get(key) or []):
            changes.append(sentence % {"old": _limit(old.get(key)), "new": _limit(new.get(key))})
    if old.get("max_visits") != new.get("max_visits"):
        changes.append(
            _("最多到现场次数由%(old)s改为%(new)s")
            % {"old": _visits(old.get("max_visits")), "new": _visits(new.get("max_visits"))}
        )
    if old.get("fee_status") != new.get("fee_status"):
        changes.append(
            _("收费由“%(old)s”改为“%(new)s”")
            % {
                "old": _label(FeeStatus, old.get("fee_status")),
                "new": _label(FeeStatus, new.get("fee_status")),
            }
        )

    old_fees = {fee["id"]: fee for fee in old.get("fees", [])}
    new_fees = {fee["id"]: fee for fee in new.get("fees", [])}
    for pk, fee in new_fees.items():
        before = old_fees.get(pk)
        if before is None:
            changes.append(
                _("新增收费项目“%(name)s”（%(amount)s）")
                % {"name": fee["name"], "amount": _amount(fee)}
            )
        elif _amount(before) != _amount(fee):
            changes.append(
                _("收费项目“%(name)s”由%(old)s改为%(new)s")
                % {"name": fee["name"], "old": _amount(before), "new": _amount(fee)}
            )
    for pk, fee in old_fees.items():
        if pk not in new_fees:
            changes.append(_("取消收费项目“%(name)s”") % {"name": fee["name"]})

    old_materials = {m["name"]: m for m in old.get("materials", [])}
    new_materials = {m["name"]: m for m in new.get("materials", [])}
    for name, material in new_materials.items():
        before = old_materials.get(name)
        if before is None:
            changes.append(_("新增材料“%(name)s”") % {"name": name})
            continue
        for key, choices in MATERIAL_FIELDS:
            if before.get(key) != material.get(key):
                changes.append(
                    _("材料“%(name)s”的%(field)s由“%(old)s”改为“%(new)s”")
                    % {
                        "name": name,
                        "field": _material_field_name(key),
                        "old": _material_value(key, choices, before.get(key)),
                        "new": _material_value(key, choices, material.get(key)),
                    }
                )
    for name in old_materials:
        if name not in new_materials:
            changes.append(_("删除材料“%(name)s”") % {"name": name})

    old_bases = {basis["id"]: basis for basis in old.get("bases", [])}
    new_bases = {basis["id"]: basis for basis in new.get("bases", [])}
    for pk, basis in new_bases.items():
        if pk not in old_bases:
            changes.append(_("新增依据%(basis)s") % {"basis": _basis(basis)})
    for pk, basis in old_bases.items():
        if pk not in new_bases:
            changes.append(_("删除依据%(basis)s") % {"basis": _basis(basis)})
    return changes


def date_display(day):
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def _entry(day, changes):
    return {
        "date": day,
        "date_display": date_display(day),
        "changes": changes,
        "sentence": date_display(day) + _("：") + _("；").join(changes),
    }


def build_history(snapshots):
    """Entries, newest first, for snapshots in publication order; publications that changed none
    of the disclosures followed here are left out."""
    entries = []
    previous = None
    for snapshot in snapshots:
        if previous is None:
            changes = [_("首次发布")]
        else:
            changes = describe_changes(previous.data, snapshot.data)
        if changes:
            entries.append(_entry(timezone.localdate(snapshot.published_at), changes))
        previous = snapshot
    entries.reverse()
    return entries


def change_history(guide):
    """The public change history of a live guide, cached per live revision and language."""
    published = guide.last_published_at.timestamp() if guide.last_published_at else ""
    key = f"transparency:history:{guide.pk}:{guide.live_revision_id}:{published}:{get_language()}"
    entries = cache.get(key)
    if entries is None:
        ensure_snapshots(guide)
        snapshots = DisclosureSnapshot.objects.filter(guide_id=guide.pk).order_by(
            "published_at", "pk"
        )
        entries = build_history(snapshots)
        cache.set(key, entries, CACHE_SECONDS)
    return entries


def pending_changes(guide):
    """What the latest draft would change in the live disclosures (for reviewers)."""
    if not (guide.live and guide.has_unpublished_changes):
        return []
    latest = guide.get_latest_revision()
    if latest is None or latest.pk == guide.live_revision_id:
        return []
    return describe_changes(snapshot_data(guide), snapshot_data(latest.as_object()))
