"""Drafts in the database: the wizard's storage, resuming, and removing abandoned drafts.

``DraftStorage`` is a django-formtools storage backend whose data lives in a ``Draft`` row
instead of the session: a draft survives a server restart, can be resumed from another device
by its link or its short code, and keeps its uploads across back and forward. Uploaded
materials are cleaned (``forms.uploads``) before they are stored, in private storage
(``forms.private_storage``), so the stored copy is the only copy and is never re-processed.
"""

import copy
import datetime
import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from formtools.wizard.storage.base import BaseStorage

from .models import Draft, DraftStatus

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30
DRAFT_FILE_PREFIX = "drafts"
TOUCH_INTERVAL = datetime.timedelta(hours=1)


def retention_days():
    return getattr(settings, "APPLICATIONS_DRAFT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


STORED_KEYS = ("stored_name", "original_name", "content_type", "size", "sha256")


class StoredUpload:
    """A material already cleaned and kept in private storage (its metadata in the draft)."""

    def __init__(self, stored_name, original_name, content_type, size, sha256):
        self.stored_name = stored_name
        self.original_name = original_name
        self.content_type = content_type
        self.size = size
        self.sha256 = sha256

    def as_dict(self):
        return {
            "stored_name": self.stored_name,
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(**{key: data[key] for key in STORED_KEYS})

    def __eq__(self, other):
        return isinstance(other, StoredUpload) and self.stored_name == other.stored_name

    def __hash__(self):
        return hash(self.stored_name)


class StoredUploadedFile(UploadedFile):
    """What the wizard's forms receive for a material already in the draft."""

    def __init__(self, stored):
        from .private_storage import open_private

        super().__init__(
            file=open_private(stored.stored_name),
            name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
        )
        self.stored = stored


def _stored_files(data):
    for step_files in (data.get("step_files") or {}).values():
        for meta in step_files.values():
            if isinstance(meta, dict) and meta.get("stored_name"):
                yield meta["stored_name"]


class DraftStorage(BaseStorage):
    """formtools storage in a ``Draft`` row; the view sets ``request.application_draft``."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.draft = request.application_draft
        self.submitted = self.draft.status == DraftStatus.SUBMITTED
        self._replaced = []
        stored = self.draft.data or {}
        if self.step_key in stored:
            self.data = stored
        else:
            self.init_data()
        self._loaded = copy.deepcopy(self.data)

    def reset(self):
        # Files stay until the draft is purged or submitted (then they belong to the application).
        self.init_data()

    def get_step_files(self, step):
        files = {}
        for field, meta in (self.data[self.step_files_key].get(step) or {}).items():
            key = (step, field)
            if key not in self._files:
                try:
                    self._files[key] = StoredUploadedFile(StoredUpload.from_dict(meta))
                except (FileNotFoundError, KeyError):
                    logger.warning("draft %s lost its file for %s", self.draft.pk, key)
                    continue
            files[field] = self._files[key]
        return files or None

    def set_step_files(self, step, files):
        """``files`` maps field names to ``StoredUpload`` (already saved by the view)."""
        step_files = self.data[self.step_files_key].setdefault(step, {})
        for field, stored in (files or {}).items():
            previous = step_files.get(field)
            if previous and previous.get("stored_name") != stored.stored_name:
                self._replaced.append(previous["stored_name"])
            step_files[field] = stored.as_dict()

    def stored_upload(self, step, field):
        meta = (self.data[self.step_files_key].get(step) or {}).get(field)
        return StoredUpload.from_dict(meta) if meta else None

    def save(self):
        """Write the wizard's state to the draft, unless it was submitted meanwhile.

        Nothing is written when nothing changed (a page shown again) and the draft was touched
        within ``TOUCH_INTERVAL``: half of a wizard's requests write nothing, and fewer requests
        hold SQLite's write lock. A draft in use is still touched, so it is never purged as
        abandoned while someone reads it.
        """
        if self.submitted:
            return
        fresh = self.draft.updated_at and timezone.now() - self.draft.updated_at < TOUCH_INTERVAL
        if self.data == self._loaded and fresh:
            return
        now = timezone.now()
        updated = Draft.objects.filter(pk=self.draft.pk, status=DraftStatus.OPEN).update(
            data=self.data, updated_at=now
        )
        if updated:
            self.draft.updated_at = now
            self._loaded = copy.deepcopy(self.data)
            from .private_storage import delete_private

            for name in self._replaced:
                transaction.on_commit(lambda name=name: delete_private(name))
        self._replaced = []

    def update_response(self, response):
        for file in self._files.values():
            if not file.closed:
                file.close()
        self.save()


def purge_abandoned(now=None):
    """Delete drafts untouched for ``APPLICATIONS_DRAFT_RETENTION_DAYS`` days, with their files.

    Submitted drafts lose only the draft row (their files belong to the application).
    Returns the number of drafts removed.
    """
    from .private_storage import delete_private

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    removed = 0
    for draft in Draft.objects.filter(updated_at__lt=cutoff).iterator():
        names = [] if draft.status == DraftStatus.SUBMITTED else list(_stored_files(draft.data))
        draft.delete()
        for name in names:
            delete_private(name)
        removed += 1
    return removed
