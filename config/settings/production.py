"""Production: everything secret or host-specific from the environment."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, require_secret_key

SECRET_KEY = require_secret_key(SECRET_KEY)
SECURE_HSTS_SECONDS = 3600
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
