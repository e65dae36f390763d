"""Per-township isolation: groups, page/collection/snippet permissions and the review workflow.

A township section (``TownshipPage``) is the unit of isolation. ``ensure_township_access``
gives each township, idempotently:

- a collection for its images and documents, under the collection "乡镇";
- three groups, linked by ``TownshipGroup``: "<乡镇名>·内容编辑" (editors),
  "<乡镇名>·窗口工作人员" (window clerks) and "<乡镇名>·中心负责人" (the center head);
- page permissions on the township page and its subtree (editors add and edit, the head also
  publishes, locks and unlocks; clerks none), collection permissions on the township
  collection, and permissions on the township-owned ``ServiceWindow`` snippets;
- a workflow "<乡镇名>指南审核" with one ``DisclosureApprovalTask`` whose group is the head's.

``ensure_county_groups`` creates the county-wide groups "区级管理员" (county administrators)
and "公开审查员" (transparency reviewers: the disclosure board's review actions and read-only
shared records, no page permission; docs/transparency.md). See docs/permissions.md.

Group, collection and workflow names are data (stable identifiers people recognise in the
admin), not interface messages, so they are fixed Chinese strings rather than translations.
"""

from dataclasses import dataclass

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permission_policies import ModelPermissionPolicy

from .models import (
    Department,
    DisclosureApprovalTask,
    FeeStandard,
    LegalBasis,
    ServiceItem,
    ServiceWindow,
    TownshipGroup,
    TownshipPage,
    TownshipRoleKind,
)

COUNTY_ADMIN_GROUP = "区级管理员"
REVIEWER_GROUP = "公开审查员"
TOWNSHIPS_COLLECTION = "乡镇"
MANAGE_ALL_TOWNSHIPS = "guides.manage_all_townships"
REVIEW_DISCLOSURES = "guides.review_disclosures"

ROLE_GROUP_SUFFIX = {
    TownshipRoleKind.EDITOR: "内容编辑",
    TownshipRoleKind.CLERK: "窗口工作人员",
    TownshipRoleKind.HEAD: "中心负责人",
}

# Page permissions on the township page (and so its whole subtree), per role.
ROLE_PAGE_ACTIONS = {
    TownshipRoleKind.EDITOR: ["add", "change"],
    TownshipRoleKind.CLERK: [],
    TownshipRoleKind.HEAD: ["add", "change", "publish", "lock", "unlock"],
}
# Image and document permissions on the township collection, per role.
ROLE_COLLECTION_ACTIONS = {
    TownshipRoleKind.EDITOR: ["add", "change", "choose"],
    TownshipRoleKind.CLERK: [],
    TownshipRoleKind.HEAD: ["add", "change", "choose"],
}
# Model permissions, per role; township-owned models are scoped by TownshipOwnedPermissionPolicy.
ROLE_MODEL_ACTIONS = {
    TownshipRoleKind.EDITOR: [(ServiceWindow, ["add", "change", "delete"])],
    TownshipRoleKind.CLERK: [],
    TownshipRoleKind.HEAD: [(ServiceWindow, ["add", "change", "delete"])],
}

SHARED_RECORD_MODELS = [ServiceItem, Department, FeeStandard, LegalBasis]


@dataclass
class TownshipAccess:
    township: TownshipPage
    groups: dict
    collection: Collection
    workflow: Workflow


# --- permission lookups -------------------------------------------------------------------


def model_permission(model, action):
    """The ``Permission`` for ``action`` ('add', 'change', …) on ``model``."""
    content_type = ContentType.objects.get_for_model(model)
    codename = get_permission_codename(action, model._meta)
    try:
        return Permission.objects.get(content_type=content_type, codename=codename)
    except Permission.DoesNotExist as error:  # pragma: no cover - only before migrate
        raise LookupError(
            f"Permission {content_type.app_label}.{codename} is missing; run migrate first."
        ) from error


def admin_access_permission():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def manage_all_townships_permission():
    app_label, codename = MANAGE_ALL_TOWNSHIPS.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_model_permissions(group, permissions):
    missing = [p for p in permissions if not group.permissions.filter(pk=p.pk).exists()]
    if missing:
        group.permissions.add(*missing)


def _grant_page_permissions(group, page, actions):
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=model_permission(Page, action)
        )


def _grant_collection_permissions(group, collection, actions, models=None):
    for model in models or (get_image_model(), get_document_model()):
        for action in actions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=model_permission(model, action)
            )


# --- townships ----------------------------------------------------------------------------


