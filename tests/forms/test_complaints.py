"""Complaints and suggestions (投诉建议): the public form, the follow-up, the answers, the back
office, the deadline in working days and the overdue count."""

import datetime

import pytest
from django.utils import timezone

from forms import statistics
from forms.models import Complaint, ComplaintStatus
from forms.models.complaints import FOLLOW_UP_ALPHABET
from forms.supervision.complaints import create_complaint, reply, reply_deadline
from guides.models import TownshipGroup, TownshipPage, TownshipRoleKind
from guides.permissions import ensure_county_groups
from tests.forms.test_supervision import member

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 7, 31)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(statistics, "local_today", lambda: TODAY)


def staff(township, role, username):
    return member(username, TownshipGroup.objects.get(township=township, role=role).group)


@pytest.fixture
def clerk(township):
    return staff(township, TownshipRoleKind.CLERK, "gs_clerk")


@pytest.fixture
def other_clerk(other_township):
    return staff(other_township, TownshipRoleKind.CLERK, "xx_clerk")


RECEIVED = D(2026, 7, 20)


def complaint_in(township, day=RECEIVED, **extra):
    values = {"kind": "complaint", "subject": "窗口无人", "content": "中午窗口没有人。"}
    values.update(extra)
    return create_complaint(township=township, when=at(day), **values)


VALID = {
    "township": "511602101",
    "kind": "complaint",
    "subject": "窗口午休无人值守",
    "content": "7月20日中午12点到窗口办事，没有工作人员。",
    "tracking_number": "",
    "name": "",
    "phone": "",
    "homepage": "",
}


# --- the public form ----------------------------------------------------------------------


def test_the_township_is_preselected(client, township, other_township):
    html = client.get("/complaints/new/?township=511602102").content.decode()
    assert '<option value="511602102" selected>协兴镇</option>' in html
    assert '<option value="511602101">官盛镇</option>' in html


def test_anonymous_submission_gives_a_follow_up_code(client, township):
    response = client.post("/complaints/new/", VALID)
    assert response.status_code == 302
    assert response["Location"] == "/complaints/submitted/"
    complaint = Complaint.objects.get()
    assert (complaint.township, complaint.name, complaint.phone) == (township, "", "")
    assert complaint.status == ComplaintStatus.RECEIVED
    assert len(complaint.follow_up_code) == 10
    assert set(complaint.follow_up_code) <= set(FOLLOW_UP_ALPHABET)
    assert complaint.deadline == reply_deadline(timezone.localdate(complaint.created_at))
    page = client.get("/complaints/submitted/").content.decode()
    assert complaint.display_follow_up_code in page
    # Another browser has no confirmation to see.
    client.cookies.clear()
    assert client.get("/complaints/submitted/")["Location"] == "/complaints/new/"


