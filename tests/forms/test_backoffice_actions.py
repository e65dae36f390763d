"""An application's page in the back office and the actions on it, through the views."""

import pytest

from forms import actions
from forms.models import (
    Application,
    ApplicationStatus,
    EventAction,
    Notification,
    SupplementItem,
)
from forms.submission import Options
from guides.models.choices import HandlingClass
from tests.forms.backoffice_fixtures import *  # noqa: F403
from tests.forms.backoffice_fixtures import admin_url, submit

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def act(client, application, action, **data):
    """POST one action's form (fields are prefixed with the action's key)."""
    payload = {f"{action}-{name}": value for name, value in data.items()}
    return client.post(admin_url("act", application.pk, action), payload)


def state(application):
    application = Application.objects.get(pk=application.pk)
    return application.status, application.events.count()


@pytest.fixture
def application(online_guide):
    return submit(online_guide, name="张秀英", email="zhang@example.com")


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_everything_the_citizen_gave_and_the_record(
    signed_in, clerk, online_guide, village
):
    application = submit(
        online_guide,
        name="张秀英",
        village=village,
        options=Options(delivery="post", postal_address="石笋村3组25号", home_visit=True,
                        home_visit_reason="行动不便"),
    )  # fmt: skip
    application = actions.accept(application, clerk, note="材料齐全")
    Notification.objects.create(
        application=application, channel="sms", recipient="13812345678", message="已受理的短信"
    )
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    for text in [
        application.display_tracking_number,
        "张秀英",
        application.id_number,  # in full, to staff
        "13812345678",
        "石笋村",
        "3组25号",
        "家庭人口",  # the situation question and its answer
        "邮寄送达",
        "石笋村3组25号",
        "行动不便",
        application.deadline.strftime("%Y-%m-%d"),
        "剩余",  # working days left
        "提交申请",  # the record: every event, who, note
        "王小明",
        "材料齐全",
        "已受理的短信",  # notifications sent
        "申请人尚未评价",
    ]:
        assert text in page, text


def test_only_the_actions_valid_for_the_status_are_offered(signed_in, application, clerk):
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    for key in ["accept", "on-the-spot", "supplement", "reject", "reassign"]:
        assert admin_url("act", application.pk, key) in page, key
    for key in ["complete", "forward", "progress", "receive-supplement"]:
        assert admin_url("act", application.pk, key) not in page, key
    actions.accept(application, clerk)
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    for key in ["complete", "forward", "supplement", "reassign"]:
        assert admin_url("act", application.pk, key) in page, key
    for key in ["accept", "reject", "on-the-spot", "progress"]:
        assert admin_url("act", application.pk, key) not in page, key


def test_immediate_items_put_on_the_spot_completion_first(signed_in, online_guide):
    online_guide.handling_class = HandlingClass.IMMEDIATE
    online_guide.save()
    application = submit(online_guide)
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    assert "即办件" in page
    on_the_spot = page.index(admin_url("act", application.pk, "on-the-spot"))
    assert on_the_spot < page.index(admin_url("act", application.pk, "accept"))


# --- every action moves the status and records the clerk ------------------------------------


def last_event(application):
    return Application.objects.get(pk=application.pk).events.order_by("pk").last()


def test_accept(signed_in, application, clerk):
    response = act(signed_in, application, "accept", note="材料齐全")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ACCEPTED and application.deadline is not None
    event = last_event(application)
    assert (event.action, event.actor, event.note) == (EventAction.ACCEPTED, clerk, "材料齐全")
    followed = signed_in.get(response.url).content.decode()
    assert "已受理" in followed


def test_complete_on_the_spot(signed_in, application, clerk):
    act(signed_in, application, "on-the-spot", result_note="当场发放")
    application.refresh_from_db()
    assert application.status == S.COMPLETED and application.result_note == "当场发放"
    assert last_event(application).actor == clerk