def group_name(township, role, disambiguate=False):
    """'官盛镇·内容编辑'; with the code when another township has the same name."""
    base = f"{township.title}（{township.code}）" if disambiguate else township.title
    return f"{base}·{ROLE_GROUP_SUFFIX[TownshipRoleKind(role)]}"


def workflow_name(township):
    return f"{township.title}指南审核"


def task_name(township):
    return f"{township.title}·中心负责人审核"


def _ensure_role_group(township, role):
    link = (
        TownshipGroup.objects.filter(township=township, role=role).select_related("group").first()
    )
    name = group_name(township, role)
    others = Group.objects.filter(name=name)
    if link is not None:
        group = link.group
        if group.name != name:
            if others.exclude(pk=group.pk).exists():
                name = group_name(township, role, disambiguate=True)
            if group.name != name and not Group.objects.filter(name=name).exists():
                group.name = name
                group.save(update_fields=["name"])
        return group
    existing = others.first()
    if existing is not None and not TownshipGroup.objects.filter(group=existing).exists():
        group = existing  # a group made by hand under the expected name: adopt it
    else:
        if existing is not None:
            name = group_name(township, role, disambiguate=True)
        group, _created = Group.objects.get_or_create(name=name)
    TownshipGroup.objects.create(group=group, township=township, role=role)
    return group


def townships_collection():
    """The collection '乡镇' under the root collection, parent of every township collection."""
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=TOWNSHIPS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=TOWNSHIPS_COLLECTION)
    return parent


def _ensure_collection(township, editor_group):
    collection = None
    if township.collection_id:
        collection = Collection.objects.filter(pk=township.collection_id).first()
    if collection is None:
        # The link can be lost (e.g. a revision saved before the collection existed was
        # published): the editors' collection permission still points at it.
        grant = (
            GroupCollectionPermission.objects.filter(group=editor_group)
            .select_related("collection")
            .order_by("pk")
            .first()
        )
        collection = grant.collection if grant else None
    if collection is None:
        collection = townships_collection().add_child(name=township.title)
    elif collection.name != township.title:
        collection.name = township.title
        collection.save(update_fields=["name"])
    if township.collection_id != collection.pk:
        TownshipPage.objects.filter(pk=township.pk).update(collection=collection)
        township.collection = collection
    return collection


def _ensure_workflow(township, head_group):
    task = DisclosureApprovalTask.objects.filter(groups=head_group).order_by("pk").first()
    if task is None:
        task = DisclosureApprovalTask.objects.create(name=task_name(township))
        task.groups.add(head_group)
    elif task.name != task_name(township):
        task.name = task_name(township)
        task.save(update_fields=["name"])
    workflow = (
        Workflow.objects.filter(workflow_tasks__task=task, active=True).order_by("pk").first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name(township))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    elif workflow.name != workflow_name(township):
        workflow.name = workflow_name(township)
        workflow.save(update_fields=["name"])
    if not WorkflowPage.objects.filter(page=township).exists():
        WorkflowPage.objects.create(page=township, workflow=workflow)
    return workflow


@transaction.atomic
def ensure_township_access(township):
    """Create or complete a township's groups, permissions, collection and workflow.

    Idempotent: running it again adds only what is missing (and follows a renamed township);
    it never removes permissions given by hand.
    """
    township = township.specific if type(township) is not TownshipPage else township
    groups = {role: _ensure_role_group(township, role) for role in TownshipRoleKind}
    collection = _ensure_collection(township, groups[TownshipRoleKind.EDITOR])
    access = admin_access_permission()
    for role, group in groups.items():
        permissions = [access]
        for model, actions in ROLE_MODEL_ACTIONS[role]:
            permissions += [model_permission(model, action) for action in actions]
        _grant_model_permissions(group, permissions)
        _grant_page_permissions(group, township, ROLE_PAGE_ACTIONS[role])
        _grant_collection_permissions(group, collection, ROLE_COLLECTION_ACTIONS[role])
    workflow = _ensure_workflow(township, groups[TownshipRoleKind.HEAD])
    return TownshipAccess(
        township=township, groups=groups, collection=collection, workflow=workflow
    )


def township_saved(township, created):
    """After a township page is saved: set up its access when new or when its link is lost."""
    if created or not township.collection_id:
        ensure_township_access(township)


# --- the county ---------------------------------------------------------------------------


