"""Drafts: abandoned ones and their files are removed after the retention period."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from forms.drafts import purge_abandoned
from forms.models import Draft
from forms.private_storage import private_storage, save_private
from forms.uploads import clean_upload
from tests.forms.files import jpeg_upload

pytestmark = pytest.mark.django_db


def draft_with_file(guide, age_days):
    name = save_private(clean_upload(jpeg_upload()), "drafts")
    draft = Draft.objects.create(
        guide=guide,
        data={"step": "m-1", "step_files": {"m-1": {"m-1-file": {"stored_name": name}}}},
    )
    Draft.objects.filter(pk=draft.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=age_days)
    )
    return draft, name


def test_abandoned_drafts_and_their_files_are_removed(online_guide, settings):
    settings.APPLICATIONS_DRAFT_RETENTION_DAYS = 30
    old, old_file = draft_with_file(online_guide, 31)
    fresh, fresh_file = draft_with_file(online_guide, 29)
    assert purge_abandoned() == 1
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert not private_storage().exists(old_file)
    assert Draft.objects.filter(pk=fresh.pk).exists() and private_storage().exists(fresh_file)


def test_submitted_drafts_keep_the_application_files(online_guide, make_application):
    application = make_application()
    draft, name = draft_with_file(online_guide, 40)
    Draft.objects.filter(pk=draft.pk).update(status="submitted", application=application)
    out = io.StringIO()
    call_command("purge_drafts", stdout=out)
    assert "Removed 1 draft" in out.getvalue()
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert private_storage().exists(name)  # now the application's file


def _updated_at(draft):
    return Draft.objects.values_list("updated_at", flat=True).get(pk=draft.pk)


def test_showing_a_step_again_writes_nothing(client, online_guide):
    from tests.forms.test_wizard import start, step_url

    draft = start(client, online_guide)
    assert client.get(step_url(draft, "applicant")).status_code == 200
    written = _updated_at(draft)
    data = Draft.objects.get(pk=draft.pk).data
    assert client.get(step_url(draft, "applicant")).status_code == 200
    assert _updated_at(draft) == written
    assert Draft.objects.get(pk=draft.pk).data == data


def test_a_changed_step_is_written(client, online_guide):
    from tests.forms.conftest import valid_id_number
    from tests.forms.test_wizard import post_step, start

    draft = start(client, online_guide)
    answers = {"name": "张秀英", "id_number": valid_id_number(), "mobile": "13812345678"}
    assert post_step(client, draft, "applicant", answers).status_code == 302
    stored = Draft.objects.get(pk=draft.pk).data
    assert stored["step_data"]["applicant"]["applicant-name"] == ["张秀英"]
    assert stored["step"] == "address"


def test_a_draft_in_use_is_touched_so_it_is_not_purged(client, online_guide):
    from tests.forms.test_wizard import start, step_url

    draft = start(client, online_guide)
    client.get(step_url(draft, "applicant"))
    old = timezone.now() - datetime.timedelta(days=29)
    Draft.objects.filter(pk=draft.pk).update(updated_at=old)
    assert client.get(step_url(draft, "applicant")).status_code == 200
    assert _updated_at(draft) > timezone.now() - datetime.timedelta(minutes=1)
