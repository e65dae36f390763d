"""The supervision board, the public figures page and the statistics API: who sees what, and
that the three agree with each other and with the records (``tests.forms.test_statistics``).
Through the project's own URLs and API, as a user reaches them.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory

from forms import statistics
from forms.supervision import hooks
from forms.supervision.common import percent
from guides.models import TownshipGroup, TownshipPage, TownshipRoleKind
from guides.permissions import ensure_county_groups
from tests.forms.test_statistics import PERIOD, TODAY, build_records

pytestmark = pytest.mark.django_db

QUERY = "?start=2026-06-01&end=2026-07-31"
TOP_FIGURES = ("received", "completed", "on_time_rate", "overdue", "satisfaction")


@pytest.fixture
def records(township, other_township, django_user_model):
    return build_records(township, other_township, django_user_model)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Every page and the API count "now" as of the scenario's today."""
    monkeypatch.setattr(statistics, "local_today", lambda: TODAY)


def member(username, group):
    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(group)
    return user


def township_group(township, role):
    return TownshipGroup.objects.get(township=township, role=role).group


@pytest.fixture
def clerk(township):
    return member("gs_clerk", township_group(township, TownshipRoleKind.CLERK))


@pytest.fixture
def other_head(other_township):
    return member("xx_head", township_group(other_township, TownshipRoleKind.HEAD))


@pytest.fixture
def editor(township):
    return member("gs_editor", township_group(township, TownshipRoleKind.EDITOR))


@pytest.fixture
def reviewer(db):
    _admins, reviewers = ensure_county_groups()
    return member("reviewer", reviewers)


@pytest.fixture
def county_admin(db):
    admins, _reviewers = ensure_county_groups()
    return member("county", admins)


# --- reading the pages ----------------------------------------------------------------------


class Figures(HTMLParser):
    """{testid: {row: {figure: text}}} from the tables, and the summary's figures."""

    def __init__(self, html):
        super().__init__()
        self.tables, self._table, self._row, self._figure = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-testid" in attrs and tag in ("table", "dl"):
            self._table = self.tables.setdefault(attrs["data-testid"], {})
            self._row = "" if tag == "dl" else None
        elif tag == "tr" and self._table is not None and "data-row" in attrs:
            self._row = attrs["data-row"]
        elif "data-figure" in attrs and self._table is not None and self._row is not None:
            self._figure = attrs["data-figure"]
            self._table.setdefault(self._row, {})[self._figure] = ""

    def handle_endtag(self, tag):
        if tag in ("table", "dl"):
            self._table = None
        if tag in ("td", "dd"):
            self._figure = None

    def handle_data(self, data):
        if self._figure is not None:
            self._table[self._row][self._figure] += data.strip()


def page_figures(response):
    assert response.status_code == 200
    return Figures(response.content.decode()).tables


def shown(figures_dict):
    """The figures of the API as the pages write them."""
    return {
        "received": str(figures_dict["received"]),
        "completed": str(figures_dict["completed"]),
        "on_time_rate": percent(figures_dict["on_time_rate"]),
        "overdue": str(figures_dict["overdue"]),
        "satisfaction": percent(figures_dict["satisfaction"]),
    }


def picked(values):
    return {key: values[key] for key in TOP_FIGURES}


# --- who sees the board ---------------------------------------------------------------------


