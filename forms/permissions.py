"""Who may handle which applications: a township's clerks and center head, county-wide staff.

Staff of one township reaching another township's application or file get a 404, never a hint
that it exists (``handleable_applications`` is the only way views find an application).
"""

from guides.models import TownshipPage, TownshipRoleKind
from guides.permissions import is_county_wide

HANDLING_ROLES = (TownshipRoleKind.CLERK, TownshipRoleKind.HEAD)


def clerk_townships(user):
    """Townships whose applications the user handles (clerks and heads; county-wide: all)."""
    if not (user.is_authenticated and user.is_active):
        return TownshipPage.objects.none()
    if is_county_wide(user):
        return TownshipPage.objects.all()
    return TownshipPage.objects.filter(
        staff_groups__group__user=user, staff_groups__role__in=HANDLING_ROLES
    ).distinct()


def head_townships(user):
    """Townships whose center head the user is (rectifications of bad reviews)."""
    if not (user.is_authenticated and user.is_active):
        return TownshipPage.objects.none()
    if is_county_wide(user):
        return TownshipPage.objects.all()
    return TownshipPage.objects.filter(
        staff_groups__group__user=user, staff_groups__role=TownshipRoleKind.HEAD
    ).distinct()


def handleable_applications(user):
    from .models import Application

    return Application.objects.filter(township__in=clerk_townships(user))


def can_handle(user, application):
    return clerk_townships(user).filter(pk=application.township_id).exists()