def test_errors_are_shown_in_chinese_and_the_input_is_kept(client, township):
    data = {**VALID, "subject": "", "name": "张秀英", "phone": "12345", "tracking_number": "123"}
    response = client.post("/complaints/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写主题。" in html
    assert "请填写11位手机号码或带区号的固定电话；也可以不填。" in html
    assert "受理编号是16位数字，请核对；不清楚可以不填。" in html
    assert VALID["content"] in html and 'value="张秀英"' in html
    assert '<option value="511602101" selected>' in html
    assert 'class="error-summary"' in html
    assert not Complaint.objects.exists()


def test_a_landline_and_a_name_are_kept(client, township):
    data = {**VALID, "name": "张秀英", "phone": "0826-2345678"}
    assert client.post("/complaints/new/", data).status_code == 302
    assert Complaint.objects.get().phone == "0826-2345678"


def test_the_honeypot_stops_bots(client, township):
    response = client.post("/complaints/new/", {**VALID, "homepage": "http://spam.example"})
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert not Complaint.objects.exists()


def test_submissions_are_rate_limited(client, township, settings):
    settings.APPLICATIONS_RATE_LIMITS = {"complaint": (2, 3600), "start": (2, 3600)}
    assert client.post("/complaints/new/", VALID).status_code == 302
    assert client.post("/complaints/new/", VALID).status_code == 302
    response = client.post("/complaints/new/", VALID)
    assert response.status_code == 429
    assert "提交太频繁" in response.content.decode()
    assert Complaint.objects.count() == 2


# --- the deadline -------------------------------------------------------------------------


def test_the_deadline_counts_working_days(township):
    # Friday 12 June 2026 + 5 working days: the Dragon Boat Festival (Friday 19 June) is off.
    assert complaint_in(township, D(2026, 6, 12)).deadline == D(2026, 6, 22)
    # Received on a Saturday: counted from the next working days.
    assert complaint_in(township, D(2026, 6, 13)).deadline == D(2026, 6, 22)


def test_the_number_of_days_is_a_setting(township, settings):
    settings.APPLICATIONS_COMPLAINT_DAYS = 3
    assert complaint_in(township, D(2026, 6, 12)).deadline == D(2026, 6, 17)


# --- following up -------------------------------------------------------------------------


def test_follow_up_by_code_shows_the_status_then_the_reply(client, township, clerk):
    complaint = complaint_in(township, D(2026, 7, 28))
    code = complaint.display_follow_up_code.lower()  # typed in lower case, with the dash
    html = client.post("/complaints/follow/", {"code": code}).content.decode()
    assert "待答复" in html and "窗口无人" in html
    reply(complaint, clerk, "已调整午间值班安排。")
    html = client.post("/complaints/follow/", {"code": code}).content.decode()
    assert "已答复" in html and "已调整午间值班安排。" in html


def test_an_unknown_code_is_a_404_with_the_form(client, township):
    response = client.post("/complaints/follow/", {"code": "ABCDE-FGHJK"})
    assert response.status_code == 404
    assert "没有找到这个查询码" in response.content.decode()
    response = client.post("/complaints/follow/", {"code": "O0O0"})
    assert response.status_code == 400
    assert "查询码是10位字母和数字" in response.content.decode()


# --- the back office ----------------------------------------------------------------------


def test_own_township_staff_answer(client, township, clerk):
    complaint = complaint_in(township, D(2026, 7, 28), name="张秀英", phone="13812345678")
    client.force_login(clerk)
    page = client.get(f"/admin/complaints/{complaint.pk}/").content.decode()
    assert "张秀英" in page and "13812345678" in page
    response = client.post(
        f"/admin/complaints/{complaint.pk}/", {"reply": "已核实并整改。", "reply_published": "on"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REPLIED
    assert (complaint.reply, complaint.reply_published, complaint.replied_by) == (
        "已核实并整改。",
        True,
        clerk,
    )
    first = complaint.replied_at
    client.post(f"/admin/complaints/{complaint.pk}/", {"reply": "补充说明。", "close": "on"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.replied_at == first  # the first answer is the one that counts
    assert complaint.reply_published is False


def test_an_empty_reply_is_refused(client, township, clerk):
    complaint = complaint_in(township)
    client.force_login(clerk)
    response = client.post(f"/admin/complaints/{complaint.pk}/", {"reply": ""})
    assert response.status_code == 400
    assert "请填写答复内容。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.replied_at is None


def test_another_townships_complaint_is_a_404(client, township, other_township, clerk):
    theirs = complaint_in(other_township)
    client.force_login(clerk)
    assert client.get(f"/admin/complaints/{theirs.pk}/").status_code == 404
    assert client.post(f"/admin/complaints/{theirs.pk}/", {"reply": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.replied_at is None
    mine = complaint_in(township, subject="我的乡镇")
    listing = client.get("/admin/complaints/").content.decode()
    assert "我的乡镇" in listing and f'data-row="{theirs.pk}"' not in listing
    assert f'data-row="{mine.pk}"' in listing


def test_reviewers_read_but_do_not_answer(client, township):
    complaint = complaint_in(township)
    _admins, reviewers = ensure_county_groups()
    client.force_login(member("reviewer", reviewers))
    html = client.get(f"/admin/complaints/{complaint.pk}/").content.decode()
    assert "保存答复" not in html
    response = client.post(f"/admin/complaints/{complaint.pk}/", {"reply": "x"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    complaint.refresh_from_db()
    assert complaint.replied_at is None


def test_county_administrators_answer_any_township(client, other_township):
    complaint = complaint_in(other_township)
    admins, _reviewers = ensure_county_groups()
    client.force_login(member("county", admins))
    assert (
        client.post(f"/admin/complaints/{complaint.pk}/", {"reply": "区里已督办。"}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REPLIED


def test_overdue_complaints_are_flagged_and_counted(client, township, clerk):
    late = complaint_in(township, D(2026, 7, 20), subject="超期的")  # deadline 07-27
    complaint_in(township, D(2026, 7, 29), subject="未到期的")  # deadline 08-05
    answered = complaint_in(township, D(2026, 7, 1), subject="已答复的")  # deadline 07-08
    reply(answered, clerk, "已答复", when=at(D(2026, 7, 10)))  # late, but answered
    assert late.deadline == D(2026, 7, 27)
    client.force_login(clerk)
    listing = client.get("/admin/complaints/").content.decode()
    assert listing.count('data-testid="overdue"') == 1
    assert "有1件投诉建议已超过答复期限未答复。" in listing
    overdue_only = client.get("/admin/complaints/?status=overdue").content.decode()
    assert "超期的" in overdue_only and "未到期的" not in overdue_only
    period = statistics.Period(D(2026, 6, 1), TODAY)
    figures = statistics.figures(period, TownshipPage.objects.filter(pk=township.pk), None)[None]
    assert (
        figures.complaints_received,
        figures.complaints_replied,
        figures.complaints_replied_on_time,
        figures.complaints_overdue,
    ) == (3, 1, 0, 1)
    api = client.get(f"/api/v1/townships/{township.code}/statistics?start=2026-06-01").json()
    assert api["complaints"] == {
        "received": 3,
        "replied": 1,
        "replied_on_time": 0,
        "on_time_rate": 0.0,
        "overdue": 1,
    }


# --- published answers --------------------------------------------------------------------


def test_published_replies_are_listed_per_township(client, township, other_township, clerk):
    shown = complaint_in(township, subject="公开的", name="张秀英", phone="13812345678")
    reply(shown, clerk, "公开的答复", published=True)
    hidden = complaint_in(township, subject="不公开的")
    reply(hidden, clerk, "内部答复")
    complaint_in(township, subject="未答复的")
    theirs = complaint_in(other_township, subject="协兴的")
    reply(theirs, clerk, "协兴的答复", published=True)

    html = client.get("/complaints/replies/").content.decode()
    assert "公开的答复" in html and "协兴的答复" in html
    assert "内部答复" not in html and "未答复的" not in html
    for private in ("张秀英", "13812345678", shown.content, shown.follow_up_code):
        assert private not in html
    html = client.get("/complaints/replies/?township=511602101").content.decode()
    assert html.count('data-testid="published-reply"') == 1 and "协兴的答复" not in html
