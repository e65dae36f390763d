"""The reviewer's two actions on a live guide: mark it reviewed, or send it back with a comment.

Sending back tells the township: its editors and center head see the guide, the comment and
who sent it on their admin dashboard (``guides.transparency.panels``) until the guide is
published again, and those with an e-mail address get it by e-mail. Neither action changes the
guide: reviewers hold no page permission.
"""

import logging
from dataclasses import dataclass, field
from smtplib import SMTPException
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import GuideReview, ReviewDecision
from .access import BOARD_ROLES, can_review

logger = logging.getLogger(__name__)


class ReviewError(ValueError):
    """The review cannot be recorded; the message says why, in Chinese."""


@dataclass
class Notification:
    recipients: list = field(default_factory=list)
    sent: bool = False
    error: str = ""


def township_staff(township, roles=BOARD_ROLES):
    """Active users in the township's groups of these roles (editors and head by default)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__township_role__township=township,
            groups__township_role__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )


def staff_addresses(township, roles=BOARD_ROLES):
    return sorted({user.email for user in township_staff(township, roles) if user.email})


def _check(guide, user):
    if not can_review(user):
        raise PermissionDenied
    if not guide.live:
        raise ReviewError(_("只能审查已发布的办事指南。"))


def mark_reviewed(guide, user, comment=""):
    """Record that ``user`` reviewed the live version of ``guide``."""
    _check(guide, user)
    return GuideReview.objects.create(
        guide=guide,
        revision_id=guide.live_revision_id,
        reviewer=user,
        decision=ReviewDecision.REVIEWED,
        comment=(comment or "").strip(),
    )


def send_back(guide, user, comment):
    """Send ``guide`` back to its township with ``comment``; returns (review, notification)."""
    _check(guide, user)
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError(_("退回修改必须填写审查意见，写明需要修改的内容。"))
    review = GuideReview.objects.create(
        guide=guide,
        revision_id=guide.live_revision_id,
        reviewer=user,
        decision=ReviewDecision.SENT_BACK,
        comment=comment,
    )
    return review, notify_sent_back(review)


def admin_url(path):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return urljoin(base.rstrip("/") + "/", path.lstrip("/")) if base else path


def notify_sent_back(review):
    """E-mail the township's editors and head who have an address. Failures are logged and
    reported back (the review itself is kept: the dashboard shows it anyway)."""
    guide = review.guide
    township = guide.township
    if township is None:
        return Notification()
    recipients = staff_addresses(township)
    if not recipients:
        return Notification()
    context = {
        "review": review,
        "guide": guide,
        "township": township,
        "reviewer_name": reviewer_name(review.reviewer),
        "edit_url": admin_url(reverse("wagtailadmin_pages:edit", args=[guide.pk])),
    }
    subject = " ".join(
        render_to_string("guides/transparency/email/sent_back_subject.txt", context).split()
    )
    body = render_to_string("guides/transparency/email/sent_back.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except (SMTPException, OSError) as error:
        logger.warning("Sent-back notice for guide %s not e-mailed: %s", guide.pk, error)
        return Notification(recipients=recipients, sent=False, error=str(error))
    return Notification(recipients=recipients, sent=True)


def reviewer_name(user):
    if user is None:
        return _("（已删除的用户）")
    return user.get_full_name().strip() or user.get_username()
