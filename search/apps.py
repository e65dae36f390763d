from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("搜索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register_index_handlers()  # pages and catalog items → the live index
        signal_handlers.register_synonym_handlers()  # synonym edits → the analysis pipeline
