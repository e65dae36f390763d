"""Background tasks that keep the search index current (django-tasks).

They run immediately in development and tests, and in a worker in production
(``django_tasks_db``). Each re-reads the database, so a task that runs late still writes the
current state. A failure is logged here and recorded by the task backend; the next
``manage.py search_reindex`` repairs the index.
"""

import logging

from django_tasks import task

from . import indexing

logger = logging.getLogger(__name__)


@task()
def update_search_index(page_id: int, include_descendants: bool = False) -> dict:
    """Index a page's documents (and its subtree's), or delete them if it is no longer live."""
    try:
        return indexing.update_page(page_id, include_descendants=include_descendants)
    except Exception:
        logger.exception("Search index update failed for page %s", page_id)
        raise


@task()
def delete_from_search_index(document_ids: list[str]) -> dict:
    """Delete documents by id (``"guide:12"``, ``"notice:7"``, ``"item:3"``)."""
    try:
        return indexing.delete_documents(document_ids)
    except Exception:
        logger.exception("Search index deletion failed for %s", document_ids[:20])
        raise


@task()
def update_item_in_search_index(item_id: int) -> dict:
    """Index a catalog item and the guides for it, or delete the item if it is gone."""
    try:
        return indexing.update_item(item_id)
    except Exception:
        logger.exception("Search index update failed for item %s", item_id)
        raise
