"""Per-township isolation: groups and permissions, and a matrix of who may do what in the admin.

The matrix builds its county once per module (two townships, five users, guides, windows, an
image and a document) inside a transaction that is rolled back at the end; each case runs in a
savepoint of it, against the real admin URLs with Django's test client.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    WorkflowPage,
)

from guides import factories
from guides.models import (
    DisclosureApprovalTask,
    ServiceWindow,
    TownshipGroup,
    TownshipPage,
    TownshipRoleKind,
)
from guides.permissions import (
    COUNTY_ADMIN_GROUP,
    REVIEWER_GROUP,
    TownshipOwnedPermissionPolicy,
    ensure_county_groups,
    ensure_township_access,
    user_townships,
)
from tests.guides.test_admin_publish import (
    make_user,
    township_group,
)

EDITOR, CLERK, HEAD = TownshipRoleKind.EDITOR, TownshipRoleKind.CLERK, TownshipRoleKind.HEAD


# --- groups and permissions ---------------------------------------------------------------


@pytest.mark.django_db
def test_new_township_gets_groups_collection_permissions_and_workflow(township):
    links = {link.role: link.group for link in TownshipGroup.objects.filter(township=township)}
    assert {role: group.name for role, group in links.items()} == {
        EDITOR: "官盛镇·内容编辑",
        CLERK: "官盛镇·窗口工作人员",
        HEAD: "官盛镇·中心负责人",
    }
    for group in links.values():
        assert group.permissions.filter(codename="access_admin").exists()

    def page_codenames(group):
        return set(
            GroupPagePermission.objects.filter(group=group, page=township).values_list(
                "permission__codename", flat=True
            )
        )

    assert page_codenames(links[EDITOR]) == {"add_page", "change_page"}
    assert page_codenames(links[CLERK]) == set()
    assert page_codenames(links[HEAD]) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }

    township.refresh_from_db()
    collection = township.collection
    assert collection.name == "官盛镇"
    assert collection.get_parent().name == "乡镇"
    editor_collection_perms = set(
        GroupCollectionPermission.objects.filter(
            group=links[EDITOR], collection=collection
        ).values_list("permission__codename", flat=True)
    )
    assert editor_collection_perms == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
    assert not GroupCollectionPermission.objects.filter(group=links[CLERK]).exists()
    assert links[EDITOR].permissions.filter(codename="change_servicewindow").exists()
    assert not links[CLERK].permissions.filter(codename="change_servicewindow").exists()

    workflow = WorkflowPage.objects.get(page=township).workflow
    assert workflow.name == "官盛镇指南审核"
    task = DisclosureApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    assert list(task.groups.all()) == [links[HEAD]]


@pytest.mark.django_db
def test_ensure_township_access_is_idempotent(township):
    def counts():
        return (
            Group.objects.count(),
            TownshipGroup.objects.count(),
            Collection.objects.count(),
            GroupPagePermission.objects.count(),
            GroupCollectionPermission.objects.count(),
            DisclosureApprovalTask.objects.count(),
            WorkflowPage.objects.count(),
        )

    before = counts()
    first = ensure_township_access(township)
    second = ensure_township_access(TownshipPage.objects.get(pk=township.pk))
    assert counts() == before
    assert first.collection == second.collection
    assert first.workflow == second.workflow
    assert first.groups == second.groups


@pytest.mark.django_db
def test_ensure_follows_a_renamed_township_and_relinks_a_lost_collection(township):
    collection_id = TownshipPage.objects.get(pk=township.pk).collection_id
    TownshipPage.objects.filter(pk=township.pk).update(title="官盛镇新名", collection=None)
    ensure_township_access(TownshipPage.objects.get(pk=township.pk))
    renamed = TownshipPage.objects.get(pk=township.pk)
    assert renamed.collection_id == collection_id  # found again through the editors' grant
    assert renamed.collection.name == "官盛镇新名"
    assert township_group(renamed, EDITOR).name == "官盛镇新名·内容编辑"
    assert WorkflowPage.objects.get(page=renamed).workflow.name == "官盛镇新名指南审核"


@pytest.mark.django_db
def test_publishing_an_old_township_revision_keeps_the_collection(township):
    """The revision's content has no collection; saving it must not lose the link for good."""
    revision = township.save_revision()
    TownshipPage.objects.filter(pk=township.pk).update(collection=None)
    collection = Collection.objects.get(name="官盛镇")
    revision.content["collection"] = None
    revision.save()
    revision.publish()
    assert TownshipPage.objects.get(pk=township.pk).collection == collection


