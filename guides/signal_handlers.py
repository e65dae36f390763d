"""Thin signal handlers; the work is done by named, tested functions elsewhere."""

from django.db.models.signals import post_save
from wagtail.signals import page_published


def township_page_saved(sender, instance, created, raw=False, **kwargs):
    """A township page was saved: give a new township its groups, collection and workflow."""
    if raw:  # fixtures: the related records come with the fixture or from setup_township_access
        return
    from .permissions import township_saved

    township_saved(instance, created)


def page_published_handler(sender, instance, revision=None, **kwargs):
    """A page went live: number a guide or notice in its township's disclosure catalog and keep
    a guide's disclosures for its change history."""
    from .transparency.publication import page_published as record

    record(instance, revision)


def register():
    from .models import TownshipPage

    post_save.connect(
        township_page_saved, sender=TownshipPage, dispatch_uid="guides.township_page_saved"
    )
    page_published.connect(page_published_handler, dispatch_uid="guides.page_published")