@transaction.atomic
def ensure_county_groups():
    """Create or complete '区级管理员' and '公开审查员'. Returns ``(admins, reviewers)``."""
    access = admin_access_permission()

    admins, _created = Group.objects.get_or_create(name=COUNTY_ADMIN_GROUP)
    permissions = [access, manage_all_townships_permission()]
    from django.contrib.auth import get_user_model

    from search.models import BestBet, Synonym  # county-wide search settings

    for model in [*SHARED_RECORD_MODELS, ServiceWindow, Synonym, BestBet]:
        permissions += [model_permission(model, action) for action in ("add", "change", "delete")]

    user_model = get_user_model()
    permissions += [model_permission(user_model, action) for action in ("add", "change", "delete")]
    _grant_model_permissions(admins, permissions)
    _grant_page_permissions(
        admins,
        Page.get_first_root_node(),
        ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
    )
    _grant_collection_permissions(
        admins, Collection.get_first_root_node(), ["add", "change", "delete", "choose"]
    )

    reviewers, _created = Group.objects.get_or_create(name=REVIEWER_GROUP)
    _grant_model_permissions(reviewers, reviewer_permissions())
    return admins, reviewers


def reviewer_permissions():
    """'公开审查员': the admin, the review actions of the disclosure board, and read-only
    listings of the shared records (catalog items, departments, fee standards, legal bases).

    No page permission at all: Wagtail has no read-only page permission (any of add, change,
    publish, lock, unlock or bulk delete opens the explorer *and* lets one act), so reviewers
    read guides in the board's own read-only view (docs/transparency.md)."""
    permissions = [admin_access_permission(), review_disclosures_permission()]
    permissions += [model_permission(model, "view") for model in SHARED_RECORD_MODELS]
    return permissions


def review_disclosures_permission():
    app_label, codename = REVIEW_DISCLOSURES.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


# --- who may do what where ----------------------------------------------------------------


def is_county_wide(user):
    """Superusers and county administrators work on every township."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(MANAGE_ALL_TOWNSHIPS))
    )


def user_townships(user):
    """The townships the user works for: by group membership; county-wide users: all."""
    if not (user.is_authenticated and user.is_active):
        return TownshipPage.objects.none()
    if is_county_wide(user):
        return TownshipPage.objects.all()
    return TownshipPage.objects.filter(staff_groups__group__user=user).distinct()


def townships_with_permission(user, permission):
    """Townships where one of the user's township groups grants ``permission``
    ('app_label.codename'). County-wide users holding the permission: all townships."""
    if not (user.is_authenticated and user.is_active and user.has_perm(permission)):
        return TownshipPage.objects.none()
    if is_county_wide(user):
        return TownshipPage.objects.all()
    app_label, codename = permission.split(".", 1)
    return TownshipPage.objects.filter(
        staff_groups__group__user=user,
        staff_groups__group__permissions__codename=codename,
        staff_groups__group__permissions__content_type__app_label=app_label,
    ).distinct()


class TownshipOwnedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, limited to the townships whose groups grant them.

    For models with a ``township`` foreign key (``ServiceWindow``): an editor of 官盛镇 holds
    ``change_servicewindow`` through the group "官盛镇·内容编辑" and so may change 官盛镇's
    windows only. Superusers and holders of ``guides.manage_all_townships`` act on all.
    """

    township_field = "township"

    def _permission_name(self, action):
        return self._get_permission_name(action)

    def _township_ids(self, user, action):
        cache = getattr(user, "_township_policy_cache", None)
        if cache is None:
            cache = user._township_policy_cache = {}  # per request, like Django's _perm_cache
        key = (self.model._meta.label, action)
        if key not in cache:
            cache[key] = set(
                townships_with_permission(user, self._permission_name(action)).values_list(
                    "pk", flat=True
                )
            )
        return cache[key]

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if is_county_wide(user):
            return True
        return getattr(instance, f"{self.township_field}_id") in self._township_ids(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        actions = [a for a in actions if self.user_has_permission(user, a)]
        if not actions:
            return manager.none()
        if is_county_wide(user):
            return manager.all()
        township_ids = set()
        for action in actions:
            township_ids |= self._township_ids(user, action)
        return manager.filter(**{f"{self.township_field}__in": township_ids})

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        manage_all = manage_all_townships_permission()
        township_id = getattr(instance, f"{self.township_field}_id")
        granting = self._get_permission_objects_for_actions(actions)
        return users.filter(
            Q(is_superuser=True)
            # the same group both belongs to the township and grants the permission
            | Q(groups__township_role__township_id=township_id, groups__permissions__in=granting)
            | Q(groups__permissions=manage_all)
            | Q(user_permissions=manage_all)
        ).distinct()
