"""Per-township isolation: groups and permissions, and a matrix of who may do what in the admin.

The matrix builds its county once per module (two townships, five users, guides, windows, an
image and a document) inside a transaction that is rolled back at the end; each case runs in a
savepoint of it, against the real admin URLs with Django's test client.
"""

import json
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from guides import factories
from guides.models import (
    LegalBasis,
    ServiceGuidePage,
    ServiceItem,
    ServiceWindow,
    TownshipRoleKind,
)
from guides.permissions import (
    ensure_county_groups,
)
from tests.guides.test_admin_publish import (
    edit_url,
    make_user,
    page_edit_data,
    snippet_edit_data,
    township_group,
)
from tests.places import make_other_township, make_portal, make_township

EDITOR, CLERK, HEAD = TownshipRoleKind.EDITOR, TownshipRoleKind.CLERK, TownshipRoleKind.HEAD


# --- the matrix -----------------------------------------------------------------------------


@pytest.fixture
def _media():
    """The matrix keeps its module-wide media root (overrides tests/conftest.py)."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("isolation-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            factories.reset_seed()
            portal = make_portal()
            gs, xx = make_township(portal), make_other_township(portal)
            gs.refresh_from_db()
            xx.refresh_from_db()
            county_admins, _reviewers = ensure_county_groups()
            users = {
                "gs_editor": make_user("gs_editor", township_group(gs, EDITOR)),
                "gs_head": make_user("gs_head", township_group(gs, HEAD)),
                "xx_editor": make_user("xx_editor", township_group(xx, EDITOR)),
                "county_admin": make_user("county_admin", county_admins),
                "plain_staff": make_user("plain_staff", is_staff=True),
            }
            image_model, document_model = get_image_model(), get_document_model()
            yield SimpleNamespace(
                portal=portal,
                gs=gs,
                xx=xx,
                users=users,
                gs_guide=factories.ServiceGuidePageFactory(parent=gs, title="官盛镇已发布指南"),
                gs_draft=factories.ServiceGuidePageFactory(
                    parent=gs, live=False, title="官盛镇待发布指南"
                ),
                xx_draft=factories.ServiceGuidePageFactory(
                    parent=xx, live=False, title="协兴镇草稿指南"
                ),
                gs_window=factories.ServiceWindowFactory(township=gs, name="官盛镇综合窗口"),
                xx_window=factories.ServiceWindowFactory(township=xx, name="协兴镇综合窗口"),
                gs_image=image_model.objects.create(
                    title="官盛镇图片", file=get_test_image_file(), collection=gs.collection
                ),
                xx_image=image_model.objects.create(
                    title="协兴镇图片", file=get_test_image_file(), collection=xx.collection
                ),
                gs_document=factories.DocumentFactory(title="官盛镇文件", collection=gs.collection),
                xx_document=factories.DocumentFactory(title="协兴镇文件", collection=xx.collection),
                basis=factories.LegalBasisFactory(title="社会救助暂行办法"),
                document_model=document_model,
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _post_page_edit(client, user, page, **changes):
    data = page_edit_data(page, user, **changes)
    return client.post(edit_url(page), data)


def _latest_title(page):
    return ServiceGuidePage.objects.get(pk=page.pk).get_latest_revision_as_object().title


# Each action returns the outcomes it observed; all must equal the expected value: True where
# the user may do it, False where the admin refuses (redirect, 403 or 404) and nothing changed.


def _shown(client, url, marker):
    response = client.get(url)
    return response.status_code == 200 and marker in response.content.decode()


def explore_other_township(client, w, user):
    return (_shown(client, reverse("wagtailadmin_explore", args=[w.xx.pk]), "协兴镇草稿指南"),)


def _edit_guide(name, page):
    def action(client, w, user):
        shown = _shown(client, edit_url(page(w)), page(w).title)
        _post_page_edit(client, user, page(w), title="改过的标题")
        return shown, _latest_title(page(w)) == "改过的标题"

    action.__name__ = name
    return action


edit_own_guide = _edit_guide("edit_own_guide", lambda w: w.gs_guide)
edit_other_township_guide = _edit_guide("edit_other_township_guide", lambda w: w.xx_draft)


def publish_own_guide(client, w, user):
    _post_page_edit(client, user, w.gs_draft, **{"action-publish": "action-publish"})
    return (ServiceGuidePage.objects.get(pk=w.gs_draft.pk).live,)


def _edit_snippet(name, instance, field, value):
    def action(client, w, user):
        obj = instance(w)
        url = reverse(obj.snippet_viewset.get_url_name("edit"), args=[obj.pk])
        shown = _shown(client, url, getattr(obj, field))
        client.post(url, snippet_edit_data(obj, user, **{field: value}))
        return shown, getattr(type(obj).objects.get(pk=obj.pk), field) == value

    action.__name__ = name
    return action


edit_own_window = _edit_snippet("edit_own_window", lambda w: w.gs_window, "name", "改名的窗口")
edit_other_window = _edit_snippet("edit_other_window", lambda w: w.xx_window, "name", "改名的窗口")
edit_legal_basis = _edit_snippet("edit_legal_basis", lambda w: w.basis, "title", "改名的依据")


def view_other_image(client, w, user):
    return (_shown(client, reverse("wagtailimages:edit", args=[w.xx_image.pk]), "协兴镇图片"),)


def view_other_document(client, w, user):
    return (_shown(client, reverse("wagtaildocs:edit", args=[w.xx_document.pk]), "协兴镇文件"),)


USERS = ["gs_editor", "gs_head", "xx_editor", "county_admin", "plain_staff"]
MATRIX = {
    #                           gs_editor gs_head xx_editor county_admin plain_staff
    explore_other_township:     [False,   False,  True,     True,        False],
    edit_own_guide:             [True,    True,   False,    True,        False],
    edit_other_township_guide:  [False,   False,  True,     True,        False],
    publish_own_guide:          [False,   True,   False,    True,        False],
    edit_own_window:            [True,    True,   False,    True,        False],
    edit_other_window:          [False,   False,  True,     True,        False],
    view_other_image:           [False,   False,  True,     True,        False],
    view_other_document:        [False,   False,  True,     True,        False],
    edit_legal_basis:           [False,   False,  False,    True,        False],
}  # fmt: skip
CASES = [
    pytest.param(action, user, expected, id=f"{action.__name__}-{user}")
    for action, row in MATRIX.items()
    for user, expected in zip(USERS, row, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "user", "expected"), CASES)
def test_matrix(world, client, action, user, expected):
    client.force_login(world.users[user])
    outcomes = action(client, world, world.users[user])
    assert outcomes == (expected,) * len(outcomes)


# --- what 官盛镇's editor sees of 协兴镇 in listings and choosers ---------------------------------


@pytest.fixture
def gs_editor_client(world, client):
    client.force_login(world.users["gs_editor"])
    return client


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    if response["Content-Type"].startswith("application/json"):  # modal choosers
        return response.json()["html"]
    return response.content.decode()


@pytest.mark.django_db
def test_page_chooser_offers_only_own_township(world, gs_editor_client):
    html = _get(gs_editor_client, reverse("wagtailadmin_choose_page_child", args=[world.xx.pk]))
    assert "协兴镇草稿指南" not in html
    html = _get(gs_editor_client, reverse("wagtailadmin_choose_page_child", args=[world.portal.pk]))
    assert "官盛镇" in html
    assert "协兴镇" not in html
    html = _get(gs_editor_client, reverse("wagtailadmin_choose_page_child", args=[world.gs.pk]))
    assert "官盛镇待发布指南" in html


def _search_other_draft(client, url, world):
    """Whether searching for 协兴镇's draft lists it (its edit link is in every result row)."""
    return edit_url(world.xx_draft) in _get(client, url, q="协兴镇草稿指南")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["wagtailadmin_choose_page_search", "wagtailadmin_pages:search"]
)
def test_page_search_finds_only_own_township(world, client, url_name):
    url = reverse(url_name)
    client.force_login(world.users["county_admin"])
    assert _search_other_draft(client, url, world)  # the search does find it…
    client.force_login(world.users["gs_editor"])
    assert not _search_other_draft(client, url, world)  # …but not for 官盛镇's editor


