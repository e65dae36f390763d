"""Private storage for applicants' materials: on disk outside MEDIA_ROOT, never under a URL.

Files live in ``PRIVATE_MEDIA_ROOT`` (default ``DATA_DIR / "private"``) under
``<prefix>/<yyyy>/<mm>/<32 random hex>.<ext>``: the client's file name is never used for storage.
Files are created 0640, directories 0750. ``url()`` raises ``ValueError``: staff see files
through a view that checks permissions. See docs/uploads.md.
"""

import functools
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

FILE_PERMISSIONS = 0o640
DIRECTORY_PERMISSIONS = 0o750
STORED_EXTENSIONS = frozenset({"jpg", "png", "pdf"})
PREFIX_RE = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


class PrivateStorage(FileSystemStorage):
    """A ``FileSystemStorage`` without URLs.

    ``base_url=None`` alone is not enough: ``FileSystemStorage`` then falls back to MEDIA_URL.
    """

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_root():
    """``PRIVATE_MEDIA_ROOT`` (read at call time), or ``DATA_DIR / "private"``."""
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if not root:
        root = Path(settings.DATA_DIR) / "private"
    return Path(root).resolve()


def _inside(path, parent):
    return path == parent or parent in path.parents


def private_storage():
    """The storage for private files; one instance per location (cached)."""
    root = private_root()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and _inside(root, Path(public).resolve()):
            raise ImproperlyConfigured(
                f"PRIVATE_MEDIA_ROOT ({root}) must not be inside {name} ({public})."
            )
    return _storage(str(root))


@functools.lru_cache(maxsize=8)
def _storage(location):
    return PrivateStorage(
        location=location,
        base_url=None,
        file_permissions_mode=FILE_PERMISSIONS,
        directory_permissions_mode=DIRECTORY_PERMISSIONS,
    )


def save_private(clean_upload, prefix):
    """Store a ``CleanUpload``'s content as ``<prefix>/<yyyy>/<mm>/<32 hex>.<ext>``; return the
    stored name. ``prefix`` is one or more lower-case segments such as ``"applications"``."""
    if not PREFIX_RE.match(prefix or ""):
        raise ValueError(f"invalid prefix for private files: {prefix!r}")
    extension = clean_upload.extension
    if extension not in STORED_EXTENSIONS:
        raise ValueError(f"unexpected extension for private files: {extension!r}")
    today = timezone.localdate()
    name = f"{prefix}/{today:%Y}/{today:%m}/{secrets.token_hex(16)}.{extension}"
    return private_storage().save(name, ContentFile(clean_upload.content))


def open_private(name):
    """The stored file, opened for binary reading (``FileNotFoundError`` if it is gone)."""
    return private_storage().open(name, "rb")


def delete_private(name):
    """Delete a stored file; a missing file (or an empty name) is not an error."""
    if name:
        private_storage().delete(name)
