"""The "township_item" breakdown of the supervision figures (the 两卡一表 statistics table's rows),
on the scenario of test_statistics.py."""

import pytest

from forms import statistics
from guides.models import TownshipPage
from tests.forms.test_statistics import PERIOD, TODAY, build_records, only

pytestmark = pytest.mark.django_db

COMPLAINT_FIELDS = (
    "complaints_received",
    "complaints_replied",
    "complaints_replied_on_time",
    "complaints_overdue",
)


@pytest.fixture
def records(township, other_township, django_user_model):
    return build_records(township, other_township, django_user_model)


def test_keys_are_township_and_item(records, township, other_township):
    groups = statistics.figures(PERIOD, TownshipPage.objects.all(), "township_item", TODAY)
    assert set(groups) == {
        (township.pk, "最低生活保障申请"),
        (township.pk, "临时救助申请"),
        (other_township.pk, "高龄津贴申请"),
    }
    relief = groups[(township.pk, "临时救助申请")]
    # a3 rejected, a4 on the spot (0 working days), a9 waiting; a4's bad review
    assert (relief.received, relief.rejected, relief.completed, relief.unclocked) == (3, 1, 1, 1)
    assert (relief.handled, relief.handling_days, relief.average_working_days) == (1, 0, 0.0)
    assert (relief.evaluations, relief.bad_reviews) == (1, 1)
    allowance = groups[(township.pk, "最低生活保障申请")]
    # a1, a2, a10 completed (a1 on time): 4 + 6 + 9 working days; a5 and a11 red
    assert (allowance.completed, allowance.completed_on_time, allowance.red) == (3, 1, 2)
    assert (allowance.handled, allowance.handling_days) == (3, 19)
    theirs = groups[(other_township.pk, "高龄津贴申请")]
    assert (theirs.received, theirs.completed, theirs.overdue) == (2, 1, 1)
    for value in groups.values():  # complaints have no item
        assert all(getattr(value, name) == 0 for name in COMPLAINT_FIELDS)


def test_township_items_add_up_to_the_townships_and_the_items(records, township, other_township):
    townships = TownshipPage.objects.all()
    groups = statistics.figures(PERIOD, townships, "township_item", TODAY)
    by_township = statistics.figures(PERIOD, townships, "township", TODAY)
    by_item = statistics.figures(PERIOD, townships, "item", TODAY)
    for pk, expected in by_township.items():
        summed = sum(
            (value for (key, _item), value in groups.items() if key == pk), statistics.Figures()
        )
        for name in COMPLAINT_FIELDS:  # per township only
            setattr(summed, name, getattr(expected, name))
        assert summed == expected, pk
    for item, expected in by_item.items():
        summed = sum(
            (value for (_key, name), value in groups.items() if name == item), statistics.Figures()
        )
        assert summed == expected, item


def test_one_township_total(records, township):
    """The table's total for a township: the sum of its items is the township's total."""
    groups = statistics.figures(PERIOD, only(township), "township_item", TODAY)
    summed = sum(groups.values(), statistics.Figures())
    total = statistics.figures(PERIOD, only(township), None, TODAY)[None]
    assert (summed.received, summed.completed, summed.completed_on_time, summed.overdue) == (
        9,
        4,
        2,
        2,
    )
    for name in COMPLAINT_FIELDS:
        setattr(summed, name, getattr(total, name))
    assert summed == total
