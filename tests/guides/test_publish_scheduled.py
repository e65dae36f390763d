"""Scheduled publishing withholds guides the gate refuses, and still publishes the rest."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from guides import factories
from guides.models import ServiceGuidePage
from guides.models.choices import BasisStatus

pytestmark = pytest.mark.django_db


def schedule(guide):
    """Schedule the guide's latest revision as an approved publish in the past (now due)."""
    guide = ServiceGuidePage.objects.get(pk=guide.pk)
    revision = guide.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=5)
    revision.save(update_fields=["approved_go_live_at"])
    ServiceGuidePage.objects.filter(pk=guide.pk).update(live=False)
    return revision


def test_blocked_guide_is_withheld_and_others_publish(township):
    blocked = factories.ServiceGuidePageFactory(parent=township)
    complete = factories.ServiceGuidePageFactory(parent=township)
    blocked_revision = schedule(blocked)
    complete_revision = schedule(complete)
    # The blocked guide's legal basis is repealed after it was scheduled.
    basis = blocked.legal_bases.first().legal_basis
    basis.status = BasisStatus.REPEALED
    basis.save()

    err = io.StringIO()
    call_command("publish_scheduled", stderr=err, stdout=io.StringIO())

    complete.refresh_from_db()
    blocked.refresh_from_db()
    blocked_revision.refresh_from_db()
    assert complete.live and complete.live_revision_id == complete_revision.pk
    assert not blocked.live
    assert blocked_revision.approved_go_live_at is None
    assert "已废止" in err.getvalue()
