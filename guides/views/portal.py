"""Context for the county portal page."""

from django.utils.translation import gettext_lazy as _

from ..models import TownshipPage
from ..models.choices import TownshipKind

# The order the portal shows the kinds of township in, with the heading of each group.
KIND_GROUPS = [
    (TownshipKind.SUBDISTRICT, _("街道")),
    (TownshipKind.TOWN, _("镇")),
    (TownshipKind.TOWNSHIP, _("乡")),
]


def group_townships(townships):
    """[{"kind", "label", "townships"}] for each kind that has a township, in code order."""
    by_kind = {}
    for township in townships:
        by_kind.setdefault(township.kind, []).append(township)
    return [
        {"kind": kind, "label": label, "townships": by_kind[kind]}
        for kind, label in KIND_GROUPS
        if by_kind.get(kind)
    ]


def catalog_url(portal):
    return portal.url + portal.reverse_subpage("catalog")


def catalog_item_url(portal, item_id):
    return portal.url + portal.reverse_subpage("catalog_item", args=[item_id])


def portal_context(portal):
    townships = list(TownshipPage.objects.child_of(portal).live().public().order_by("code"))
    popular = [
        {"label": p.label or p.item.name, "url": catalog_item_url(portal, p.item_id)}
        for p in portal.popular_items.select_related("item")
    ]
    return {
        "townships": townships,
        "township_groups": group_townships(townships),
        "popular_items": popular,
        "catalog_url": catalog_url(portal),
    }
