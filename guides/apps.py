from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides"
    label = "guides"
    verbose_name = _("办事指南")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401

        signal_handlers.register()
