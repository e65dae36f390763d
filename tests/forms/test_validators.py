import pytest
from django.core.exceptions import ValidationError

from forms.validators import clean_id_number, clean_mobile
from tests.forms.conftest import valid_id_number


def test_valid_id_numbers_are_normalised():
    number = valid_id_number(birth="19491001", order="007")
    assert clean_id_number(number) == number
    x_number = "11010519491231002X"
    assert clean_id_number(x_number.lower()) == x_number
    assert clean_id_number("１１０１０５１９４９１２３１００２Ｘ") == x_number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("51160219560317", "length"),
        ("51160219560317123A", "format"),
        ("511602195603171230", "checksum"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as error:
        clean_id_number(value)
    assert error.value.code == code


def test_impossible_birth_date():
    body = "51160219561317123"  # month 13
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError) as error:
        clean_id_number(number)
    assert error.value.code == "birth_date"


def test_mobiles():
    assert clean_mobile("+86 138-1234-5678") == "13812345678"
    for bad in ["", "1381234567", "23812345678", "12012345678"]:
        with pytest.raises(ValidationError):
            clean_mobile(bad)