@pytest.mark.django_db
def test_same_township_name_in_another_code_gets_distinct_groups(portal, township):
    twin = factories.TownshipPageFactory(
        parent=portal, title="官盛镇", code="511602199", slug="guansheng-2"
    )
    assert township_group(twin, EDITOR).name == "官盛镇（511602199）·内容编辑"
    assert township_group(township, EDITOR).name == "官盛镇·内容编辑"


@pytest.mark.django_db
def test_fixture_loading_does_not_set_up_access(portal):
    from guides.signal_handlers import township_page_saved

    township = TownshipPage(title="临时镇", code="511602150", slug="linshi")
    portal.add_child(instance=township)
    TownshipGroup.objects.filter(township=township).delete()
    township_page_saved(TownshipPage, township, created=True, raw=True)
    assert not TownshipGroup.objects.filter(township=township).exists()


@pytest.mark.django_db
def test_county_groups(portal):
    admins, reviewers = ensure_county_groups()
    again = ensure_county_groups()
    assert (admins, reviewers) == again
    assert admins.name == COUNTY_ADMIN_GROUP
    assert reviewers.name == REVIEWER_GROUP
    codenames = set(admins.permissions.values_list("codename", flat=True))
    assert {
        "access_admin",
        "manage_all_townships",
        "change_serviceitem",
        "change_department",
        "change_feestandard",
        "change_legalbasis",
        "change_servicewindow",
        "change_synonym",
        "add_bestbet",
    } <= codenames
    root = Page.get_first_root_node()
    assert GroupPagePermission.objects.filter(
        group=admins, page=root, permission__codename="publish_page"
    ).exists()
    # reviewers: the admin, the review actions, read-only shared records; no page permission
    # (see test_transparency_review.py)
    assert set(reviewers.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "review_disclosures",
        "view_serviceitem",
        "view_department",
        "view_feestandard",
        "view_legalbasis",
    }
    assert not GroupPagePermission.objects.filter(group=reviewers).exists()


@pytest.mark.django_db
def test_setup_township_access_command(township, other_township):
    TownshipGroup.objects.all().delete()
    WorkflowPage.objects.filter(page__in=[township, other_township]).delete()
    call_command("setup_township_access", verbosity=0)
    call_command("setup_township_access", verbosity=0)  # idempotent
    assert TownshipGroup.objects.filter(township=township).count() == 3
    assert TownshipGroup.objects.filter(township=other_township).count() == 3
    assert WorkflowPage.objects.filter(page__in=[township, other_township]).count() == 2
    assert Group.objects.filter(name__in=[COUNTY_ADMIN_GROUP, REVIEWER_GROUP]).count() == 2


@pytest.mark.django_db
def test_user_townships(township, other_township):
    editor = make_user("e", township_group(township, EDITOR))
    both = make_user("b", township_group(township, CLERK), township_group(other_township, EDITOR))
    admin = make_user("a", ensure_county_groups()[0])
    superuser = make_user("s", is_superuser=True)
    nobody = make_user("n", is_staff=True)
    assert list(user_townships(editor)) == [township]
    assert set(user_townships(both)) == {township, other_township}
    assert set(user_townships(admin)) == {township, other_township}
    assert set(user_townships(superuser)) == {township, other_township}
    assert not user_townships(nobody).exists()


@pytest.mark.django_db
def test_window_policy_follows_the_role_in_each_township(township, other_township):
    """An editor in 官盛镇 who is a clerk in 协兴镇 manages only 官盛镇's windows."""
    own = factories.ServiceWindowFactory(township=township)
    other = factories.ServiceWindowFactory(township=other_township)
    user = make_user(
        "mixed", township_group(township, EDITOR), township_group(other_township, CLERK)
    )
    clerk = make_user("clerk", township_group(other_township, CLERK))
    policy = TownshipOwnedPermissionPolicy(ServiceWindow)

    assert policy.user_has_permission_for_instance(user, "change", own)
    assert not policy.user_has_permission_for_instance(user, "change", other)
    assert list(policy.instances_user_has_permission_for(user, "change")) == [own]
    assert not policy.user_has_permission_for_instance(clerk, "change", other)
    assert not policy.instances_user_has_any_permission_for(clerk, ["add", "change"]).exists()
    assert list(policy.users_with_permission_for_instance("change", own)) == [user]
    assert list(policy.users_with_permission_for_instance("change", other)) == []
