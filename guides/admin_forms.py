"""Admin forms: the publish gate in the guide editor, and township-limited choices.

``ServiceGuideAdminForm`` is ``ServiceGuidePage.base_form_class``. When the editor asks to
publish, to submit for review, or (as a reviewer) to approve from the edit page, it builds the
page in memory from what was typed (child rows included) and runs the publish gate; every
reason becomes a non-field error, so the edit page is shown again with the reasons listed at the
top and the typed values kept. Saving a draft is never refused by the gate.

This module is imported by ``guides.models.guides``: import models and ``guides.permissions``
inside functions only.
"""

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

# POST keys of the edit/create views' actions that lead to publishing (now or after review).
GATED_ACTIONS = {
    "action-publish": "publish",
    "action-submit": "submit",
    "action-restart-workflow": "submit",
}


def gated_action(data):
    """'publish', 'submit' or 'approve' when the POST would (lead to) publish; else None."""
    if not data:
        return None
    for key, action in GATED_ACTIONS.items():
        if data.get(key):
            return action
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        return "approve"
    return None


def township_for(page, parent_page=None):
    """The township a (possibly unsaved) page belongs to."""
    from .models import TownshipPage
    from .models.lookups import ancestor

    if parent_page is not None:
        parent = parent_page.specific
        if isinstance(parent, TownshipPage):
            return parent
        return ancestor(TownshipPage, parent, inclusive=True)
    if page is not None and page.pk and page.path:
        return ancestor(TownshipPage, page)
    return None


class ServiceGuideAdminForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.township = township_for(self.instance, self.parent_page)
        self._limit_window_choices()
        self.publish_blocker_reasons = []

    def _limit_window_choices(self):
        """Only the township's own windows can be chosen (and the chooser lists only those)."""
        from .models import ServiceWindow

        field = self.fields.get("window")
        if field is None:
            return
        if self.township is None:
            field.queryset = ServiceWindow.objects.none()
            return
        field.queryset = ServiceWindow.objects.filter(township=self.township)
        widget = field.widget
        if hasattr(widget, "get_chooser_modal_url"):
            base_url = widget.get_chooser_modal_url()
            township_id = self.township.pk
            widget.get_chooser_modal_url = lambda: f"{base_url}?township={township_id}"

    @property
    def gated_action(self):
        return gated_action(self.data) if self.is_bound else None

    def build_page(self):
        """The page as it would be saved: fields and child rows from the form, in memory."""
        page = self.save(commit=False)
        if self.township is not None:
            page.__dict__["township"] = self.township  # unsaved pages have no tree position
        return page

    def is_valid(self):
        valid = super().is_valid()
        if not valid or self.gated_action is None:
            return valid
        from .publishing import publish_blockers

        self.publish_blocker_reasons = publish_blockers(self.build_page())
        if not self.publish_blocker_reasons:
            return True
        if self.gated_action == "approve":
            intro = _("该办事指南尚未通过发布前检查，不能审核通过。请先补全以下内容：")
        elif self.gated_action == "submit":
            intro = _("该办事指南尚未通过发布前检查，不能提交审核。请先补全以下内容：")
        else:
            intro = _("该办事指南尚未通过发布前检查，不能发布。请先补全以下内容：")
        self.add_error(
            None,
            [forms.ValidationError(intro, code="publish_blocked")]
            + [
                forms.ValidationError(reason, code="publish_blocker")
                for reason in self.publish_blocker_reasons
            ],
        )
        return False


class ServiceWindowAdminForm(WagtailAdminModelForm):
    """A window can only be placed in a township whose windows the user may manage."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("township")
        if field is None or self.for_user is None:
            return
        from .models import TownshipPage
        from .permissions import townships_with_permission

        action = "change" if self.instance.pk else "add"
        allowed = townships_with_permission(self.for_user, f"guides.{action}_servicewindow")
        queryset = TownshipPage.objects.filter(pk__in=allowed.values("pk")).order_by("code")
        self.fields["township"] = forms.ModelChoiceField(
            queryset=queryset,
            label=field.label,
            help_text=field.help_text,
            required=True,
            widget=forms.Select,
            initial=field.initial,
        )
        if not self.instance.pk and not self.is_bound and len(queryset) == 1:
            self.initial["township"] = queryset[0].pk
