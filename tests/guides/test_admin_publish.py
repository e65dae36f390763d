"""The publish gate in the admin: the editor form, the review workflow, scheduled publishing."""

import datetime

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import call_command
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from guides import factories
from guides.models import (
    DisclosureApprovalTask,
    GuideCondition,
    GuideLegalBasis,
    ServiceGuidePage,
    TownshipGroup,
    TownshipRoleKind,
)
from guides.models.choices import BasisStatus
from guides.publishing import publish_blockers

pytestmark = pytest.mark.django_db


# --- helpers shared with test_isolation -----------------------------------------------------


def _field_value(bound_field):
    value = bound_field.value()
    if isinstance(bound_field.field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v.pk if isinstance(v, Model) else v) for v in value]
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def form_to_data(form):
    """POST data reproducing an unbound admin form as rendered (fields and inline formsets)."""
    data = {}

    def add(bound_field):
        value = _field_value(bound_field)
        if value is not None:
            data[bound_field.html_name] = value

    for bound_field in form:
        add(bound_field)
    for formset in getattr(form, "formsets", {}).values():
        for bound_field in formset.management_form:
            add(bound_field)
        for child in formset.forms:
            for bound_field in child:
                add(bound_field)
    return data


def page_edit_data(page, user, **changes):
    """The edit form's POST data for the page's latest revision, with ``changes`` applied."""
    latest = page.get_latest_revision_as_object()
    form_class = latest.get_edit_handler().get_form_class()
    form = form_class(instance=latest, parent_page=latest.get_parent(), for_user=user)
    data = form_to_data(form)
    data.update(changes)
    return data


def snippet_edit_data(instance, user, **changes):
    from wagtail.snippets.models import get_snippet_models  # noqa: F401 (registers viewsets)

    viewset = type(instance).snippet_viewset
    form_class = viewset.get_form_class(for_update=True)
    form = form_class(instance=instance, for_user=user)
    data = form_to_data(form)
    data.update(changes)
    return data


def township_group(township, role):
    return TownshipGroup.objects.get(township=township, role=role).group


def make_user(username, *groups, **extra):
    user = get_user_model().objects.create_user(username=username, password="x", **extra)
    user.groups.add(*groups)
    return user


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def message_texts(response):
    return [str(m.message) for m in get_messages(response.wsgi_request)]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def editor(township):
    return make_user("gs_editor", township_group(township, TownshipRoleKind.EDITOR))


@pytest.fixture
def head(township):
    return make_user("gs_head", township_group(township, TownshipRoleKind.HEAD))


@pytest.fixture
def draft_guide(township):
    """A complete guide, never published."""
    return factories.ServiceGuidePageFactory(parent=township, live=False, title="最低生活保障申请")


@pytest.fixture
def incomplete_guide(township):
    """A draft with no conditions, no steps and no fee statement."""
    guide = factories.ServiceGuidePageFactory(parent=township, live=False, title="临时救助申请")
    guide.conditions.clear()
    guide.steps.clear()
    guide.fee_status = ""
    guide.save()
    guide.save_revision()
    return ServiceGuidePage.objects.get(pk=guide.pk)


# --- the editor form ------------------------------------------------------------------------


def test_guide_uses_the_gated_admin_form():
    from guides.admin_forms import ServiceGuideAdminForm

    assert issubclass(ServiceGuidePage.get_edit_handler().get_form_class(), ServiceGuideAdminForm)


def test_saving_a_draft_of_an_incomplete_guide_always_works(client, editor, incomplete_guide):
    client.force_login(editor)
    data = page_edit_data(incomplete_guide, editor, summary="草稿也要能保存")
    response = client.post(edit_url(incomplete_guide), data)
    assert response.status_code == 302
    latest = ServiceGuidePage.objects.get(pk=incomplete_guide.pk).get_latest_revision_as_object()
    assert latest.summary == "草稿也要能保存"
    assert publish_blockers(latest)  # still incomplete, saved anyway


