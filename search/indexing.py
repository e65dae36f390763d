"""Keeping the search index current as pages and catalog items change.

The signal handlers in ``search.signal_handlers`` are one-liners that call the functions here;
these decide what has to be (re)indexed and queue a task for it (``search.tasks``). The tasks
call back into ``update_page``, ``update_item`` and ``delete_documents``, which read the
current state from the database and write it to the engine (``search.backends``).

What triggers what:

* a page published or unpublished: that page; for a township, also every guide and notice
  under it (they carry its name);
* a page moved, or its slug changed: the page and everything under it (their URLs changed);
  for the county portal also the catalog items, whose URLs hang off the portal;
* a page deleted: the documents of the page and of every page under it, captured before the
  rows go (``page_deleting``, from ``pre_delete``) and dropped after (``page_deleted``);
* a catalog item saved: the item and the guides for it (they carry its name, code, type);
  an item deleted: the item.

Queuing never breaks what triggered it: when the task backend refuses the task, the work is
done inline; when that fails too, the error is logged and ``manage.py search_reindex`` repairs
the index. Bulk operations may wrap themselves in ``suspended()`` and rebuild afterwards.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import transaction

from .types import GUIDE, ITEM, NOTICE

logger = logging.getLogger(__name__)

_state = threading.local()


# --- what belongs to what --------------------------------------------------------------------


def page_kinds():
    """{page model: document kind} for the page types that have documents."""
    from guides.models import NoticePage, ServiceGuidePage

    return {ServiceGuidePage: GUIDE, NoticePage: NOTICE}


def _kind_of(model):
    for page_model, kind in page_kinds().items():
        if model is not None and issubclass(model, page_model):
            return kind
    return None


def document_ids_for_page(page):
    """The ids of the documents a page can have (whether or not it has them now)."""
    kind = _kind_of(page.specific_class)
    return [f"{kind}:{page.pk}"] if kind else []


def subtree_document_ids(page):
    """(ids of the documents of a page and of every page under it, their page pks): one query."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    ids, pks = [], set()
    rows = Page.objects.filter(path__startswith=page.path, depth__gte=page.depth).values_list(
        "pk", "content_type_id"
    )
    for pk, content_type_id in rows:
        pks.add(pk)
        kind = _kind_of(ContentType.objects.get_for_id(content_type_id).model_class())
        if kind:
            ids.append(f"{kind}:{pk}")
    return ids, pks


def item_document_id(item_id):
    return f"{ITEM}:{item_id}"


# --- queuing ---------------------------------------------------------------------------------


def is_suspended():
    return getattr(_state, "suspended", 0) > 0


@contextmanager
def suspended():
    """Queue nothing inside the block (bulk loads); run ``search_reindex`` afterwards."""
    _state.suspended = getattr(_state, "suspended", 0) + 1
    try:
        yield
    finally:
        _state.suspended -= 1


def enqueue(task, *args, **kwargs):
    """Queue ``task``; never raise. Returns the task result, or None when it was run inline.

    The task is queued inside a savepoint, so a task backend that fails (its table missing, its
    server down) cannot break the transaction that publishes the page. If queuing fails, the task
    runs inline; if that fails too, the error is logged and the index is repaired by the next
    ``manage.py search_reindex``.
    """
    if is_suspended():
        return None
    try:
        with transaction.atomic():
            return task.enqueue(*args, **kwargs)
    except Exception:
        logger.exception("Could not queue %s%r; running it inline", task.name, args)
    try:
        with transaction.atomic():
            task.call(*args, **kwargs)
    except Exception:
        logger.exception(
            "Search index not updated by %s%r; `manage.py search_reindex` repairs it",
            task.name,
            args,
        )
    return None


# --- what the signal handlers call -----------------------------------------------------------


def _is_township(page):
    from guides.models import TownshipPage

    return issubclass(page.specific_class or type(page), TownshipPage)


def page_changed(page, include_descendants=None):
    """A page was published or unpublished: reindex it (and, for a township, what is under it)."""
    from . import tasks

    if include_descendants is None:
        include_descendants = _is_township(page)
    include_descendants = bool(include_descendants and page.numchild)
    return enqueue(tasks.update_search_index, page.pk, include_descendants=include_descendants)


