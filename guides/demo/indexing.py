"""Search and reference indexing deferred during the demo load, then done in bulk.

Wagtail indexes every saved object for search and for references (the "usage" of documents,
snippets and pages) one by one, through signals (and, in production, a task row each). For
some 1,300 new pages that is most of the load time, so while loading those signals are
replaced by a collector, and the collected objects are indexed together at the end.
"""

import logging
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

logger = logging.getLogger(__name__)


def _auto_indexed_models():
    return [m for m in search_index.get_indexed_models() if getattr(m, "search_auto_update", True)]


@contextmanager
def deferred_indexing():
    """Collect saved objects instead of indexing each; yields the collector's list."""
    saved = []

    def collect(sender, instance, raw=False, **kwargs):
        if not raw:
            saved.append(instance)

    models = _auto_indexed_models()
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(collect, weak=False, dispatch_uid="guides.demo.collect")
    try:
        with disable_reference_index_auto_update():
            yield saved
    finally:
        post_save.disconnect(dispatch_uid="guides.demo.collect")
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def index_in_bulk(objects):
    """Add the objects to the auto-updated search backends and to the reference index.

    Returns False when a search backend failed (logged; ``manage.py update_index`` repairs it),
    as Wagtail itself does not fail a save because an external search service is down.
    """
    latest = {}
    for obj in objects:
        latest[(type(obj), obj.pk)] = obj
    searchable = set(_auto_indexed_models())
    by_model = {}
    for (model, _pk), obj in latest.items():
        if model in searchable:
            by_model.setdefault(model, []).append(obj)
    indexed = True
    for backend in get_search_backends(with_auto_update=True):
        try:
            for model, objs in by_model.items():
                backend.add_bulk(model, objs)
        except Exception:
            logger.exception("Indexing the demo for search failed")
            indexed = False
    for (model, _pk), obj in latest.items():
        if model in ReferenceIndex.tracked_models:
            ReferenceIndex.create_or_update_for_object(obj)
    return indexed
