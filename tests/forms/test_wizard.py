"""The application wizard end to end through the test client: steps, errors, uploads kept,
drafts in the database, idempotent submission, tampering refused."""

import pytest
from django.test import Client
from django.urls import reverse

from forms.models import Application, ApplicationStatus, Draft, DraftStatus, GuideQuestion
from tests.forms.conftest import valid_id_number
from tests.forms.files import jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db

MGMT = "application_wizard-current_step"


def start(client, guide):
    response = client.post(reverse("applications:start", args=[guide.pk]))
    assert response.status_code == 302
    return Draft.objects.latest("pk")


def step_url(draft, step):
    return reverse("applications:step", kwargs={"token": draft.token, "step": step})


def post_step(client, draft, step, data=None, files=None, query=""):
    payload = {MGMT: step}
    for key, value in (data or {}).items():
        payload[f"{step}-{key}"] = value
    for key, value in (files or {}).items():
        payload[f"{step}-{key}"] = value
    return client.post(step_url(draft, step) + query, payload)


def material_steps(guide):
    return [f"m-{m.pk}" for m in guide.materials.all()]


def fill_until_check(client, draft, guide, village):
    assert (
        post_step(
            client,
            draft,
            "applicant",
            {"name": "张秀英", "id_number": valid_id_number(), "mobile": "138 1234 5678"},
        ).status_code
        == 302
    )
    assert (
        post_step(
            client,
            draft,
            "address",
            {"township": village.code[:9], "village": village.code, "address": "3组25号"},
        ).status_code
        == 302
    )
    required, deferrable = material_steps(guide)
    assert post_step(client, draft, required, files={"file": jpeg_upload()}).status_code == 302
    assert post_step(client, draft, deferrable).status_code == 302  # 容缺: may come later
    assert post_step(client, draft, "declaration", {"declaration": "on"}).status_code == 302


