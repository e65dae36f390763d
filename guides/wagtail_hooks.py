"""Wagtail admin integration: shared records, township-scoped windows, page isolation, the gate.

- "事项与依据" menu: the county catalog (ServiceItem, Department), fee standards, legal bases
  (edited by county administrators; editors may only choose them), and the township-owned
  windows (ServiceWindow, scoped by ``TownshipOwnedPermissionPolicy``).
- Page choosers offer township staff only their own township's pages.
- Publishing a guide the gate refuses is stopped before it happens (``before_publish_page``,
  ``before_bulk_action``) and an approval in the review workflow requests changes instead.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .admin_forms import ServiceWindowAdminForm
from .models import (
    Department,
    FeeStandard,
    LegalBasis,
    ServiceGuidePage,
    ServiceItem,
    ServiceWindow,
)
from .permissions import TownshipOwnedPermissionPolicy, is_county_wide, user_townships
from .publishing import publish_blockers

# Must be registered before anything asks the registry for ServiceWindow's policy.
register_permission_policy(ServiceWindow, TownshipOwnedPermissionPolicy(ServiceWindow))


# --- snippets: "事项与依据" -----------------------------------------------------------------


class ServiceItemViewSet(SnippetViewSet):
    model = ServiceItem
    icon = "list-ul"
    menu_label = gettext_lazy("服务事项")
    list_display = ["name", "department", "item_type", "status", "local_code"]
    list_filter = ["department", "item_type", "status"]
    # ORM search: substring matching suits Chinese names without a word-splitting backend.
    search_backend_name = None
    search_fields = ["name", "main_item", "local_code", "basic_code", "implementation_code"]
    list_per_page = 50


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = gettext_lazy("实施部门")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class FeeStandardViewSet(SnippetViewSet):
    model = FeeStandard
    icon = "tag"
    menu_label = gettext_lazy("收费标准")
    list_display = ["name", "amount", "unit", "issuing_authority", "in_force"]
    list_filter = ["in_force", "reducible"]
    search_backend_name = None
    search_fields = ["name", "basis_document", "issuing_authority"]


class LegalBasisViewSet(SnippetViewSet):
    model = LegalBasis
    icon = "doc-full"
    menu_label = gettext_lazy("法律依据")
    list_display = ["title", "article", "kind", "status", "document_number"]
    list_filter = ["status", "kind"]
    search_backend_name = None
    search_fields = ["title", "document_number", "issuing_authority", "clause_text"]


class ServiceWindowViewSet(SnippetViewSet):
    model = ServiceWindow
    icon = "home"
    menu_label = gettext_lazy("服务窗口")
    list_display = ["name", "number", "township", "phone"]
    list_filter = ["township"]
    search_fields = ["name", "number", "handles"]
    edit_view_class = admin_views.ScopedEditView
    delete_view_class = admin_views.ScopedDeleteView
    history_view_class = admin_views.ScopedHistoryView
    usage_view_class = admin_views.ScopedUsageView
    inspect_view_class = admin_views.ScopedInspectView
    chooser_viewset_class = admin_views.TownshipScopedChooserViewSet

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, admin_views.ANY_ACTION
        )

    def get_edit_handler(self):
        return ObjectList(
            ServiceWindow.panels, base_form_class=ServiceWindowAdminForm
        ).bind_to_model(ServiceWindow)


class CatalogViewSetGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("事项与依据")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        ServiceItemViewSet,
        DepartmentViewSet,
        FeeStandardViewSet,
        LegalBasisViewSet,
        ServiceWindowViewSet,
    )


register_snippet(CatalogViewSetGroup)


# --- pages --------------------------------------------------------------------------------


class ServiceGuidePageViewSet(PageViewSet):
    model = ServiceGuidePage
    edit_view_class = admin_views.GuideEditView
    workflow_action_view_class = admin_views.GuideWorkflowActionView


@hooks.register("register_admin_viewset")
def register_service_guide_page_viewset():
    return ServiceGuidePageViewSet()


def township_scope_filter(user):
    """A ``Q`` on pages: the user's townships' subtrees and their ancestors; None = no limit."""
    if is_county_wide(user):
        return None
    townships = list(user_townships(user).only("path", "depth"))
    scope = Q(pk__in=[])
    for township in townships:
        scope |= Q(path__startswith=township.path)  # the township and its descendants
        ancestor_paths = [
            township.path[: Page.steplen * depth] for depth in range(1, township.depth)
        ]
        scope |= Q(path__in=ancestor_paths)
    return scope


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_townships(pages, request):
    """Township staff choose among their own township's pages (no other township's drafts)."""
    scope = township_scope_filter(request.user)
    if scope is None:
        return pages
    return pages.filter(scope)


# --- the publish gate in the admin --------------------------------------------------------


def blocked_publish_message(request, title, reasons):
    items = format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons))
    messages.error(
        request,
        format_html(
            "{}<ul>{}</ul>",
            _("“%(title)s”尚未通过发布前检查，未发布。已保存为草稿，请补全以下内容：")
            % {"title": title},
            items,
        ),
    )


@hooks.register("before_publish_page")
def refuse_incomplete_guide(request, page):
    """Second guard behind ``ServiceGuideAdminForm``: never publish a guide the gate refuses.

    Reached with the revision already saved, so the editor's work is kept as a draft.
    """
    specific = page.specific if type(page) is Page else page
    if not isinstance(specific, ServiceGuidePage):
        return None
    reasons = publish_blockers(specific)
    if not reasons:
        return None
    blocked_publish_message(request, specific.get_admin_display_title(), reasons)
    return redirect(reverse("wagtailadmin_pages:edit", args=[specific.pk]))


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_incomplete_guides(request, action_type, objects, action_class_instance):
    """Bulk 'publish' (optionally with draft descendants) stops if any guide would be refused."""
    if action_type != "publish":
        return None
    include_descendants = False
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None:
        include_descendants = form.cleaned_data.get("include_descendants", False)
    blocked = []
    for page in objects:
        candidates = [page]
        if include_descendants:
            candidates += list(page.get_descendants().not_live().type(ServiceGuidePage))
        for candidate in candidates:
            specific = candidate.specific
            if not isinstance(specific, ServiceGuidePage):
                continue
            revision = specific.get_latest_revision()
            draft = revision.as_object() if revision else specific
            reasons = publish_blockers(draft)
            if reasons:
                blocked.append((draft.get_admin_display_title(), reasons))
    if not blocked:
        return None
    for title, reasons in blocked:
        blocked_publish_message(request, title, reasons)
    next_url = getattr(action_class_instance, "next_url", None) or reverse(
        "wagtailadmin_explore_root"
    )
    return redirect(next_url)


@hooks.register("register_permissions")
def register_township_permissions():
    return Permission.objects.filter(
        content_type__app_label="guides", codename="manage_all_townships"
    )


# --- transparency: the disclosure board ("公开审查") and the township staff's reminders ---------


class TransparencyMenuItem(MenuItem):
    def is_shown(self, request):
        from .transparency.access import can_see_board

        return can_see_board(request.user)


@hooks.register("register_admin_urls")
def register_transparency_urls():
    from .transparency.admin_urls import admin_urlpatterns

    return admin_urlpatterns()


@hooks.register("register_admin_menu_item")
def register_transparency_menu_item():
    return TransparencyMenuItem(
        gettext_lazy("公开审查"),
        reverse("guides_transparency:index"),
        name="transparency",
        icon_name="clipboard-list",
        order=260,
    )


@hooks.register("construct_homepage_panels")
def add_transparency_panel(request, panels):
    from .transparency.panels import panel_for

    panel = panel_for(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_permissions")
def register_review_permission():
    return Permission.objects.filter(
        content_type__app_label="guides", codename="review_disclosures"
    )
