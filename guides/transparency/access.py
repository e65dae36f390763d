"""Who sees the disclosure board and who may review.

- Transparency reviewers (group "公开审查员", permission ``guides.review_disclosures``) and
  superusers: every township; they mark guides reviewed or send them back.
- County administrators (``guides.manage_all_townships``): every township, read only (they edit
  content, so they do not review it; add them to "公开审查员" as well to let them review).
- Township editors and center heads: their own townships' rows, read only, so they see what
  their township still has to fix. Window clerks: not at all.
"""

from ..models import TownshipPage, TownshipRoleKind
from ..permissions import REVIEW_DISCLOSURES as REVIEW_PERMISSION
from ..permissions import is_county_wide

BOARD_ROLES = (TownshipRoleKind.EDITOR, TownshipRoleKind.HEAD)


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_review(user):
    """Mark guides reviewed or send them back (reviewers and superusers)."""
    return _active(user) and user.has_perm(REVIEW_PERMISSION)


def sees_all_townships(user):
    return can_review(user) or is_county_wide(user)


def board_townships(user):
    """The live townships whose rows the user may see on the board (none: no board)."""
    if not _active(user):
        return TownshipPage.objects.none()
    townships = TownshipPage.objects.live().order_by("code")
    if sees_all_townships(user):
        return townships
    return townships.filter(
        staff_groups__group__user=user, staff_groups__role__in=BOARD_ROLES
    ).distinct()


def can_see_board(user):
    return board_townships(user).exists()


def can_see_township(user, township):
    return board_townships(user).filter(pk=township.pk).exists()
