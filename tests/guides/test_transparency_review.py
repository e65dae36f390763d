"""The reviewer role: reads, reviews and sends back, never edits or publishes; who sees the board;
the township staff's dashboard panel; reminders."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from guides import factories
from guides.models import (
    GuideReview,
    LegalBasis,
    ReviewReminder,
    ServiceGuidePage,
    TownshipPage,
    TownshipRoleKind,
)
from guides.models.reviews import ReviewDecision
from guides.permissions import REVIEWER_GROUP, ensure_county_groups
from guides.transparency.access import board_townships, can_review
from guides.transparency.reviews import ReviewError, mark_reviewed, send_back
from tests.guides.test_admin_publish import edit_url, make_user, message_texts, page_edit_data
from tests.guides.test_admin_publish import township_group as group_of
from tests.places import make_other_township, make_portal, make_township

pytestmark = pytest.mark.django_db

EDITOR, CLERK, HEAD = TownshipRoleKind.EDITOR, TownshipRoleKind.CLERK, TownshipRoleKind.HEAD


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("transparency-review-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            factories.reset_seed()
            portal = make_portal()
            gs, xx = make_township(portal), make_other_township(portal)
            gs = TownshipPage.objects.get(pk=gs.pk)
            xx = TownshipPage.objects.get(pk=xx.pk)
            admins, reviewers = ensure_county_groups()
            yield SimpleNamespace(
                gs=gs,
                xx=xx,
                guide=factories.ServiceGuidePageFactory(parent=gs, title="最低生活保障申请"),
                xx_guide=factories.ServiceGuidePageFactory(parent=xx, title="协兴镇临时救助"),
                reviewer=make_user("reviewer", reviewers, email="reviewer@example.cn"),
                editor=make_user("gs_editor", group_of(gs, EDITOR), email="editor@example.cn"),
                head=make_user("gs_head", group_of(gs, HEAD), email="head@example.cn"),
                clerk=make_user("gs_clerk", group_of(gs, CLERK), email="clerk@example.cn"),
                xx_editor=make_user("xx_editor", group_of(xx, EDITOR), email="xx@example.cn"),
                county_admin=make_user("county_admin", admins),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def board(name, *args):
    return reverse(f"guides_transparency:{name}", args=args)


def denied(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code == 403


def fresh(page):
    return type(page).objects.get(pk=page.pk)


# --- the reviewer group --------------------------------------------------------------------------


def test_reviewer_group_permissions_are_idempotent(world):
    before = set(Group.objects.get(name=REVIEWER_GROUP).permissions.all())
    _admins, reviewers = ensure_county_groups()
    _admins, again = ensure_county_groups()
    assert reviewers == again
    codenames = set(reviewers.permissions.values_list("codename", flat=True))
    assert codenames == {
        "access_admin",
        "review_disclosures",
        "view_serviceitem",
        "view_department",
        "view_feestandard",
        "view_legalbasis",
    }
    assert set(reviewers.permissions.all()) == before
    assert reviewers.permissions.count() == len(codenames)
    # no page permission anywhere: nothing to edit, publish or lock
    assert not GroupPagePermission.objects.filter(group=reviewers).exists()


def test_reviewer_can_review_others_cannot(world):
    assert can_review(world.reviewer)
    for user in (world.editor, world.head, world.clerk, world.county_admin):
        assert not can_review(user), user


def test_reviewer_cannot_edit_or_publish_pages(world, client):
    guide = fresh(world.guide)
    permissions = guide.permissions_for_user(world.reviewer)
    assert not permissions.can_edit()
    assert not permissions.can_publish()
    assert not permissions.can_unpublish()
    assert not permissions.can_lock()

    client.force_login(world.reviewer)
    assert denied(client.get(edit_url(guide)))
    data = page_edit_data(guide, world.editor, title="审查员改过的标题", **{"action-publish": "1"})
    assert denied(client.post(edit_url(guide), data))
    guide = fresh(world.guide)
    assert guide.title == "最低生活保障申请"
    assert guide.get_latest_revision_as_object().title == "最低生活保障申请"
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[guide.pk])
    assert denied(client.post(unpublish))
    assert fresh(world.guide).live
    explore = client.get(reverse("wagtailadmin_explore", args=[world.gs.pk]))
    assert denied(explore)


def test_reviewer_reads_shared_records_but_cannot_change_them(world, client):
    basis = LegalBasis.objects.filter(guide_links__guide=world.guide).first()
    client.force_login(world.reviewer)
    listing = client.get(reverse("wagtailsnippets_guides_legalbasis:list"))
    assert listing.status_code == 200
    assert basis.title in listing.content.decode()
    edit = client.get(reverse("wagtailsnippets_guides_legalbasis:edit", args=[basis.pk]))
    assert denied(edit)


def test_reviewer_reads_a_guide_in_the_board(world, client):
    client.force_login(world.reviewer)
    response = client.get(board("guide", world.guide.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "最低生活保障申请" in html
    assert "申请人居民身份证" in html  # the guide's content, read only
    assert "data-transparency-review-form" in html
    assert world.guide.url in html  # link to the public page
    assert edit_url(world.guide) not in html  # no editor link for a reviewer


# --- reviewing -----------------------------------------------------------------------------------


def test_mark_reviewed_through_the_board(world, client):
    client.force_login(world.reviewer)
    response = client.post(board("guide", world.guide.pk), {"decision": "reviewed", "comment": ""})
    assert response.status_code == 302
    review = GuideReview.objects.get(guide=world.guide)
    assert review.decision == ReviewDecision.REVIEWED
    assert review.reviewer == world.reviewer
    assert review.revision_id == fresh(world.guide).live_revision_id
    assert mail.outbox == []
    listing = client.get(board("township", world.gs.code) + "?show=stale")
    assert f'data-guide="{world.guide.pk}"' not in listing.content.decode()  # no longer stale


def test_send_back_notifies_the_township(world, client):
    client.force_login(world.reviewer)
    response = client.post(
        board("guide", world.guide.pk),
        {"decision": "sent_back", "comment": "监督投诉电话应为区纪委监督电话。"},
    )
    assert response.status_code == 302
    review = GuideReview.objects.get(guide=world.guide)
    assert review.decision == ReviewDecision.SENT_BACK
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["editor@example.cn", "head@example.cn"]  # not the clerk
    assert "最低生活保障申请" in message.subject
    assert "监督投诉电话应为区纪委监督电话。" in message.body
    assert edit_url(world.guide) in message.body
    assert any("已退回" in text for text in message_texts(response))

    # the editor sees it on the dashboard, with the comment
    client.force_login(world.editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政务公开提醒" in home
    assert "监督投诉电话应为区纪委监督电话。" in home
    # the other township's editor does not
    client.force_login(world.xx_editor)
    assert (
        "监督投诉电话应为区纪委监督电话。"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_send_back_requires_a_comment(world, client):
    client.force_login(world.reviewer)
    response = client.post(
        board("guide", world.guide.pk), {"decision": "sent_back", "comment": " "}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "退回修改必须填写审查意见" in response.content.decode()
    assert not GuideReview.objects.exists()
    with pytest.raises(ReviewError):
        send_back(fresh(world.guide), world.reviewer, "")
    assert not GuideReview.objects.exists()


def test_only_reviewers_may_review(world, client):
    for user in (world.editor, world.head, world.county_admin):
        client.force_login(user)
        response = client.post(board("guide", world.guide.pk), {"decision": "reviewed"})
        assert denied(response), user
    assert not GuideReview.objects.exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mark_reviewed(fresh(world.guide), world.county_admin)


def test_a_guide_not_live_cannot_be_reviewed(world):
    guide = fresh(world.guide)
    guide.unpublish()
    with pytest.raises(ReviewError):
        mark_reviewed(fresh(world.guide), world.reviewer)


def test_a_failed_email_keeps_the_review_and_says_so(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens
    settings.EMAIL_TIMEOUT = 2
    client.force_login(world.reviewer)
    response = client.post(
        board("guide", world.guide.pk), {"decision": "sent_back", "comment": "请补充材料样表。"}
    )
    assert GuideReview.objects.filter(decision=ReviewDecision.SENT_BACK).count() == 1
    assert any("邮件未能发送" in text for text in message_texts(response))


# --- who sees the board ----------------------------------------------------------------------------


def test_board_visibility(world, client):
    everyone = {world.gs.code, world.xx.code}
    assert {t.code for t in board_townships(world.reviewer)} == everyone
    assert {t.code for t in board_townships(world.county_admin)} == everyone
    assert {t.code for t in board_townships(world.editor)} == {world.gs.code}
    assert {t.code for t in board_townships(world.head)} == {world.gs.code}
    assert not board_townships(world.clerk).exists()

    client.force_login(world.editor)
    response = client.get(board("index"))
    assert response.status_code == 200
    assert [r["report"].township.code for r in response.context["rows"]] == [world.gs.code]
    assert denied(client.get(board("township", world.xx.code)))
    assert denied(client.get(board("guide", world.xx_guide.pk)))
    assert client.get(board("township", world.gs.code)).status_code == 200

    client.force_login(world.clerk)
    assert denied(client.get(board("index")))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert board("index") not in home  # no menu item

    client.force_login(world.reviewer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert board("index") in home  # the menu item "公开审查"


def test_drill_down_links(world, client):
    client.force_login(world.head)
    response = client.get(board("township", world.gs.code) + "?show=stale")
    html = response.content.decode()
    assert board("guide", world.guide.pk) in html
    assert world.guide.url in html  # the public page
    assert edit_url(world.guide) in html  # the head may edit: the editor is linked


# --- reminders --------------------------------------------------------------------------------------


def test_reminders_command_records_emails_and_waits(world):
    GuideReview.objects.create(
        guide=world.xx_guide,
        decision=ReviewDecision.REVIEWED,
        created_at=timezone.now(),
    )
    call_command("transparency_reminders", verbosity=0)
    reminder = ReviewReminder.objects.get()
    assert reminder.township == world.gs  # 协兴镇's only guide was just reviewed
    assert [g["title"] for g in reminder.stale_guides] == ["最低生活保障申请"]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["editor@example.cn", "head@example.cn"]
    assert "最低生活保障申请" in mail.outbox[0].body
    assert "从未审查" in mail.outbox[0].body

    call_command("transparency_reminders", verbosity=0)  # within the interval: nothing new
    assert ReviewReminder.objects.count() == 1
    assert len(mail.outbox) == 1
    call_command("transparency_reminders", "--force", verbosity=0)
    assert ReviewReminder.objects.count() == 2
    assert len(mail.outbox) == 2

    call_command("transparency_reminders", "--dry-run", "--force", verbosity=0)
    assert ReviewReminder.objects.count() == 2


def test_no_reminder_when_nothing_is_due(world):
    for guide in (world.guide, world.xx_guide):
        mark_reviewed(fresh(guide), world.reviewer)
    call_command("transparency_reminders", verbosity=0)
    assert not ReviewReminder.objects.exists()
    assert mail.outbox == []


def test_dashboard_panel_lists_stale_guides_for_the_editor(world, client):
    client.force_login(world.editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政务公开提醒" in home
    assert "超期未审查：1" in home
    for guide in (world.guide,):
        mark_reviewed(fresh(guide), world.reviewer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政务公开提醒" not in home  # nothing left to do


def test_editor_changes_are_not_reviews(world, client):
    """An editor saving the guide does not count as a review."""
    client.force_login(world.editor)
    data = page_edit_data(fresh(world.guide), world.editor, summary="编辑改的")
    client.post(edit_url(world.guide), data)
    assert not GuideReview.objects.exists()
    assert ServiceGuidePage.objects.get(pk=world.guide.pk).has_unpublished_changes
