"""两卡一表 (register and statistics, on screen, CSV and XLSX), rectifications, and the settings
snippets (holiday adjustments, village agents)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forms import actions, statistics
from forms.backoffice.forms import MAX_REPORT_DAYS
from forms.models import Rectification, WorkCalendarDay
from guides import factories
from guides.models import TownshipPage
from tests.forms.backoffice_fixtures import *  # noqa: F403
from tests.forms.backoffice_fixtures import admin_url, submit

pytestmark = pytest.mark.django_db

D = datetime.date
SEPTEMBER = "date_from=2026-09-01&date_to=2026-09-30"
AUGUST_SEPTEMBER = "date_from=2026-08-01&date_to=2026-09-30"


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def september(online_guide, other_guide, clerk, other_clerk):
    """官盛镇: submitted in September, one completed on time and one rejected; one accepted in
    August and completed late in September; one submitted in August and still waiting.
    协兴镇: one submitted in September."""
    on_time = submit(online_guide, name="张秀英", when=at(D(2026, 9, 1), 9))
    actions.accept(on_time, clerk, when=at(D(2026, 9, 1)))
    # due 2026-09-29; completed late that evening: on time (the day counts, not the hour)
    actions.complete(
        on_time,
        clerk,
        "approved",
        when=timezone.make_aware(datetime.datetime(2026, 9, 29, 23, 30)),
    )
    late = submit(online_guide, name="王建国", when=at(D(2026, 8, 3), 9))
    actions.accept(late, clerk, when=at(D(2026, 8, 3)))  # due 2026-08-31
    actions.complete(late, clerk, "approved", when=at(D(2026, 9, 8)))
    rejected = submit(online_guide, name="=HYPERLINK(1)", when=at(D(2026, 9, 3), 9))
    actions.reject(rejected, clerk, "不符合条件", when=at(D(2026, 9, 3)))
    waiting = submit(online_guide, when=at(D(2026, 8, 31), 9))
    theirs = submit(other_guide, name="李协兴", when=at(D(2026, 9, 4), 9))
    return {
        "on_time": on_time,
        "late": late,
        "rejected": rejected,
        "waiting": waiting,
        "theirs": theirs,
    }


def csv_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_register_lists_own_townships_applications_in_the_range(client, clerk, september):
    client.force_login(clerk)
    response = client.get(admin_url("register", query=SEPTEMBER))
    page = response.content.decode()
    assert response.status_code == 200
    for key in ("on_time", "rejected"):
        assert september[key].display_tracking_number in page
    for key in ("late", "waiting"):  # submitted in August
        assert september[key].display_tracking_number not in page
    assert september["theirs"].display_tracking_number not in page  # 协兴镇's


def test_register_csv_and_xlsx_match_the_records(client, clerk, september):
    client.force_login(clerk)
    csv_response = client.get(admin_url("register", query=AUGUST_SEPTEMBER + "&export=csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    rows = csv_rows(csv_response)
    headings = rows[0]
    assert headings[:6] == ["序号", "受理编号", "收件时间", "受理时间", "申请人", "事项名称"]
    assert headings[-5:] == ["状态", "经办人", "承诺办结日期", "办结时间", "是否按时办结"]
    by_number = {row[1]: dict(zip(headings, row, strict=True)) for row in rows[1:]}
    assert len(by_number) == 4
    on_time = by_number[september["on_time"].display_tracking_number]
    assert on_time["申请人"] == "张秀英" and on_time["状态"] == "已办结"
    assert on_time["经办人"] == "王小明" and on_time["是否按时办结"] == "是"
    assert on_time["收件时间"] == "2026-09-01 09:00" and on_time["办结时间"] == "2026-09-29 23:30"
    assert by_number[september["late"].display_tracking_number]["是否按时办结"] == "否"
    waiting = by_number[september["waiting"].display_tracking_number]
    assert (waiting["状态"], waiting["受理时间"], waiting["是否按时办结"]) == ("待受理", "", "—")
    rejected = by_number[september["rejected"].display_tracking_number]
    assert rejected["状态"] == "不予受理" and rejected["申请人"] == "'=HYPERLINK(1)"  # no formula

    xlsx_response = client.get(admin_url("register", query=AUGUST_SEPTEMBER + "&export=xlsx"))
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = xlsx_rows(xlsx_response)
    assert sheet[0] == headings
    xlsx_by_number = {row[1]: dict(zip(headings, row, strict=True)) for row in sheet[1:]}
    assert set(xlsx_by_number) == set(by_number)
    on_time_x = xlsx_by_number[september["on_time"].display_tracking_number]
    assert on_time_x["收件时间"] == datetime.datetime(2026, 9, 1, 9, 0)
    assert (
        on_time_x["承诺办结日期"].date()
        == september["on_time"].__class__.objects.get(pk=september["on_time"].pk).deadline
    )
    assert xlsx_by_number[september["rejected"].display_tracking_number]["申请人"] == (
        "=HYPERLINK(1)"
    )
    cells = load_workbook(io.BytesIO(xlsx_response.content)).active
    name_cells = [row[headings.index("申请人")] for row in cells.iter_rows(min_row=2)]
    formula = next(c for c in name_cells if c.value == "=HYPERLINK(1)")
    assert formula.data_type == "s"  # kept as text, never run as a formula


STATISTICS_HEADINGS = [
    "事项名称",
    "收件数",
    "受理数",
    "不予受理数",
    "办结数",
    "按时办结数",
    "超期办结数",
    "当前逾期数",
    "办结率",
    "按时办结率",
    "平均办理工作日",
]


def test_statistics_by_item_and_exports(client, clerk, september, online_guide, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 1))
    overdue = submit(online_guide, when=at(D(2026, 8, 20), 9))
    actions.accept(overdue, clerk, when=at(D(2026, 8, 25)))  # due in September, still open
    client.force_login(clerk)
    response = client.get(admin_url("statistics", query=SEPTEMBER))
    assert response.status_code == 200
    item = online_guide.item.name
    # the supervision figures (docs/supervision.md): received 2 (on time, rejected), of those
    # accepted 1 and rejected 1; completed in September 2 (on time; late, submitted in
    # August); 1 overdue now (accepted in August: red); completion rate 1 ÷ (2 − 1); on time
    # 1 of 2; working days 20 (on time) and 26 (late, 6 days after its 08-31 deadline)
    expected = [item, 2, 1, 1, 2, 1, 1, 1, "100.0%", "50.0%", 23.0]
    assert response.context["rows"] == [expected]
    assert response.context["total"] == ["合计", *expected[1:]]
    rows = csv_rows(client.get(admin_url("statistics", query=SEPTEMBER + "&export=csv")))
    assert rows[0] == STATISTICS_HEADINGS
    assert rows[1] == [str(v) for v in expected]
    assert rows[2] == ["合计", *(str(v) for v in expected[1:])]
    sheet = xlsx_rows(client.get(admin_url("statistics", query=SEPTEMBER + "&export=xlsx")))
    assert sheet[0] == STATISTICS_HEADINGS
    assert sheet[1] == expected and sheet[2][0] == "合计"


def test_statistics_rates_are_undefined_without_counts(client, clerk, online_guide, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 1))
    submit(online_guide, when=at(D(2026, 9, 2), 9))  # received, nobody has acted
    client.force_login(clerk)
    response = client.get(admin_url("statistics", query=SEPTEMBER))
    # completion rate 0 ÷ 1; no completion: no on-time rate, no average
    expected = [online_guide.item.name, 1, 0, 0, 0, 0, 0, 0, "0.0%", "—", "—"]
    assert response.context["rows"] == [expected]
    assert response.context["total"] == ["合计", *expected[1:]]


@pytest.fixture
def two_items(township, online_guide, other_guide, clerk, other_clerk):
    """官盛镇 in September 2026, two items.

    online_guide's item: a1 submitted and completed on time, a2 rejected, a3 accepted in August
    and still open (overdue now). 临时救助申请: b1 and b2 accepted in August and
    completed late in September, b3 submitted and completed on time, b4 waiting.
    协兴镇: one submitted and completed in September (not in 官盛镇's figures).
    """
    relief = factories.ServiceGuidePageFactory(
        parent=township,
        item=factories.ServiceItemFactory(name="临时救助申请"),
        channel_online=True,
    )
    with actions.notifications_suppressed():
        a1 = submit(online_guide, when=at(D(2026, 9, 1), 9))
        actions.accept(a1, clerk, when=at(D(2026, 9, 1)))
        actions.complete(a1, clerk, "approved", when=at(D(2026, 9, 10)))
        a2 = submit(online_guide, when=at(D(2026, 9, 2), 9))
        actions.reject(a2, clerk, "不符合条件", when=at(D(2026, 9, 2)))
        a3 = submit(online_guide, when=at(D(2026, 8, 10), 9))
        actions.accept(a3, clerk, when=at(D(2026, 8, 10)))
        for day in (8, 9):
            late = submit(relief, when=at(D(2026, 8, 3), 9))
            actions.accept(late, clerk, when=at(D(2026, 8, 3)))  # due 2026-08-31
            actions.complete(late, clerk, "denied", "不符合条件", when=at(D(2026, 9, day)))
        b3 = submit(relief, when=at(D(2026, 9, 3), 9))
        actions.accept(b3, clerk, when=at(D(2026, 9, 3)))
        actions.complete(b3, clerk, "approved", when=at(D(2026, 9, 4)))
        submit(relief, when=at(D(2026, 9, 4), 9))
        theirs = submit(other_guide, when=at(D(2026, 9, 5), 9))
        actions.accept(theirs, other_clerk, when=at(D(2026, 9, 5)))
        actions.complete(theirs, other_clerk, "approved", when=at(D(2026, 9, 7)))
    return online_guide.item.name, "临时救助申请"


COUNTS = slice(1, 8)  # 收件数 … 当前逾期数, after 事项名称


def test_statistics_total_is_the_supervision_total(client, clerk, township, two_items, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 1))
    client.force_login(clerk)
    response = client.get(admin_url("statistics", query=SEPTEMBER))
    rows, total = response.context["rows"], response.context["total"]
    allowance, relief = two_items
    assert [row[0] for row in rows] == sorted([allowance, relief])
    by_item = {row[0]: row for row in rows}
    assert by_item[allowance][COUNTS] == [2, 1, 1, 1, 1, 0, 1]
    assert by_item[relief][COUNTS] == [2, 1, 0, 3, 1, 2, 0]
    assert by_item[allowance][8:10] == ["100.0%", "100.0%"]
    assert by_item[relief][8:10] == ["50.0%", "33.3%"]
    # the items add up to the total, column by column
    for column in range(COUNTS.start, COUNTS.stop):
        assert sum(row[column] for row in rows) == total[column], STATISTICS_HEADINGS[column]
    # the total's rates come from the summed counts (2 ÷ 3 and 2 ÷ 4), not from the items'
    # rates (75.0% and 66.7%)
    assert total[8:10] == ["66.7%", "50.0%"]
    # … and the total is the supervision figures' total of the township for the period
    f = statistics.figures(
        statistics.Period(D(2026, 9, 1), D(2026, 9, 30)),
        TownshipPage.objects.filter(pk=township.pk),
    )[None]
    assert (f.received, f.completed, f.completed_on_time, f.overdue) == (4, 4, 2, 1)
    assert total[COUNTS] == [
        f.received,
        f.accepted,
        f.rejected,
        f.completed,
        f.completed_on_time,
        f.completed_late,
        f.overdue,
    ]
    assert total[8:] == [
        f"{f.completion_rate * 100:.1f}%",
        f"{f.on_time_rate * 100:.1f}%",
        f.average_working_days,
    ]


def test_statistics_refuse_a_range_over_a_year(client, clerk, september):
    assert MAX_REPORT_DAYS <= statistics.MAX_PERIOD_DAYS  # so the table's Period never fails
    client.force_login(clerk)
    response = client.get(admin_url("statistics", query="date_from=2025-01-01&date_to=2026-09-30"))
    assert response.status_code == 200
    assert "一次最多统计一年（366天）。" in response.content.decode()
    assert response.context["rows"] is None


def test_county_statistics_have_a_township_column_and_filter(
    client, county_admin, september, other_township
):
    client.force_login(county_admin)
    response = client.get(admin_url("statistics", query=SEPTEMBER))
    townships = [row[0] for row in response.context["rows"]]
    assert townships == ["官盛镇", "协兴镇"]
    only = client.get(admin_url("statistics", query=f"{SEPTEMBER}&township={other_township.pk}"))
    assert [row[:3] for row in only.context["rows"]] == [
        ["协兴镇", september["theirs"].item_name, 1]
    ]


def test_report_filters_refuse_bad_ranges_and_other_townships(
    client, clerk, september, other_township
):
    client.force_login(clerk)
    backwards = client.get(admin_url("register", query="date_from=2026-09-30&date_to=2026-09-01"))
    assert "结束日期不能早于开始日期。" in backwards.content.decode()
    assert backwards.context["rows"] is None
    # a clerk of one township has no township filter: another township's id is ignored
    other = client.get(admin_url("register", query=f"{SEPTEMBER}&township={other_township.pk}"))
    assert september["theirs"].display_tracking_number not in other.content.decode()


def test_reports_default_to_this_month(client, clerk, online_guide):
    application = submit(online_guide)
    client.force_login(clerk)
    response = client.get(admin_url("register"))
    assert application.display_tracking_number in response.content.decode()


# --- rectifications --------------------------------------------------------------------------


@pytest.fixture
def bad_review(online_guide, clerk):
    application = submit(online_guide)
    actions.accept(application, clerk)
    actions.complete(application, clerk, "approved")
    actions.evaluate(application, 1, "窗口让我跑了三趟")
    return Rectification.objects.get(evaluation__application=application)


def test_head_lists_and_closes_a_rectification(client, head, bad_review):
    client.force_login(head)
    application = bad_review.evaluation.application
    page = client.get(admin_url("detail", application.pk)).content.decode()
    assert "非常不满意" in page and "窗口让我跑了三趟" in page  # the evaluation on the page
    assert admin_url("rectification", bad_review.pk) in page
    listing = client.get(admin_url("rectifications")).content.decode()
    assert "窗口让我跑了三趟" in listing and "非常不满意" in listing
    assert bad_review.deadline.isoformat() in listing
    empty = client.post(admin_url("rectification", bad_review.pk), {"response": "  "})
    assert "请填写整改情况与回复。" in empty.content.decode()
    bad_review.refresh_from_db()
    assert bad_review.status == "open"
    response = client.post(
        admin_url("rectification", bad_review.pk), {"response": "已电话回访致歉，优化一次告知"}
    )
    assert response.status_code == 302
    bad_review.refresh_from_db()
    assert bad_review.status == "done" and bad_review.handled_by == head
    assert bad_review.response == "已电话回访致歉，优化一次告知"
    again = client.post(admin_url("rectification", bad_review.pk), {"response": "再次"})
    assert "已经整改完毕" in again.content.decode()


def test_rectifications_are_for_heads_and_county_staff(
    client, clerk, other_clerk, county_admin, bad_review
):
    client.force_login(clerk)
    assert client.get(admin_url("rectifications")).status_code == 302  # not a head
    assert client.get(admin_url("rectification", bad_review.pk)).status_code == 302
    client.force_login(county_admin)
    assert client.get(admin_url("rectification", bad_review.pk)).status_code == 200


def test_another_townships_head_gets_a_404(client, other_township, bad_review):
    from guides.models import TownshipRoleKind
    from tests.forms.backoffice_fixtures import make_user

    their_head = make_user("xx-head", other_township, TownshipRoleKind.HEAD)
    client.force_login(their_head)
    assert client.get(admin_url("rectification", bad_review.pk)).status_code == 404
    assert "窗口让我跑了三趟" not in client.get(admin_url("rectifications")).content.decode()


# --- settings: holiday adjustments and village agents ----------------------------------------


def test_county_admin_manages_holiday_adjustments(client, county_admin):
    client.force_login(county_admin)
    add = reverse("wagtailsnippets_applications_workcalendarday:add")
    response = client.post(add, {"date": "2027-01-01", "is_workday": "", "note": "元旦"})
    assert response.status_code == 302
    assert WorkCalendarDay.objects.get(date=D(2027, 1, 1)).note == "元旦"
    index = reverse("wagtailsnippets_applications_villageagent:list")
    assert client.get(index).status_code == 200


def test_township_staff_cannot_manage_holidays_or_agents(client, head):
    client.force_login(head)
    add = reverse("wagtailsnippets_applications_workcalendarday:add")
    client.post(add, {"date": "2027-01-01", "is_workday": "", "note": "元旦"})
    assert not WorkCalendarDay.objects.exists()
    index = reverse("wagtailsnippets_applications_villageagent:list")
    assert client.get(index).status_code == 302
