"""The back-office queue (办件管理): township isolation, columns, filters, order, the menu."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from forms import actions, clock
from forms.backoffice.queries import light_q
from forms.models import Application, ApplicationStatus
from tests.forms.backoffice_fixtures import *  # noqa: F403
from tests.forms.backoffice_fixtures import admin_url, submit

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def numbers(response):
    return [a.display_tracking_number for a in response.context["object_list"]]


def test_a_clerk_sees_only_own_township(client, clerk, online_guide, other_guide):
    own = submit(online_guide, name="张秀英")
    other = submit(other_guide, name="李协兴")
    client.force_login(clerk)
    response = client.get(admin_url("index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert own.display_tracking_number in page
    assert other.display_tracking_number not in page
    assert numbers(response) == [own.display_tracking_number]
    # the applicant's name is masked; the township column is absent for one township
    assert "张**" in page and "张秀英" not in page
    assert "协兴镇" not in page


def test_county_admin_sees_every_township_with_a_township_column_and_filter(
    client, county_admin, online_guide, other_guide, township
):
    own = submit(online_guide)
    other = submit(other_guide)
    client.force_login(county_admin)
    response = client.get(admin_url("index"))
    assert set(numbers(response)) == {own.display_tracking_number, other.display_tracking_number}
    assert "协兴镇" in response.content.decode()
    filtered = client.get(admin_url("index", query=f"township={township.pk}"))
    assert numbers(filtered) == [own.display_tracking_number]


def test_people_without_a_handling_role_are_turned_away(client, editor, online_guide):
    submit(online_guide)
    client.force_login(editor)
    response = client.get(admin_url("index"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_anonymous_visitors_go_to_the_login(client, online_guide):
    response = client.get(admin_url("index"))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response.url


def menu_names(rf, user):
    request = rf.get("/admin/")
    request.user = user
    names = set()
    for item in admin_menu.menu_items_for_request(request):
        names.add(item.name)
        if hasattr(item, "menu"):
            names |= {child.name for child in item.menu.menu_items_for_request(request)}
    return names


def test_menu_shows_the_queue_to_handlers_only(rf, clerk, editor, head, county_admin):
    clerk_menu = menu_names(rf, clerk)
    assert {"applications", "application-register", "application-statistics"} <= clerk_menu
    assert "rectifications" not in clerk_menu
    assert {"applications", "rectifications"} <= menu_names(rf, head)
    assert {"applications", "rectifications"} <= menu_names(rf, county_admin)
    assert not {"applications", "application-ledger", "rectifications"} & menu_names(rf, editor)


def test_filters_status_mine_and_search(client, clerk, clerk2, online_guide):
    first = submit(online_guide)
    second = submit(online_guide)
    third = submit(online_guide)
    actions.accept(second, clerk)
    actions.accept(third, clerk2)
    client.force_login(clerk)

    accepted = client.get(admin_url("index", query="status=accepted"))
    assert set(numbers(accepted)) == {second.display_tracking_number, third.display_tracking_number}
    mine = client.get(admin_url("index", query="mine=1"))
    assert numbers(mine) == [second.display_tracking_number]
    typed = first.display_tracking_number  # with spaces, as read over the phone
    found = client.get(admin_url("index", query=f"q={typed}"))
    assert numbers(found) == [first.display_tracking_number]
    by_item = client.get(admin_url("index", query=f"q={online_guide.item.name}"))
    assert len(numbers(by_item)) == 3
    assert numbers(client.get(admin_url("index", query="q=没有这个事项"))) == []
    # the results fragment used by the filters
    fragment = client.get(admin_url("index_results", query="status=submitted"))
    assert first.display_tracking_number in fragment.content.decode()
    assert second.display_tracking_number not in fragment.content.decode()


def test_open_ones_with_the_nearest_deadline_come_first(client, clerk, online_guide):
    today = timezone.localdate()
    days = datetime.timedelta
    recent = submit(online_guide, when=at(today - days(60)))  # submitted first, accepted last
    overdue = submit(online_guide, when=at(today - days(50)))
    waiting = submit(online_guide, when=at(today - days(1)))
    closed = submit(online_guide, when=at(today - days(90)))
    actions.accept(recent, clerk, when=at(today - days(5)))
    actions.accept(overdue, clerk, when=at(today - days(49)))
    actions.reject(closed, clerk, "不符合条件")
    client.force_login(clerk)
    response = client.get(admin_url("index"))
    assert numbers(response) == [
        overdue.display_tracking_number,  # the nearest (here: passed) deadline first
        recent.display_tracking_number,
        waiting.display_tracking_number,  # not accepted yet: no deadline
        closed.display_tracking_number,  # closed last
    ]
    page = response.content.decode()
    assert "红灯" in page and "bo-light--red" in page  # a label, not colour alone
    assert "超期" in page  # working days over


def test_pagination(client, clerk, online_guide):
    for _ in range(31):
        submit(online_guide)
    client.force_login(clerk)
    first = client.get(admin_url("index"))
    second = client.get(admin_url("index", query="p=2"))
    assert len(numbers(first)) == 30 and len(numbers(second)) == 1


def test_light_filter_agrees_with_the_clock(client, clerk, online_guide):
    """Every kind of application: the light in the database filter is the clock's light."""
    today = timezone.localdate()
    days = datetime.timedelta

    def accepted(ago, **kwargs):
        application = submit(online_guide, when=at(today - days(ago + 1)))
        actions.accept(application, clerk, when=at(today - days(ago)))
        return application

    overdue = accepted(60)
    near = accepted(5)
    Application.objects.filter(pk=near.pk).update(deadline=today)  # due today: yellow
    last_yellow = accepted(5)
    Application.objects.filter(pk=last_yellow.pk).update(
        deadline=clock.add_working_days(today, clock.warning_days())
    )
    first_green = accepted(5)
    Application.objects.filter(pk=first_green.pk).update(
        deadline=clock.add_working_days(today, clock.warning_days() + 1)
    )
    fresh = accepted(0)
    paused = accepted(3)
    actions.request_supplement(paused, clerk, [("户口簿", "缺少户主页")])
    on_time = accepted(2)
    actions.complete(on_time, clerk, "approved")
    late = accepted(60)
    actions.complete(late, clerk, "approved")
    rejected = submit(online_guide)
    actions.reject(rejected, clerk, "不符合条件")
    waiting = submit(online_guide)
    pool = [
        overdue,
        near,
        last_yellow,
        first_green,
        fresh,
        paused,
        on_time,
        late,
        rejected,
        waiting,
    ]

    expected = {}
    for application in Application.objects.filter(pk__in=[a.pk for a in pool]):
        expected.setdefault(actions.clock_state(application).light, set()).add(application.pk)
    for light in (clock.Light.RED, clock.Light.YELLOW, clock.Light.GREEN, clock.Light.PAUSED):
        selected = set(Application.objects.filter(light_q(light)).values_list("pk", flat=True))
        assert selected == expected.get(light, set()), light
    assert expected[clock.Light.RED] == {overdue.pk, late.pk}
    assert expected[clock.Light.PAUSED] == {paused.pk}
    assert expected[clock.Light.YELLOW] == {near.pk, last_yellow.pk}
    assert expected[clock.Light.GREEN] == {first_green.pk, fresh.pk, on_time.pk}

    client.force_login(clerk)
    red = client.get(admin_url("index", query="light=red"))
    assert set(numbers(red)) == {overdue.display_tracking_number, late.display_tracking_number}
