"""Production: everything secret or host-specific from the environment."""

import os

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, require_secret_key

SECRET_KEY = require_secret_key(SECRET_KEY)
SECURE_HSTS_SECONDS = 3600
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Behind a reverse proxy that sets X-Real-IP, rate limits count the real client.
APPLICATIONS_CLIENT_IP_HEADER = os.environ.get("APPLICATIONS_CLIENT_IP_HEADER", "")