def test_publish_refused_lists_every_reason_and_keeps_what_was_typed(
    client, head, incomplete_guide
):
    client.force_login(head)
    revisions_before = incomplete_guide.revisions.count()
    data = page_edit_data(
        incomplete_guide,
        head,
        **{
            "summary": "编辑刚刚输入的简介",
            "faqs-TOTAL_FORMS": "1",
            "faqs-0-question": "需要本人到场吗？",
            "faqs-0-answer": "需要本人携带身份证原件到场。",
            "faqs-0-ORDER": "1",
            "faqs-0-id": "",
            "action-publish": "action-publish",
        },
    )
    response = client.post(edit_url(incomplete_guide), data)

    assert response.status_code == 200  # the edit page again, not a redirect
    html = response.content.decode()
    reasons = publish_blockers(incomplete_guide)
    assert len(reasons) >= 3
    errors = response.context["form"].non_field_errors()
    assert "不能发布" in errors[0]
    for reason in reasons:
        assert reason in errors
        assert reason in "\n".join(message_texts(response))  # listed at the top of the page
    # nothing typed is lost: field and inline-row values are rendered back
    assert "编辑刚刚输入的简介" in html
    assert "需要本人到场吗？" in html
    assert "需要本人携带身份证原件到场。" in html
    # and nothing was published or saved
    incomplete_guide.refresh_from_db()
    assert not incomplete_guide.live
    assert incomplete_guide.revisions.count() == revisions_before


