"""Validators for place codes (statistical division codes) and phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models.choices import TownshipKind, VillageKind

TOWNSHIP_CODE_RE = re.compile(r"^\d{9}$")
VILLAGE_CODE_RE = re.compile(r"^\d{12}$")
COUNTY_CODE_RE = re.compile(r"^\d{6}$")
# A landline with area code (0xx-xxxxxxx), a mobile, or a national hotline such as 12345.
PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|12\d{3}|400-?\d{3}-?\d{4})$")


def validate_county_code(value):
    if not COUNTY_CODE_RE.match(value or ""):
        raise ValidationError(_("县（区）代码应为6位数字。"))


def township_kind_for_code(code):
    """The kind of a township from its segment band: 001–099 街道, 100–199 镇, 200–399 乡."""
    if not TOWNSHIP_CODE_RE.match(code or ""):
        return None
    segment = int(code[6:9])
    if 1 <= segment <= 99:
        return TownshipKind.SUBDISTRICT
    if 100 <= segment <= 199:
        return TownshipKind.TOWN
    if 200 <= segment <= 399:
        return TownshipKind.TOWNSHIP
    return None


def village_kind_for_code(code):
    """The kind of a village unit: 001–199 社区 (residents' committee), 200–399 村."""
    if not VILLAGE_CODE_RE.match(code or ""):
        return None
    segment = int(code[9:12])
    if 1 <= segment <= 199:
        return VillageKind.COMMUNITY
    if 200 <= segment <= 399:
        return VillageKind.VILLAGE
    return None


def validate_township_code(value):
    if not TOWNSHIP_CODE_RE.match(value or ""):
        raise ValidationError(_("乡镇（街道）代码应为9位数字，例如 511602101。"))
    if township_kind_for_code(value) is None:
        raise ValidationError(
            _("乡镇（街道）代码第7–9位应在001–399之间（001–099街道，100–199镇，200–399乡）。")
        )


def validate_village_code(value):
    if not VILLAGE_CODE_RE.match(value or ""):
        raise ValidationError(_("村（社区）代码应为12位数字，例如 511602101201。"))
    if village_kind_for_code(value) is None:
        raise ValidationError(
            _("村（社区）代码第10–12位应在001–399之间（001–199社区，200–399村）。")
        )


def validate_phone(value):
    if value and not PHONE_RE.match(value.replace(" ", "")):
        raise ValidationError(
            _("电话号码格式不正确：固定电话请带区号（如 0826-2345678），手机号为11位。")
        )


def phone_has_area_code(value):
    """True for a landline with its area code, a mobile number or a national hotline."""
    return bool(value) and bool(PHONE_RE.match(value.replace(" ", "")))
