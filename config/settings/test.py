"""Fast, isolated test settings."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

# One search index directory per test process (xdist workers never share one). The suite runs on
# the embedded engine; the live Elasticsearch tests read ELASTICSEARCH_URL from the environment.
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="bianmin-search-"))
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, ignore_errors=True)
ELASTICSEARCH_URL = ""
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bianmin-private-"))
atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
