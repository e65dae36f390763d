"""What a publication means for transparency; ``guides.signal_handlers`` delegates here."""

from django.db import transaction

from ..models import NoticePage, ServiceGuidePage


def page_published(page, revision):
    """A guide or notice went live: number it in the catalog; for a guide, keep a snapshot of
    its disclosures for the change history."""
    from .catalog import record_publication
    from .history import record_snapshot

    if not isinstance(page, ServiceGuidePage | NoticePage):
        return
    with transaction.atomic():
        record_publication(page)
        if isinstance(page, ServiceGuidePage) and revision is not None:
            record_snapshot(page, revision, published_at=page.last_published_at)
