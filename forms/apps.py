from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Online applications and the back office. Label ``applications``: ``forms`` clashes with
    django.forms."""

    name = "forms"
    label = "applications"
    verbose_name = _("网上申请与办件")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401

        signal_handlers.register()
