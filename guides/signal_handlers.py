"""Thin signal handlers; the work is done by named, tested functions elsewhere."""

from django.db.models.signals import post_save


def township_page_saved(sender, instance, created, raw=False, **kwargs):
    """A township page was saved: give a new township its groups, collection and workflow."""
    if raw:  # fixtures: the related records come with the fixture or from setup_township_access
        return
    from .permissions import township_saved

    township_saved(instance, created)


def register():
    from .models import TownshipPage

    post_save.connect(
        township_page_saved, sender=TownshipPage, dispatch_uid="guides.township_page_saved"
    )
