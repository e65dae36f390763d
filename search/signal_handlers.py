"""Thin signal handlers; the work is done by named, tested functions elsewhere.

Two groups, each registered by its own function from ``SearchConfig.ready``:
``register_index_handlers`` (pages and catalog items → ``search.indexing``) and
``register_synonym_handlers`` (synonym edits → the analysis pipeline).
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

# --- the live index: pages and catalog items -------------------------------------------------


def page_published_handler(sender, instance, **kwargs):
    from . import indexing

    indexing.page_changed(instance)


def page_unpublished_handler(sender, instance, **kwargs):
    from . import indexing

    indexing.page_changed(instance)


def page_moved_handler(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    from . import indexing

    indexing.page_moved(instance, url_path_before, url_path_after)


def page_slug_changed_handler(sender, instance, **kwargs):
    from . import indexing

    indexing.page_moved(instance)


def page_deleting_handler(sender, instance, **kwargs):
    from . import indexing

    indexing.page_deleting(instance)


def page_deleted_handler(sender, instance, **kwargs):
    from . import indexing

    indexing.page_deleted(instance)


def item_saved_handler(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures: run manage.py search_reindex after loading
        return
    from . import indexing

    indexing.item_changed(instance)


def item_deleted_handler(sender, instance, **kwargs):
    from . import indexing

    indexing.item_deleted(instance)


def register_index_handlers():
    from wagtail.models import Page

    from guides.models import ServiceItem

    page_published.connect(page_published_handler, dispatch_uid="search.page_published")
    page_unpublished.connect(page_unpublished_handler, dispatch_uid="search.page_unpublished")
    post_page_move.connect(page_moved_handler, dispatch_uid="search.page_moved")
    page_slug_changed.connect(page_slug_changed_handler, dispatch_uid="search.page_slug_changed")
    # Every page row deleted sends pre_delete and post_delete with sender=Page (the specific
    # rows go with it): the ids are captured before, dropped after.
    pre_delete.connect(page_deleting_handler, sender=Page, dispatch_uid="search.page_deleting")
    post_delete.connect(page_deleted_handler, sender=Page, dispatch_uid="search.page_deleted")
    post_save.connect(item_saved_handler, sender=ServiceItem, dispatch_uid="search.item_saved")
    post_delete.connect(
        item_deleted_handler, sender=ServiceItem, dispatch_uid="search.item_deleted"
    )


# --- synonyms (register_synonym_handlers) ----------------------------------------------------


def synonym_changed_handler(sender, instance, raw=False, **kwargs):
    """A synonym was saved or deleted: the analysis pipeline rebuilds its dictionary."""
    from .analysis import reload_dictionary

    reload_dictionary()


def register_synonym_handlers():
    from .models import Synonym

    post_save.connect(synonym_changed_handler, sender=Synonym, dispatch_uid="search.synonym_saved")
    post_delete.connect(
        synonym_changed_handler, sender=Synonym, dispatch_uid="search.synonym_deleted"
    )