def test_supplement_lists_every_ticked_material_and_the_other_rows(
    signed_in, application, clerk, online_guide
):
    material = online_guide.materials.get(name="户口簿")
    identity = online_guide.materials.get(name="申请人居民身份证")
    response = act(
        signed_in,
        application,
        "supplement",
        **{
            f"m{material.pk}": "on",
            f"m{material.pk}_problem": "缺少户主页",
            f"m{identity.pk}": "on",
            f"m{identity.pk}_problem": "照片不清晰",
            "other0_name": "收入证明",
            "other0_problem": "未提供",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUPPLEMENT
    event = last_event(application)
    assert event.action == EventAction.SUPPLEMENT_REQUESTED and event.actor == clerk
    assert sorted(event.supplement_items.values_list("material_name", "problem")) == sorted(
        [("户口簿", "缺少户主页"), ("申请人居民身份证", "照片不清晰"), ("收入证明", "未提供")]
    )
    act(signed_in, application, "receive-supplement", note="窗口收到户口簿")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert last_event(application).action == EventAction.SUPPLEMENT_RECEIVED
    # asked once: back to 待受理, a second request is not offered, and a forged one is refused
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    assert admin_url("act", application.pk, "accept") in page
    assert admin_url("act", application.pk, "supplement") not in page
    before = state(application)
    response = act(signed_in, application, "supplement", other0_name="户口簿", other0_problem="x")
    assert "不能再次要求补正" in response.content.decode()
    assert state(application) == before


def test_reject_with_a_reason(signed_in, application, clerk):
    act(signed_in, application, "reject", reason="申请人户籍不在本镇")
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.rejection_reason == "申请人户籍不在本镇"
    event = last_event(application)
    assert (event.action, event.actor) == (EventAction.REJECTED, clerk)


def test_forward_progress_and_complete(signed_in, application, clerk):
    actions.accept(application, clerk)
    act(signed_in, application, "forward", to="广安区民政局", note="请审批")
    application.refresh_from_db()
    assert application.status == S.FORWARDED and application.forwarded_to == "广安区民政局"
    act(signed_in, application, "progress", note="区民政局已审核")
    event = last_event(application)
    assert (event.action, event.note, event.actor) == (
        EventAction.FORWARD_PROGRESS,
        "区民政局已审核",
        clerk,
    )
    act(signed_in, application, "complete", outcome="approved", result_note="已发放证明")
    application.refresh_from_db()
    assert application.status == S.COMPLETED and application.outcome == "approved"
    assert last_event(application).action == EventAction.COMPLETED


def test_reassign_to_a_clerk_of_the_same_township(
    signed_in, application, clerk, clerk2, other_clerk
):
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    assert "李芳" in page and "刘协兴" not in page  # choices: this township's clerks and head
    response = act(signed_in, application, "reassign", to_user=other_clerk.pk)
    assert "只能转交给本乡镇" in response.content.decode()
    assert Application.objects.get(pk=application.pk).assigned_clerk is None
    act(signed_in, application, "reassign", to_user=clerk2.pk, note="请李芳跟进")
    application.refresh_from_db()
    assert application.assigned_clerk == clerk2
    event = last_event(application)
    assert (event.action, event.actor, event.public) == (EventAction.REASSIGNED, clerk, False)


# --- invalid input and refusals change nothing -----------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "error"),
    [
        ("reject", {"reason": "   "}, "请写明不予受理的理由。"),
        ("supplement", {"note": "请尽快补正"}, "请勾选需要补正的材料并写明问题"),
        ("supplement", {"other0_name": "收入证明"}, "请写明“收入证明”的问题"),
        ("reassign", {"to_user": ""}, "请选择接手的工作人员。"),
    ],
)
def test_invalid_input_shows_the_chinese_error_and_keeps_what_was_typed(
    signed_in, application, action, data, error
):
    before = state(application)
    response = act(signed_in, application, action, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    for value in data.values():
        if value.strip():
            assert value in page  # nothing typed is lost
    assert state(application) == before


def test_supplement_problem_without_tick_is_an_error(signed_in, application, online_guide):
    material = online_guide.materials.get(name="户口簿")
    before = state(application)
    response = act(
        signed_in, application, "supplement", **{f"m{material.pk}_problem": "缺少户主页"}
    )
    page = response.content.decode()
    assert "请勾选该材料" in page and "缺少户主页" in page
    assert state(application) == before
    assert not SupplementItem.objects.exists()


def test_denied_completion_needs_a_reason(signed_in, application, clerk):
    actions.accept(application, clerk)
    before = state(application)
    response = act(signed_in, application, "complete", outcome="denied", result_note="")
    assert "不予办理必须写明理由。" in response.content.decode()
    assert state(application) == before


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("complete", {"outcome": "approved"}, "只有办理中或已上报的申请可以办结。"),
        ("forward", {"to": "广安区民政局"}, "只有办理中的申请可以上报。"),
        ("receive-supplement", {}, "该申请没有待补正的材料。"),
        ("progress", {"note": "已审核"}, "只有已上报的申请可以记录上报进展。"),
    ],
)
def test_refused_transitions_change_nothing(signed_in, application, action, data, message):
    before = state(application)
    response = act(signed_in, application, action, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state(application) == before


def test_a_refusal_after_the_status_changed_keeps_the_typed_reason(signed_in, application, clerk2):
    actions.accept(application, clerk2)  # someone else accepted it meanwhile
    before = state(application)
    response = act(signed_in, application, "reject", reason="户籍不在本镇，无法受理")
    page = response.content.decode()
    assert "只有尚未受理的申请可以不予受理" in page
    assert "户籍不在本镇，无法受理" in page
    assert state(application) == before


def test_closed_applications_offer_no_action(signed_in, application, clerk):
    actions.reject(application, clerk, "不符合条件")
    page = signed_in.get(admin_url("detail", application.pk)).content.decode()
    assert "没有可进行的操作" in page
    assert "/actions/" not in page


def test_a_get_on_an_action_is_not_allowed(signed_in, application):
    response = signed_in.get(admin_url("act", application.pk, "accept"))
    assert response.status_code == 405
    assert state(application) == (S.SUBMITTED, 1)


def test_actions_need_the_csrf_token(client, clerk, application):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(clerk)
    response = csrf_client.post(admin_url("act", application.pk, "accept"), {})
    assert response.status_code == 403
    assert state(application) == (S.SUBMITTED, 1)
