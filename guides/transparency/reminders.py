"""Reminders to townships (``manage.py transparency_reminders``, run daily from cron).

A township is reminded when it has live guides not reviewed within the review period, changes
not published within 20 working days, or postings past their posting period; at most once every
``TRANSPARENCY_REMINDER_INTERVAL_DAYS`` (7) days. Each reminder is recorded
(``ReviewReminder``: what it listed and to whom) and e-mailed to the township's editors and
center head who have an address. The same items are on their dashboard all along.
"""

import datetime
import logging
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import ReviewReminder
from . import conf
from .report import build_reports
from .reviews import admin_url, staff_addresses

logger = logging.getLogger(__name__)


@dataclass
class ReminderResult:
    township: object
    stale: int
    late: int
    notices: int
    recipients: list = field(default_factory=list)
    skipped: bool = False  # reminded within the interval
    sent: bool = False
    error: str = ""
    reminder: ReviewReminder | None = None


def _items(rows):
    return [{"id": row.guide.pk, "title": row.guide.title} for row in rows]


def _render(report, stale, late, notices):
    context = {
        "township": report.township,
        "stale": stale,
        "late": late,
        "notices": notices,
        "period_days": report.period_days,
        "working_days": conf.publish_within_working_days(),
        "board_url": admin_url(
            reverse("guides_transparency:township", args=[report.township.code])
        ),
    }
    subject = " ".join(
        render_to_string("guides/transparency/email/reminder_subject.txt", context).split()
    )
    body = render_to_string("guides/transparency/email/reminder.txt", context)
    return subject, body


def send_reminders(townships=None, now=None, interval_days=None, force=False, dry_run=False):
    """Remind every township that has something to do; returns a ``ReminderResult`` each."""
    now = now or timezone.now()
    if interval_days is None:
        interval_days = conf.reminder_interval_days()
    since = now - datetime.timedelta(days=interval_days)
    results = []
    for report in build_reports(townships, now=now):
        stale, late, notices = report.rows("stale"), report.rows("late"), report.notices
        if not (stale or late or notices):
            continue
        township = report.township
        result = ReminderResult(
            township=township,
            stale=len(stale),
            late=len(late),
            notices=len(notices),
            recipients=staff_addresses(township),
        )
        results.append(result)
        recent = ReviewReminder.objects.filter(township=township, created_at__gte=since)
        if not force and recent.exists():
            result.skipped = True
            continue
        if dry_run:
            continue
        subject, body = _render(report, stale, late, notices)
        result.reminder = ReviewReminder.objects.create(
            township=township,
            created_at=now,
            stale_guides=_items(stale),
            late_guides=_items(late),
            expired_notices=[{"id": r.notice.pk, "title": r.notice.title} for r in notices],
            recipients=", ".join(result.recipients),
            message=body,
        )
        if not result.recipients:
            continue
        try:
            send_mail(subject, body, None, result.recipients)
        except (SMTPException, OSError) as error:
            logger.warning("Transparency reminder to %s not e-mailed: %s", township.code, error)
            result.error = str(error)
        else:
            result.sent = True
    return results