def test_rows_typed_in_the_form_count_for_the_gate(client, head, draft_guide):
    """The gate sees inline rows as typed (modelcluster rows attached in memory)."""
    draft_guide.conditions.clear()
    draft_guide.save_revision()
    client.force_login(head)
    data = page_edit_data(
        draft_guide,
        head,
        **{
            "conditions-TOTAL_FORMS": "1",
            "conditions-0-text": "户籍在本镇且家庭人均收入低于当地低保标准。",
            "conditions-0-ORDER": "1",
            "conditions-0-id": "",
            "action-publish": "action-publish",
        },
    )
    response = client.post(edit_url(draft_guide), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    published = ServiceGuidePage.objects.get(pk=draft_guide.pk)
    assert published.live
    assert [c.text for c in published.conditions.all()] == [
        "户籍在本镇且家庭人均收入低于当地低保标准。"
    ]


def test_rows_deleted_in_the_form_count_for_the_gate(client, head, draft_guide):
    client.force_login(head)
    data = page_edit_data(draft_guide, head, **{"action-publish": "action-publish"})
    data["conditions-0-DELETE"] = "on"
    response = client.post(edit_url(draft_guide), data)
    assert response.status_code == 200
    assert any("受理条件" in e for e in response.context["form"].non_field_errors())
    draft_guide.refresh_from_db()
    assert not draft_guide.live


def test_deleting_one_of_two_rows_then_publishing(client, head, draft_guide):
    draft_guide.conditions.add(GuideCondition(text="第二个受理条件，稍后删除。", sort_order=1))
    draft_guide.save_revision()
    client.force_login(head)
    data = page_edit_data(draft_guide, head, **{"action-publish": "action-publish"})
    data["conditions-1-DELETE"] = "on"
    response = client.post(edit_url(draft_guide), data)
    assert response.status_code == 302
    published = ServiceGuidePage.objects.get(pk=draft_guide.pk)
    assert published.live
    assert [c.text for c in published.conditions.all()] == [
        "户籍在本乡镇，符合本事项规定条件的居民。"
    ]


def test_head_publishes_complete_guide(client, head, draft_guide):
    client.force_login(head)
    data = page_edit_data(draft_guide, head, **{"action-publish": "action-publish"})
    response = client.post(edit_url(draft_guide), data)
    assert response.status_code == 302
    draft_guide.refresh_from_db()
    assert draft_guide.live


def test_submit_refused_for_incomplete_guide(client, editor, incomplete_guide):
    client.force_login(editor)
    data = page_edit_data(incomplete_guide, editor, **{"action-submit": "action-submit"})
    response = client.post(edit_url(incomplete_guide), data)
    assert response.status_code == 200
    assert "不能提交审核" in response.context["form"].non_field_errors()[0]
    assert not WorkflowState.objects.filter(object_id=str(incomplete_guide.pk)).exists()


def test_window_choices_are_the_townships_own(township, other_township, head, draft_guide):
    own = factories.ServiceWindowFactory(township=township)
    other = factories.ServiceWindowFactory(township=other_township)
    form_class = ServiceGuidePage.get_edit_handler().get_form_class()
    form = form_class(instance=draft_guide, parent_page=township, for_user=head)
    assert list(form.fields["window"].queryset) == [own]
    assert f"?township={township.pk}" in form.fields["window"].widget.get_chooser_modal_url()

    data = page_edit_data(draft_guide, head, window=str(other.pk))
    form = form_class(data, instance=draft_guide, parent_page=township, for_user=head)
    assert not form.is_valid()
    assert "window" in form.errors


def test_new_guide_is_gated_with_the_parent_township(client, head, township):
    """On the create view the page has no tree position yet: the parent township is used."""
    client.force_login(head)
    url = reverse("wagtailadmin_pages:add", args=["guides", "serviceguidepage", township.pk])
    form_class = ServiceGuidePage.get_edit_handler().get_form_class()
    form = form_class(instance=ServiceGuidePage(), parent_page=township, for_user=head)
    data = form_to_data(form)
    data.update({"title": "新办事指南", "slug": "xin-zhinan", "action-publish": "action-publish"})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = "\n".join(response.context["form"].non_field_errors())
    assert "受理条件" in errors
    assert "办理地点" not in errors  # the township's address applies
    assert not ServiceGuidePage.objects.filter(slug="xin-zhinan").exists()


def test_edit_page_lists_current_blockers_in_a_side_panel(
    client, editor, incomplete_guide, draft_guide
):
    client.force_login(editor)
    html = client.get(edit_url(incomplete_guide)).content.decode()
    panel = html[html.index("data-guides-publish-checks") :]
    for reason in publish_blockers(incomplete_guide):
        assert reason in panel
    html = client.get(edit_url(draft_guide)).content.decode()
    assert "六公开要素齐全" in html


# --- second guards --------------------------------------------------------------------------


def _admin_request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_before_publish_page_hook_refuses_incomplete_guide(head, incomplete_guide, draft_guide):
    from guides.wagtail_hooks import refuse_incomplete_guide

    request = _admin_request(head)
    response = refuse_incomplete_guide(request, incomplete_guide)
    assert response.status_code == 302
    assert response.url == edit_url(incomplete_guide)
    texts = [str(m.message) for m in request._messages]
    for reason in publish_blockers(incomplete_guide):
        assert reason in texts[0]
    assert refuse_incomplete_guide(_admin_request(head), draft_guide) is None


def test_bulk_publish_hook_refuses_incomplete_guide(head, incomplete_guide, draft_guide):
    from guides.wagtail_hooks import refuse_bulk_publishing_incomplete_guides

    class Action:
        next_url = "/admin/pages/"
        cleaned_form = None

    request = _admin_request(head)
    response = refuse_bulk_publishing_incomplete_guides(
        request, "publish", [incomplete_guide, draft_guide], Action()
    )
    assert response.status_code == 302
    texts = [str(m.message) for m in request._messages]
    assert len(texts) == 1
    assert "临时救助申请" in texts[0]
    assert (
        refuse_bulk_publishing_incomplete_guides(
            _admin_request(head), "publish", [draft_guide], Action()
        )
        is None
    )
    assert (
        refuse_bulk_publishing_incomplete_guides(
            _admin_request(head), "delete", [incomplete_guide], Action()
        )
        is None
    )


# --- the review workflow --------------------------------------------------------------------


def _submit(client, editor, guide):
    client.force_login(editor)
    data = page_edit_data(guide, editor, **{"action-submit": "action-submit"})
    response = client.post(edit_url(guide), data)
    assert response.status_code == 302
    return WorkflowState.objects.get(object_id=str(guide.pk), status="in_progress")


def _approve_url(guide, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[guide.pk, "approve", task_state.pk])


def test_township_workflow_is_the_center_heads_review(township):
    workflow = WorkflowPage.objects.get(page=township).workflow
    assert workflow.name == "官盛镇指南审核"
    [task] = [t.specific for t in workflow.tasks]
    assert isinstance(task, DisclosureApprovalTask)
    assert list(task.groups.all()) == [township_group(township, TownshipRoleKind.HEAD)]


def test_editor_submits_and_head_approves_which_publishes(client, editor, head, draft_guide):
    state = _submit(client, editor, draft_guide)
    assert state.workflow.name == "官盛镇指南审核"
    draft_guide.refresh_from_db()
    assert not draft_guide.live

    client.force_login(head)
    response = client.post(_approve_url(draft_guide, state.current_task_state), {"comment": ""})
    assert response.status_code == 302
    draft_guide.refresh_from_db()
    assert draft_guide.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_editor_cannot_approve(client, editor, draft_guide):
    state = _submit(client, editor, draft_guide)
    response = client.post(_approve_url(draft_guide, state.current_task_state), {"comment": ""})
    assert response.status_code in (302, 403)
    draft_guide.refresh_from_db()
    assert not draft_guide.live
    assert TaskState.objects.get(pk=state.current_task_state_id).status == "in_progress"


def _repeal_basis(guide):
    link = GuideLegalBasis.objects.filter(guide=guide).first()
    link.legal_basis.status = BasisStatus.REPEALED
    link.legal_basis.save()


def test_approving_a_guide_that_became_incomplete_requests_changes(
    client, editor, head, draft_guide
):
    state = _submit(client, editor, draft_guide)
    _repeal_basis(draft_guide)  # the county repealed the basis while the guide waited

    client.force_login(head)
    response = client.post(
        _approve_url(draft_guide, state.current_task_state),
        {"comment": "同意"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200  # the modal's success step, not a 500
    assert response.json()["step"] == "success"

    draft_guide.refresh_from_db()
    assert not draft_guide.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = TaskState.objects.get(pk=state.current_task_state_id)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert "已废止" in task_state.comment
    assert "同意" in task_state.comment  # the reviewer's own comment is kept
    assert any("已废止" in text for text in message_texts(response))


def test_approving_from_the_edit_page_is_gated_by_the_form(client, editor, head, draft_guide):
    state = _submit(client, editor, draft_guide)
    _repeal_basis(draft_guide)
    client.force_login(head)
    data = page_edit_data(
        draft_guide,
        head,
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
    )
    response = client.post(edit_url(draft_guide), data)
    assert response.status_code == 200
    assert "不能审核通过" in response.context["form"].non_field_errors()[0]
    draft_guide.refresh_from_db()
    assert not draft_guide.live
    assert TaskState.objects.get(pk=state.current_task_state_id).status == "in_progress"


def test_plain_group_approval_task_failing_to_publish_is_handled(
    client, township, editor, head, draft_guide
):
    """Another task type: publishing raises PublishBlocked; the view requests changes."""
    task = GroupApprovalTask.objects.create(name="普通审核")
    task.groups.add(township_group(township, TownshipRoleKind.HEAD))
    workflow = Workflow.objects.create(name="普通流程")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.filter(page=township).update(workflow=workflow)

    state = _submit(client, editor, draft_guide)
    assert state.workflow == workflow
    _repeal_basis(draft_guide)
    client.force_login(head)
    response = client.post(_approve_url(draft_guide, state.current_task_state), {"comment": ""})
    assert response.status_code == 302
    draft_guide.refresh_from_db()
    assert not draft_guide.live
    task_state = TaskState.objects.get(pk=state.current_task_state_id)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert "已废止" in task_state.comment
    assert any("已废止" in text for text in message_texts(response))


def test_disclosure_task_approves_other_page_types(township, head):
    """Only guides have a publish gate: a notice index approves as usual."""
    notices = factories.NoticeIndexPageFactory(parent=township, live=False)
    notices.save_revision()
    workflow = WorkflowPage.objects.get(page=township).workflow
    state = workflow.start(notices, head)
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, head, "approve")
    notices.refresh_from_db()
    assert notices.live


# --- scheduled publishing -------------------------------------------------------------------


def test_scheduled_publishing_of_a_complete_guide(client, head, draft_guide, monkeypatch):
    client.force_login(head)
    go_live = timezone.now() + datetime.timedelta(days=2)
    data = page_edit_data(
        draft_guide,
        head,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "action-publish"},
    )
    response = client.post(edit_url(draft_guide), data)
    assert response.status_code == 302
    draft_guide.refresh_from_db()
    assert not draft_guide.live
    revision = draft_guide.revisions.get(approved_go_live_at__isnull=False)

    call_command("publish_scheduled")  # not yet
    draft_guide.refresh_from_db()
    assert not draft_guide.live

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=3))
    call_command("publish_scheduled")
    draft_guide.refresh_from_db()
    assert draft_guide.live
    assert draft_guide.live_revision_id == revision.pk


def test_scheduling_an_incomplete_guide_is_refused(client, head, incomplete_guide):
    client.force_login(head)
    go_live = timezone.now() + datetime.timedelta(days=2)
    data = page_edit_data(
        incomplete_guide,
        head,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "action-publish"},
    )
    response = client.post(edit_url(incomplete_guide), data)
    assert response.status_code == 200
    assert not incomplete_guide.revisions.filter(approved_go_live_at__isnull=False).exists()