@pytest.mark.django_db
def test_preview_of_other_township(world, gs_editor_client):
    for name in ("wagtailadmin_pages:preview_on_edit", "wagtailadmin_pages:view_draft"):
        response = gs_editor_client.get(reverse(name, args=[world.xx_draft.pk]))
        assert response.status_code in (302, 403, 404)
        assert "协兴镇草稿指南" not in response.content.decode()


@pytest.mark.django_db
def test_image_and_document_listings_and_choosers(world, gs_editor_client):
    for url in (reverse("wagtailimages:index"), reverse("wagtailimages_chooser:choose")):
        html = _get(gs_editor_client, url)
        assert "官盛镇图片" in html
        assert "协兴镇图片" not in html
    for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs_chooser:choose")):
        html = _get(gs_editor_client, url)
        assert "官盛镇文件" in html
        assert "协兴镇文件" not in html


@pytest.mark.django_db
def test_window_listing_chooser_and_form(world, gs_editor_client):
    viewset = ServiceWindow.snippet_viewset
    html = _get(gs_editor_client, reverse(viewset.get_url_name("list")))
    assert "官盛镇综合窗口" in html
    assert "协兴镇综合窗口" not in html

    chooser = viewset.chooser_viewset
    html = _get(gs_editor_client, reverse(chooser.get_url_name("choose")))
    assert "官盛镇综合窗口" in html
    assert "协兴镇综合窗口" not in html
    html = _get(gs_editor_client, reverse(chooser.get_url_name("choose")), township=world.xx.pk)
    assert "官盛镇综合窗口" not in html
    response = gs_editor_client.get(
        reverse(chooser.get_url_name("chosen"), args=[world.xx_window.pk])
    )
    assert response.status_code == 404

    # the township field offers only 官盛镇, and 协兴镇 is refused
    add_url = reverse(viewset.get_url_name("add"))
    html = _get(gs_editor_client, add_url)
    assert "协兴镇" not in html
    data = snippet_edit_data(
        ServiceWindow(township=world.gs),
        world.users["gs_editor"],
        township=str(world.xx.pk),
        number="9",
        name="越权窗口",
    )
    gs_editor_client.post(add_url, data)
    assert not ServiceWindow.objects.filter(name="越权窗口").exists()
    data["township"] = str(world.gs.pk)
    gs_editor_client.post(add_url, data)
    assert ServiceWindow.objects.get(name="越权窗口").township == world.gs

    # deleting another township's window is refused
    delete_url = reverse(viewset.get_url_name("delete"), args=[world.xx_window.pk])
    gs_editor_client.post(delete_url)
    assert ServiceWindow.objects.filter(pk=world.xx_window.pk).exists()


