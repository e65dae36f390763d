import datetime

import pytest
from stdnum import luhn

from forms.identifiers import (
    UNKNOWN_IMPLEMENTATION_CODE,
    new_tracking_number,
    next_case_number,
    normalize_tracking_number,
)
from guides.factories import ServiceItemFactory


def test_tracking_numbers_are_16_digits_with_a_check_digit():
    numbers = {new_tracking_number() for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert len(number) == 16 and number.isdigit() and number[0] != "0"
        assert luhn.is_valid(number)


def test_normalize_accepts_spaces_and_full_width_and_rejects_misheard_digits():
    number = new_tracking_number()
    spaced = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert normalize_tracking_number(spaced) == number
    assert normalize_tracking_number(full_width) == number
    wrong = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert normalize_tracking_number(wrong) == ""
    assert normalize_tracking_number("x" * 10_000) == ""


@pytest.mark.django_db
def test_case_numbers_are_43_characters_and_count_per_item_and_day():
    item = ServiceItemFactory(implementation_code="1" * 18 + "5" + "2" * 12)
    day = datetime.date(2026, 12, 7)
    first = next_case_number(item, day)
    second = next_case_number(item, day)
    assert len(first) == 43 and first.startswith(item.implementation_code + "20261207")
    assert first.endswith("0001") and second.endswith("0002")
    assert next_case_number(item, day + datetime.timedelta(days=1)).endswith("0001")
    unknown = next_case_number(ServiceItemFactory(implementation_code=""), day)
    assert unknown.startswith(UNKNOWN_IMPLEMENTATION_CODE)
