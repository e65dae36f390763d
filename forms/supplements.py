"""The applicant supplies the materials a one-time supplement request (一次性告知) listed."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

from . import actions
from .models import ApplicationFile, EventAction, SupplementItem
from .private_storage import delete_private, save_private


def requested_items(application):
    """The items of the application's supplement request (there is at most one)."""
    return list(
        SupplementItem.objects.filter(
            event__application=application, event__action=EventAction.SUPPLEMENT_REQUESTED
        ).order_by("pk")
    )


class SupplementForm(forms.Form):
    """One upload per requested material, all required: the request listed what is missing."""

    def __init__(self, *args, items=(), **kwargs):
        from .uploads import MaterialFileField

        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item-{item.pk}"] = MaterialFileField(
                label=item.material_name, help_text=item.problem
            )


def submit_supplement(application, form):
    """Store the files and mark the supplement received, all or nothing."""
    stored = []
    try:
        with transaction.atomic():
            for item in form.items:
                clean = form.cleaned_data[f"item-{item.pk}"]
                name = save_private(clean, "applications")
                stored.append(name)
                ApplicationFile.objects.create(
                    application=application,
                    material_name=item.material_name,
                    stored_name=name,
                    original_name=clean.original_name,
                    content_type=clean.content_type,
                    size=clean.size,
                    sha256=clean.sha256,
                    is_supplement=True,
                )
            names = "、".join(item.material_name for item in form.items)
            actions.receive_supplement(
                application, None, note=_("申请人在网上补交了材料：%(names)s。") % {"names": names}
            )
    except BaseException:
        for name in stored:
            delete_private(name)
        raise
