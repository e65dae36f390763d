"""Settings of the transparency features, each with its default (docs/transparency.md)."""

from django.conf import settings

# A live guide not reviewed for this many days is "not reviewed within the period".
DEFAULT_REVIEW_PERIOD_DAYS = 180
# Proactive disclosure within 20 working days of the information being created or changed
# (政府信息公开条例 2019, art. 26).
DEFAULT_PUBLISH_WITHIN_WORKING_DAYS = 20
# ``transparency_reminders`` reminds a township at most once in this many days.
DEFAULT_REMINDER_INTERVAL_DAYS = 7


def review_period_days():
    return int(getattr(settings, "TRANSPARENCY_REVIEW_PERIOD_DAYS", DEFAULT_REVIEW_PERIOD_DAYS))


def publish_within_working_days():
    return int(
        getattr(
            settings,
            "TRANSPARENCY_PUBLISH_WITHIN_WORKING_DAYS",
            DEFAULT_PUBLISH_WITHIN_WORKING_DAYS,
        )
    )


def reminder_interval_days():
    return int(
        getattr(settings, "TRANSPARENCY_REMINDER_INTERVAL_DAYS", DEFAULT_REMINDER_INTERVAL_DAYS)
    )
