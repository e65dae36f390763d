"""Context for the county portal page."""

from ..models import TownshipPage


def portal_context(portal):
    townships = TownshipPage.objects.child_of(portal).live().order_by("code")
    popular = portal.popular_items.select_related("item")
    return {"townships": townships, "popular_items": popular}