def page_moved(page, url_path_before=None, url_path_after=None):
    """A page moved or its slug changed: the URLs of the page and its subtree changed.

    A move that keeps the URL path (reordering among siblings) changes nothing searchable.
    """
    if url_path_before is not None and url_path_before == url_path_after:
        return None
    return page_changed(page, include_descendants=True)


def page_deleting(page):
    """A page is about to be deleted (``pre_delete``): capture the ids of its documents and of
    its subtree's while the rows still exist; ``page_deleted`` drops them.

    Deleting a page deletes its descendants in the same query. Django sends ``pre_delete`` for
    every row first, then deletes, then sends ``post_delete``. The pages covered by an
    ancestor's capture are remembered until the ancestor's ``post_delete``, so a township's
    guides, whose signals come after the township's (Django sends them in primary key order,
    and a township is usually older than its guides), are not dropped again one by one. A page
    older than its ancestor (moved there) has its documents dropped twice: harmless.
    """
    if page.pk in getattr(_state, "deleting", ()):
        return
    if page.numchild:
        ids, _state.deleting = subtree_document_ids(page)
        page._search_subtree_root = True
    else:
        ids, _state.deleting = document_ids_for_page(page), set()
    page._search_document_ids = ids


def page_deleted(page):
    """A page was deleted (``post_delete``): drop the documents ``page_deleting`` captured."""
    from . import tasks

    if getattr(page, "_search_subtree_root", False):
        _state.deleting = set()
    ids = getattr(page, "_search_document_ids", None)
    if not ids:
        return None
    return enqueue(tasks.delete_from_search_index, ids)


def item_changed(item):
    from . import tasks

    return enqueue(tasks.update_item_in_search_index, item.pk)


def item_deleted(item):
    from . import tasks

    return enqueue(tasks.delete_from_search_index, [item_document_id(item.pk)])


# --- what the tasks do -----------------------------------------------------------------------


def _documents_of(pages):
    """(documents to index, ids to delete) for these pages, as they are now."""
    from .documents import documents_for_page

    documents, stale = [], []
    for page in pages:
        docs = list(documents_for_page(page) or [])
        documents += docs
        current = {doc.id for doc in docs}
        stale += [doc_id for doc_id in document_ids_for_page(page) if doc_id not in current]
    return documents, stale


def _write(documents, stale):
    from .backends import get_backend

    backend = get_backend()
    indexed = backend.index(documents) if documents else 0
    deleted = backend.delete(stale) if stale else 0
    return {"indexed": indexed or 0, "deleted": deleted or 0}


def update_page(page_id, include_descendants=False):
    """Index the documents of a page (and its subtree) as they are now; drop those it lost."""
    from wagtail.models import Page

    from guides.models import CountyPortalPage, ServiceItem

    from .documents import document_for_item

    page = Page.objects.filter(pk=page_id).first()
    if page is None:  # deleted since: page_deleting dropped its documents
        return {"indexed": 0, "deleted": 0}
    page = page.specific
    pages = [page]
    items = []
    if include_descendants:
        kinds = tuple(page_kinds())
        pages += list(page.get_descendants().type(*kinds).specific().iterator())
        if isinstance(page, CountyPortalPage):
            items = ServiceItem.objects.select_related("department").iterator()
    documents, stale = _documents_of(pages)
    for item in items:
        if _item_is_searchable(item):
            documents.append(document_for_item(item, portal=page))
        else:
            stale.append(item_document_id(item.pk))
    return _write(documents, stale)


def _item_is_searchable(item):
    """Only items in use are searchable (as in ``search.documents.iter_all_documents``)."""
    from guides.models.choices import ItemStatus

    return item.status == ItemStatus.IN_USE


def update_item(item_id):
    """Index a catalog item and the guides for it as they are now; drop the item if it is gone."""
    from guides.models import ServiceGuidePage, ServiceItem

    from .documents import document_for_item

    item = ServiceItem.objects.select_related("department").filter(pk=item_id).first()
    if item is None:
        return delete_documents([item_document_id(item_id)])
    documents, stale = _documents_of(ServiceGuidePage.objects.filter(item_id=item_id).iterator())
    if _item_is_searchable(item):
        documents.insert(0, document_for_item(item))
    else:
        stale.insert(0, item_document_id(item_id))
    return _write(documents, stale)


def delete_documents(document_ids):
    from .backends import get_backend

    ids = [str(i) for i in document_ids]
    deleted = get_backend().delete(ids) if ids else 0
    return {"indexed": 0, "deleted": deleted or 0}
