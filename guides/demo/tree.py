"""Fast page creation for the demo: many children under one parent, published in bulk.

Wagtail's ``add_child`` + ``save_revision`` + ``publish`` costs some 150 queries per guide; the
demo has about 1,300 pages. Here each page is one insert with its tree path computed in memory,
child rows are inserted in bulk, and publishing writes one revision and its log entries per page
in bulk. The publish gate is still applied by the caller before anything is marked live.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published


class ChildAppender:
    """Append new pages as the last children of ``parent``; call ``close()`` when done.

    ``close()`` updates the parent's child count and writes Wagtail's "created" log entries
    for the new pages in one go.
    """

    def __init__(self, parent):
        self.parent = parent
        last = parent.get_last_child()
        self._next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        self._added = []

    def add(self, page):
        """Save ``page`` (unsaved, with title and slug) as the next child; returns it."""
        parent = self.parent
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, self._next_step)
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page._cached_parent_obj = parent
        page._is_site_root = False  # new pages are not site roots: skip Wagtail's query
        page.save(clean=False, log_action=None)  # the "created" log is written in bulk
        self._next_step += 1
        self._added.append(page)
        return page

    def close(self):
        added, self._added = self._added, []
        if not added:
            return
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(added))
        self.parent.numchild += len(added)
        log_in_bulk(added, "wagtail.create")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()


def log_entry(page, action, when, revision=None, user=None, content_changed=True):
    """An unsaved Wagtail page history entry, as ``log()`` would write it."""
    return PageLogEntry(
        page_id=page.pk,
        content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
        label=page.get_admin_display_title(),
        action=action,
        data={},
        timestamp=when,
        revision=revision,
        user=user,
        content_changed=content_changed,
    )


def log_in_bulk(pages, action, revisions=None, when=None):
    """Wagtail's page history entries (as ``log()`` writes them) for many pages at once."""
    when = when or timezone.now()
    revisions = revisions or [None] * len(pages)
    PageLogEntry.objects.bulk_create(
        [
            log_entry(page, action, when, revision)
            for page, revision in zip(pages, revisions, strict=True)
        ],
        batch_size=500,
    )


PUBLISHED_FIELDS = [
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "latest_revision",
    "live_revision",
]


def _published_state(page):
    return Page(pk=page.pk, **{name: getattr(page, name) for name in PUBLISHED_FIELDS})


def mark_live(page, when=None):
    """Set the fields of a page published at ``when`` (before its first save)."""
    when = when or timezone.now()
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = when
    page.last_published_at = when
    page.latest_revision_created_at = when
    return page


def publish_in_bulk(pages, when=None):
    """Publish saved draft pages: one revision each, Wagtail's create/publish log, live.

    The pages' child relations must be in memory (as saved), so that the revision holds the
    same rows as the database. Sends ``page_published`` for each page, as publishing does.
    The caller applies the publish gate first.
    """
    if not pages:
        return []
    when = when or timezone.now()
    base_type = ContentType.objects.get_for_model(Page)
    revisions = []
    for page in pages:
        mark_live(page, when)
        revisions.append(
            Revision(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                base_content_type=base_type,
                object_id=str(page.pk),
                created_at=when,
                content=page.serializable_data(),
                object_str=str(page),
            )
        )
    Revision.objects.bulk_create(revisions, batch_size=200)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision
    Page.objects.bulk_update(
        [_published_state(page) for page in pages], PUBLISHED_FIELDS, batch_size=200
    )
    log_in_bulk(pages, "wagtail.publish", revisions, when)
    for page, revision in zip(pages, revisions, strict=True):
        page_published.send(sender=type(page), instance=page, revision=revision)
    return revisions