def test_anonymous_cannot_reach_the_board(client, township):
    for url in (
        "/admin/supervision/",
        f"/admin/supervision/{township.code}/",
        "/admin/complaints/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_clerk_sees_only_the_own_township(client, records, clerk, township, other_township):
    client.force_login(clerk)
    response = client.get("/admin/supervision/" + QUERY)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/supervision/{township.code}/{QUERY}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "官盛镇" in text and "协兴镇" not in text
    assert client.get(f"/admin/supervision/{other_township.code}/").status_code == 404
    assert client.get("/admin/supervision/999999999/").status_code == 404


def test_an_editor_has_no_board(client, editor, township):
    client.force_login(editor)
    for url in (
        "/admin/supervision/",
        f"/admin/supervision/{township.code}/",
        "/admin/complaints/",
    ):
        response = client.get(url)  # Wagtail answers a refusal with its home page and a message
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    request = RequestFactory().get("/admin/")
    request.user = editor
    assert not hooks.SupervisionMenuItem("x", "/").is_shown(request)


@pytest.mark.parametrize("who", ["reviewer", "county_admin", "superuser"])
def test_county_staff_and_reviewers_see_every_township(
    client, request, records, who, township, other_township, admin_user
):
    user = admin_user if who == "superuser" else request.getfixturevalue(who)
    client.force_login(user)
    tables = page_figures(client.get("/admin/supervision/" + QUERY))
    assert set(tables["townships"]) == {township.code, other_township.code}
    assert tables["township-lights"][other_township.code]["red"] == "1"
    assert client.get(f"/admin/supervision/{other_township.code}/").status_code == 200
    menu_request = RequestFactory().get("/admin/")
    menu_request.user = user
    assert hooks.SupervisionMenuItem("x", "/").is_shown(menu_request)


def test_the_menu_item_for_a_clerk(clerk):
    request = RequestFactory().get("/admin/")
    request.user = clerk
    assert hooks.SupervisionMenuItem("x", "/").is_shown(request)
    item = hooks.register_board_menu_item()
    assert str(item.label) == "电子监察" and item.url == "/admin/supervision/"


# --- the figures agree --------------------------------------------------------------------


def test_board_public_page_and_api_agree_with_the_records(
    client, records, clerk, township, other_township
):
    expected = statistics.figures(PERIOD, TownshipPage.objects.filter(pk=township.pk), None, TODAY)[
        None
    ].as_dict()
    # The records, as test_statistics checks them in detail.
    assert picked(expected) == {
        "received": 9,
        "completed": 4,
        "on_time_rate": 0.5,
        "overdue": 2,
        "satisfaction": round(1 / 3, 4),
    }
    api = client.get(f"/api/v1/townships/{township.code}/statistics{QUERY}").json()
    assert picked(api) == picked(expected)
    assert api["code"] == township.code and api["name"] == "官盛镇"

    client.force_login(clerk)
    board = page_figures(client.get(f"/admin/supervision/{township.code}/{QUERY}"))
    public = page_figures(client.get(f"/supervision/{township.code}/{QUERY}"))
    for tables in (board, public):
        summary = tables["summary"][""]
        assert {key: summary[key] for key in TOP_FIGURES} == shown(expected)
        assert summary["completion_rate"] == "37.5%"
        assert summary["average_working_days"] == "4.8"
        assert summary["complaints_overdue"] == "1"
    # By month: the same on the board, the public page and the API.
    assert [m["month"] for m in api["by_month"]] == ["2026-06", "2026-07"]
    for month in api["by_month"]:
        for tables in (board, public):
            assert {k: tables["months"][month["month"]][k] for k in TOP_FIGURES} == shown(month)
    june, july = api["by_month"]
    assert (june["received"], june["completed"], june["on_time_rate"]) == (4, 4, 0.5)
    assert (july["received"], july["completed"], july["on_time_rate"], july["overdue"]) == (
        5,
        0,
        None,
        1,
    )
    for tables in (board, public):
        assert tables["township-lights"][township.code] == {
            "open": "6",
            "green": "1",
            "yellow": "1",
            "red": "2",
            "paused": "1",
            "unclocked": "1",
        }


def test_county_api_and_public_page_agree(client, records, township, other_township, reviewer):
    api = client.get(f"/api/v1/statistics{QUERY}").json()
    assert picked(api) == {
        "received": 11,
        "completed": 5,
        "on_time_rate": 0.6,
        "overdue": 3,
        "satisfaction": 0.5,
    }
    assert [t["code"] for t in api["townships"]] == [township.code, other_township.code]
    assert [t["name"] for t in api["townships"]] == ["官盛镇", "协兴镇"]
    assert sum(t["received"] for t in api["townships"]) == api["received"]
    public = page_figures(client.get("/supervision/" + QUERY))
    client.force_login(reviewer)
    board = page_figures(client.get("/admin/supervision/" + QUERY))
    for tables in (public, board):
        summary = tables["summary"][""]
        assert {key: summary[key] for key in TOP_FIGURES} == shown(api)
        for entry in api["townships"]:
            row = tables["townships"][entry["code"]]
            assert {key: row[key] for key in TOP_FIGURES} == shown(entry)
        for month in api["by_month"]:
            assert {k: tables["months"][month["month"]][k] for k in TOP_FIGURES} == shown(month)
        assert tables["township-lights"][township.code] == {
            "open": "6",
            "green": "1",
            "yellow": "1",
            "red": "2",
            "paused": "1",
            "unclocked": "1",
        }
        assert tables["evaluation-levels"] == {
            "5": {"level": "1"},
            "4": {"level": "1"},
            "3": {"level": "0"},
            "2": {"level": "1"},
            "1": {"level": "1"},
        }


def test_the_board_drills_down_per_item_and_clerk(client, records, clerk, township):
    client.force_login(clerk)
    tables = page_figures(client.get(f"/admin/supervision/{township.code}/{QUERY}"))
    items = tables["items"]
    assert items["临时救助申请"]["received"] == "3"
    assert items["最低生活保障申请"]["overdue"] == "2"
    clerks = tables["clerks"]
    assert clerks[str(records.clerk1.pk)]["received"] == "5"
    assert clerks[str(records.clerk2.pk)]["on_time_rate"] == "100.0%"
    assert tables["item-lights"]["最低生活保障申请"]["paused"] == "1"
    html = client.get(f"/admin/supervision/{township.code}/{QUERY}").content.decode()
    # overdue list: a5 and a11, oldest deadline first, by tracking number
    numbers = re.findall(r'<tr data-row="(\d{16})">', html)
    assert numbers == [records.a11.tracking_number, records.a5.tracking_number]
    assert f'href="/admin/applications/{records.a5.pk}/"' in html  # the back office's page
    assert html.count('<svg class="chart"') >= 3  # months, evaluations, lights per item/clerk


def test_the_public_page_has_no_personal_data(client, records, township):
    html = client.get("/supervision/" + QUERY).content.decode()
    assert "<svg" in html and "<script" not in html
    for secret in (records.a5.tracking_number, records.a5.applicant_name, "王", "clerk1"):
        assert secret not in html
    assert client.get("/supervision/999999999/").status_code == 404


def test_the_api_refuses_unknown_townships_and_bad_periods(client, township):
    response = client.get("/api/v1/townships/999999999/statistics")
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这个乡镇（街道）代码。"}
    assert client.get("/api/v1/statistics?start=2026-07-01&end=2026-06-01").status_code == 422
    assert client.get("/api/v1/statistics?start=nonsense").status_code == 422
    data = client.get(f"/api/v1/townships/{township.code}/statistics").json()
    assert data["period"]["end"] == TODAY.isoformat()
    assert data["period"]["start"] == "2026-02-01"
    assert len(data["by_month"]) == 6
    assert data["on_time_rate"] is None  # nothing completed: undefined, not 0


def test_a_bad_period_on_the_board_falls_back_with_a_message(client, reviewer, township):
    client.force_login(reviewer)
    response = client.get("/admin/supervision/?start=2026-07-01&end=2026-06-01")
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期。" in response.content.decode()
    assert "2026-02-01 至 2026-07-31" in response.content.decode()


def test_the_board_is_quick(client, reviewer, records, django_assert_max_num_queries):
    client.force_login(reviewer)
    with django_assert_max_num_queries(45):
        assert client.get("/admin/supervision/" + QUERY).status_code == 200


def test_reviewers_group_is_the_one_the_county_creates(reviewer):
    assert Group.objects.filter(name="公开审查员", user=reviewer).exists()


def test_the_openapi_schema_documents_both_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/statistics", "/api/v1/townships/{code}/statistics"} <= set(schema["paths"])
    county = schema["components"]["schemas"]["CountyStatisticsOut"]["properties"]
    assert {*TOP_FIGURES, "by_month", "townships"} <= set(county)
