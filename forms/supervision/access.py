"""Who sees which townships on the board and which complaints.

- superusers, county administrators (``is_county_wide``) and the reviewers (公开审查员): every
  township;
- a township's window clerks and center head: their own township only (``clerk_townships``).

Replying to a complaint: the township's clerks and head, and county-wide staff; reviewers
read only. Another township's complaint is a 404, never a hint that it exists.
"""

from guides.models import TownshipPage
from guides.permissions import REVIEWER_GROUP, is_county_wide

from ..permissions import clerk_townships


def is_reviewer(user):
    if not (user.is_authenticated and user.is_active):
        return False
    cache = getattr(user, "_supervision_reviewer", None)
    if cache is None:
        cache = user._supervision_reviewer = user.groups.filter(name=REVIEWER_GROUP).exists()
    return cache


def sees_all_townships(user):
    return is_county_wide(user) or is_reviewer(user)


def board_townships(user):
    """The townships whose figures and complaints the user may see."""
    if sees_all_townships(user):
        return TownshipPage.objects.all()
    return clerk_townships(user)


def can_view_board(user):
    return sees_all_townships(user) or clerk_townships(user).exists()


def complaint_townships(user):
    return board_townships(user)


def reply_townships(user):
    """Townships whose complaints the user may answer (clerks, heads, county-wide staff)."""
    return clerk_townships(user)


def can_reply(user, complaint):
    return reply_townships(user).filter(pk=complaint.township_id).exists()