def test_start_page_lists_materials_and_creates_draft_only_on_post(client, online_guide):
    url = reverse("applications:start", args=[online_guide.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "户口簿" in page.content.decode()
    assert not Draft.objects.exists()
    draft = start(client, online_guide)
    assert draft.guide_id == online_guide.pk


def test_guide_without_online_channel_is_refused(client, township):
    from guides import factories

    guide = factories.ServiceGuidePageFactory(parent=township, channel_online=False)
    response = client.post(reverse("applications:start", args=[guide.pk]))
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_complete_application(client, online_guide, village):
    draft = start(client, online_guide)
    fill_until_check(client, draft, online_guide, village)
    check = client.get(step_url(draft, "check"))
    body = check.content.decode()
    assert "张秀英" in body and "身份证正面.jpg" in body and "修改" in body
    assert "石笋村" in body  # the village by name, not by code
    response = post_step(client, draft, "check")
    assert response.status_code == 302
    application = Application.objects.get()
    assert response.url == reverse("applications:confirmation", kwargs={"token": draft.token})
    assert application.applicant_name == "张秀英"
    assert application.mobile == "13812345678"
    assert application.village == village
    assert application.status == ApplicationStatus.SUBMITTED
    assert len(application.case_number) == 43
    assert [f.material_name for f in application.files.all()] == ["申请人居民身份证"]
    assert application.events.get().action == "submitted"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED and draft.data == {}
    confirmation = client.get(response.url)
    assert application.display_tracking_number in confirmation.content.decode()


def test_second_submit_makes_no_second_application(client, online_guide, village):
    draft = start(client, online_guide)
    fill_until_check(client, draft, online_guide, village)
    first = post_step(client, draft, "check")
    second = post_step(client, draft, "check")
    assert Application.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url


def test_errors_are_listed_in_chinese_and_input_is_kept(client, online_guide):
    draft = start(client, online_guide)
    response = post_step(
        client,
        draft,
        "applicant",
        {"name": "张秀英", "id_number": "511602195603171230", "mobile": "12345"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请更正以下问题" in body
    assert "校验位" in body and "手机号码应为以1开头的11位数字" in body
    assert 'href="#id_applicant-id_number"' in body
    assert 'value="张秀英"' in body and 'value="511602195603171230"' in body


def test_upload_is_kept_when_going_back_and_forward(client, online_guide, village):
    draft = start(client, online_guide)
    required, _deferrable = material_steps(online_guide)
    assert post_step(client, draft, required, files={"file": pdf_upload()}).status_code == 302
    page = client.get(step_url(draft, required))
    assert "已上传：户口簿.pdf" in page.content.decode()
    # Continue without choosing the file again: the stored one is kept.
    assert post_step(client, draft, required).status_code == 302
    draft.refresh_from_db()
    stored = draft.data["step_files"][required][f"{required}-file"]
    assert stored["content_type"] == "application/pdf"


def test_required_material_without_file_is_refused(client, online_guide):
    draft = start(client, online_guide)
    required, _deferrable = material_steps(online_guide)
    response = post_step(client, draft, required)
    assert response.status_code == 200
    assert "请更正以下问题" in response.content.decode()


def test_bad_file_is_refused_in_the_page(client, online_guide):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = start(client, online_guide)
    required, _deferrable = material_steps(online_guide)
    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", "image/jpeg")
    response = post_step(client, draft, required, files={"file": fake})
    assert response.status_code == 200
    assert "请更正以下问题" in response.content.decode()
    draft.refresh_from_db()
    assert required not in draft.data.get("step_files", {})


def test_draft_survives_a_new_client_and_resumes_by_code(client, online_guide):
    draft = start(client, online_guide)
    post_step(client, draft, "applicant", {"name": "李四", "id_number": "x", "mobile": "1"})
    post_step(
        client,
        draft,
        "applicant",
        {"name": "李建国", "id_number": valid_id_number(), "mobile": "13912345678"},
    )
    other = Client()  # another browser: no session, no cookies
    response = other.post(reverse("applications:resume"), {"code": draft.display_code.lower()})
    assert response.status_code == 302
    followed = other.get(response.url, follow=True)
    assert followed.status_code == 200
    page = other.get(step_url(draft, "applicant"))
    assert 'value="李建国"' in page.content.decode()


def test_wrong_resume_code_is_explained(client):
    response = client.post(reverse("applications:resume"), {"code": "ABCD-EFGH"})
    assert response.status_code == 200
    assert "没有找到这个续填码" in response.content.decode()


def test_post_without_a_draft_is_refused(client, online_guide):
    response = client.post(
        reverse("applications:step", kwargs={"token": "nope", "step": "applicant"}),
        {MGMT: "applicant"},
    )
    assert response.status_code == 404
    assert not Draft.objects.exists() and not Application.objects.exists()


@pytest.mark.parametrize("posted_step", ["declaration", "no-such-step", ""])
def test_forged_or_replayed_step_is_refused(client, online_guide, posted_step):
    draft = start(client, online_guide)
    response = client.post(
        step_url(draft, "applicant"),
        {MGMT: posted_step, f"{posted_step}-declaration": "on"},
    )
    assert response.status_code == 400
    assert "您的申请没有改变" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data.get("step_data", {}) == {}


def test_submitted_draft_cannot_be_changed(client, online_guide, village):
    draft = start(client, online_guide)
    fill_until_check(client, draft, online_guide, village)
    post_step(client, draft, "check")
    response = post_step(client, draft, "applicant", {"name": "王五"})
    assert response.status_code == 302
    assert Application.objects.get().applicant_name == "张秀英"


def test_skipping_ahead_submits_nothing(client, online_guide):
    draft = start(client, online_guide)
    response = post_step(client, draft, "check")
    assert response.status_code == 302
    assert response.url.endswith("/applicant/")
    assert not Application.objects.exists()


def test_change_link_returns_to_check(client, online_guide, village):
    draft = start(client, online_guide)
    fill_until_check(client, draft, online_guide, village)
    response = post_step(
        client,
        draft,
        "address",
        {"township": village.code[:9], "village": village.code, "address": "5组1号"},
        query="?change=1",
    )
    assert response.url == step_url(draft, "check")
    post_step(client, draft, "check")
    assert Application.objects.get().address == "5组1号"


def test_village_must_belong_to_the_township(client, online_guide, village, other_township):
    draft = start(client, online_guide)
    response = post_step(
        client,
        draft,
        "address",
        {"township": other_township.code, "village": village.code, "address": "1号"},
    )
    assert response.status_code == 200
    assert "不属于" in response.content.decode()


def test_conditional_question_is_shown_only_when_its_condition_holds(client, online_guide, village):
    online_guide.application_questions.add(
        GuideQuestion(key="disabled", label="家中是否有残疾人？", kind="yes_no", sort_order=0)
    )
    online_guide.application_questions.add(
        GuideQuestion(
            key="disability-card",
            label="残疾人证号码",
            sort_order=1,
            kind="text",
            condition_key="disabled",
            condition_value="是",
        )
    )
    online_guide.save_revision().publish()
    draft = start(client, online_guide)
    post_step(
        client,
        draft,
        "applicant",
        {"name": "张秀英", "id_number": valid_id_number(), "mobile": "13812345678"},
    )
    post_step(
        client,
        draft,
        "address",
        {"township": village.code[:9], "village": village.code, "address": "3组"},
    )
    answer_no = post_step(client, draft, "q-disabled", {"answer": "否"})
    assert answer_no.url != step_url(draft, "q-disability-card")
    answer_yes = post_step(client, draft, "q-disabled", {"answer": "是"})
    assert answer_yes.url == step_url(draft, "q-disability-card")
    invalid = post_step(client, draft, "q-disabled", {"answer": "也许"})
    assert "请选择“是”或“否”" in invalid.content.decode()


def test_village_agent_applies_on_behalf_with_an_authorisation(
    client, online_guide, village, django_user_model
):
    from forms.models import VillageAgent

    user = django_user_model.objects.create_user("agent-1", password="pw-secret-1")
    agent = VillageAgent.objects.create(user=user, village=village, name="刘代办")
    login = client.post(
        reverse("applications:agent_login"), {"username": "agent-1", "password": "pw-secret-1"}
    )
    assert login.status_code == 302
    draft = start(client, online_guide)
    assert draft.agent == user
    fill_until_check(client, draft, online_guide, village)
    # The agent step comes before the declaration: submitting now sends the agent back to it.
    missing = post_step(client, draft, "check")
    assert missing.url == step_url(draft, "agent")
    assert post_step(client, draft, "agent", files={"file": pdf_upload()}).status_code == 302
    post_step(client, draft, "check")
    application = Application.objects.get()
    assert application.agent == agent
    assert "代办授权委托书" in [f.material_name for f in application.files.all()]
    home = client.get(reverse("applications:agent_home")).content.decode()
    assert application.item_name in home
    status = client.get(reverse("applications:status_detail", args=[application.tracking_number]))
    assert status.status_code == 200


def test_agent_home_requires_an_agent(client, django_user_model):
    django_user_model.objects.create_user("plain", password="pw-secret-1")
    client.login(username="plain", password="pw-secret-1")
    response = client.get(reverse("applications:agent_home"))
    assert response.status_code == 302 and "login" in response.url
