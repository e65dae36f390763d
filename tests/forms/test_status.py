"""Status look-up: page and API agree; unknown numbers and wrong phones look the same."""

import pytest
from django.urls import reverse

from forms import actions

pytestmark = pytest.mark.django_db


def api_url(number, phone):
    return reverse("api-v1:application_status", args=[number]) + f"?phone={phone}"


def test_api_shows_the_history(client, make_application, django_user_model):
    application = make_application()
    clerk = django_user_model.objects.create_user("clerk")
    actions.accept(application, clerk)
    actions.request_supplement(application, clerk, [("户口簿", "缺少户主页")])
    response = client.get(api_url(application.tracking_number, "13812345678"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "supplement" and data["status_label"] == "待补正"
    assert [h["action"] for h in data["history"]] == ["提交申请", "受理", "一次性告知补正"]
    assert data["history"][2]["materials"] == [{"name": "户口簿", "problem": "缺少户主页"}]
    assert data["light"] == "paused"


def test_unknown_number_and_wrong_phone_answer_the_same(client, make_application):
    application = make_application()
    wrong_phone = client.get(api_url(application.tracking_number, "13900000000"))
    unknown = client.get(api_url("1234567812345670", "13812345678"))
    garbage = client.get(api_url("abc'--", "x"))
    assert wrong_phone.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong_phone.json() == unknown.json() == garbage.json()


def test_lookups_are_rate_limited(client, make_application, settings):
    settings.APPLICATIONS_RATE_LIMITS = {"lookup": (3, 600)}
    application = make_application()
    codes = [client.get(api_url(application.tracking_number, "1")).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get(api_url(application.tracking_number, "13812345678")).status_code == 429


def test_status_page_lookup_then_evaluate(client, make_application, django_user_model):
    application = make_application()
    clerk = django_user_model.objects.create_user("clerk")
    actions.accept(application, clerk)
    actions.complete(application, clerk, "approved", "证件已发放")
    detail = reverse("applications:status_detail", args=[application.tracking_number])
    assert client.get(detail).status_code == 302  # not proven yet
    wrong = client.post(
        reverse("applications:status"),
        {"number": application.tracking_number, "phone": "13900000000"},
    )
    assert wrong.status_code == 404 and "没有找到这个办件" in wrong.content.decode()
    found = client.post(
        reverse("applications:status"),
        {"number": application.display_tracking_number, "phone": "13812345678"},
    )
    assert found.status_code == 302 and found.url == detail
    page = client.get(detail).content.decode()
    assert "已办结" in page and "证件已发放" in page and "评价这次服务" in page
    missing_comment = client.post(detail, {"form": "evaluation", "level": "1"})
    assert missing_comment.status_code == 400
    assert "哪里做得不好" in missing_comment.content.decode()
    assert (
        client.post(detail, {"form": "evaluation", "level": "1", "comment": "态度不好"}).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.evaluation.level == 1
    assert application.evaluation.rectification.status == "open"
    assert "您的评价：非常不满意" in client.get(detail).content.decode()


def test_page_and_api_agree(client, make_application):
    application = make_application()
    client.post(
        reverse("applications:status"),
        {"number": application.tracking_number, "phone": "13812345678"},
    )
    page = client.get(
        reverse("applications:status_detail", args=[application.tracking_number])
    ).content.decode()
    data = client.get(api_url(application.tracking_number, "13812345678")).json()
    assert data["status_label"] in page and data["item_name"] in page
    for entry in data["history"]:
        assert entry["action"] in page


@pytest.mark.parametrize(
    "number", ["", " ", "x" * 10_000, "\x00\x01", "' OR 1=1 --", "NEAR(", "*", "1" * 16]
)
def test_hostile_lookup_input(client, number):
    response = client.post(reverse("applications:status"), {"number": number, "phone": "1"})
    assert response.status_code in (200, 404)


def test_receipt_has_a_qr_code(client, online_guide, make_application):
    from forms.models import Draft

    application = make_application()
    draft = Draft.objects.create(guide=online_guide, status="submitted", application=application)
    receipt = client.get(reverse("applications:receipt", args=[draft.token]))
    body = receipt.content.decode()
    assert receipt.status_code == 200 and "<svg" in body
    assert application.display_tracking_number in body


def test_applicant_supplies_the_requested_materials_online(
    client, make_application, django_user_model
):
    from tests.forms.files import jpeg_upload, pdf_upload

    application = make_application()
    clerk = django_user_model.objects.create_user("clerk")
    actions.accept(application, clerk)
    actions.request_supplement(
        application, clerk, [("户口簿", "缺少户主页"), ("收入证明", "未盖章")]
    )
    client.post(
        reverse("applications:status"),
        {"number": application.tracking_number, "phone": "13812345678"},
    )
    detail = reverse("applications:status_detail", args=[application.tracking_number])
    page = client.get(detail).content.decode()
    assert "在网上补交材料" in page and "缺少户主页" in page
    items = list(
        application.events.get(action="supplement_requested").supplement_items.order_by("pk")
    )
    incomplete = client.post(detail, {"form": "supplement", f"item-{items[0].pk}": jpeg_upload()})
    assert incomplete.status_code == 400
    application.refresh_from_db()
    assert application.status == "supplement" and not application.files.exists()
    done = client.post(
        detail,
        {
            "form": "supplement",
            f"item-{items[0].pk}": jpeg_upload(),
            f"item-{items[1].pk}": pdf_upload(),
        },
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    assert sorted(f.material_name for f in application.files.filter(is_supplement=True)) == [
        "户口簿",
        "收入证明",
    ]
    assert "申请人在网上补交了材料" in application.events.last().note