@pytest.mark.django_db
def test_county_admin_sees_every_window(world, client):
    client.force_login(world.users["county_admin"])
    html = _get(client, reverse(ServiceWindow.snippet_viewset.get_url_name("list")))
    assert "官盛镇综合窗口" in html
    assert "协兴镇综合窗口" in html


@pytest.mark.django_db
def test_editor_chooses_but_cannot_list_shared_records(world, gs_editor_client):
    chooser = LegalBasis.snippet_viewset.chooser_viewset
    html = _get(gs_editor_client, reverse(chooser.get_url_name("choose")))
    assert "社会救助暂行办法" in html
    response = gs_editor_client.get(reverse(LegalBasis.snippet_viewset.get_url_name("list")))
    assert response.status_code == 302


@pytest.mark.django_db
def test_shared_records_menu_and_catalog_filters(world, client):
    client.force_login(world.users["county_admin"])
    other_department = factories.DepartmentFactory(name="区民政局")
    factories.ServiceItemFactory(name="城乡低保审核", department=other_department)
    factories.ServiceItemFactory(name="临时救助审批")
    url = reverse(ServiceItem.snippet_viewset.get_url_name("list"))
    html = _get(client, url, department=other_department.pk)
    assert "城乡低保审核" in html
    assert "临时救助审批" not in html
    html = _get(client, url, q="低保")
    assert "城乡低保审核" in html
    assert "临时救助审批" not in html
    html = _get(client, reverse("wagtailadmin_home"))
    assert json.dumps("事项与依据")[1:-1] in html  # the sidebar's menu, serialised as JSON
