"""Applicant data: resident ID numbers (GB 11643) and mobile numbers, with messages in Chinese."""

import datetime
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def _fold(value):
    """Full-width digits and letters to ASCII, spaces and dashes removed."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", value)


def clean_id_number(value):
    """The 18-character resident ID number, upper-case X, or ``ValidationError`` saying what is
    wrong: length, characters, the birth date or the check character."""
    number = _fold(value).upper()
    if not number:
        raise ValidationError(_("请输入公民身份号码。"), code="required")
    if len(number) != 18:
        raise ValidationError(
            _("公民身份号码应为18位，您输入了%(count)s位。") % {"count": len(number)},
            code="length",
        )
    if not re.match(r"^\d{17}[\dX]$", number):
        raise ValidationError(
            _("公民身份号码前17位应为数字，最后一位为数字或字母X。"), code="format"
        )
    # Not ric.validate(): its place-code table lacks codes that are in use (511602 among
    # them), and people keep the code of the place where they were first registered.
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("公民身份号码校验位不正确，请逐位核对（最后一位可能是X）。"), code="checksum"
        )
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, InvalidFormat, InvalidLength, ValueError):
        birth = None
    if birth is None or birth > datetime.date.today() or birth.year < 1890:
        raise ValidationError(
            _("公民身份号码中的出生日期（第7–14位）不正确，请核对。"), code="birth_date"
        )
    return number


def clean_mobile(value):
    """An 11-digit mainland mobile number, or ``ValidationError``."""
    number = _fold(value)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not number:
        raise ValidationError(_("请输入手机号码。"), code="required")
    if not MOBILE_RE.match(number):
        raise ValidationError(_("手机号码应为以1开头的11位数字，例如 13812345678。"), code="format")
    parsed = phonenumbers.parse(number, "CN")
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("这个手机号码号段不存在，请核对。"), code="invalid")
    return number
