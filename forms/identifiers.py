"""Tracking numbers (受理编号) for citizens and national case numbers (办件编号) for systems.

A tracking number is 16 digits: 15 random digits and a Luhn check digit, read over the phone in
four groups of four ("8261 0347 5519 2864"). Random, so it says nothing and cannot be guessed
(10^15 numbers; a look-up also needs the applicant's mobile number and is rate limited); the
check digit catches a misheard digit before any look-up.

A case number is 43 characters: the item's 31-character implementation code, yyyyMMdd and a
4-digit serial per code and day (standards: 办件编号).
"""

import re
import secrets

from django.db import transaction
from django.db.models import F
from stdnum import luhn

TRACKING_DIGITS = 16
TRACKING_RE = re.compile(r"^\d{16}$")
# Stands in for the implementation code of items whose national codes are unknown.
UNKNOWN_IMPLEMENTATION_CODE = "0" * 31


def new_tracking_number():
    body = "".join(secrets.choice("0123456789") for _ in range(TRACKING_DIGITS - 1))
    if body[0] == "0":  # a leading zero gets lost in spreadsheets
        body = str(secrets.choice("123456789")) + body[1:]
    return body + luhn.calc_check_digit(body)


def normalize_tracking_number(value):
    """Digits only (spaces, dashes and full-width digits removed); '' if not a valid number."""
    value = (value or "")[:64]
    digits = "".join(
        str(ord(c) - 0xFF10) if "\uff10" <= c <= "\uff19" else c
        for c in value
        if c not in " -\u3000"
    )
    if not TRACKING_RE.match(digits) or not luhn.is_valid(digits):
        return ""
    return digits


def implementation_code_for(item):
    code = (getattr(item, "implementation_code", "") or "").strip()
    return code if len(code) == 31 else UNKNOWN_IMPLEMENTATION_CODE


def next_case_number(item, day):
    """The next 43-character case number for ``item`` on ``day`` (unique, safe under concurrency:
    the counter row is incremented in the database)."""
    from .models import CaseSerial

    prefix = implementation_code_for(item)
    with transaction.atomic():
        serial, _created = CaseSerial.objects.select_for_update().get_or_create(
            prefix=prefix, day=day
        )
        CaseSerial.objects.filter(pk=serial.pk).update(last=F("last") + 1)
        serial.refresh_from_db(fields=["last"])
    if serial.last > 9999:
        raise OverflowError("more than 9,999 cases for one item on one day")
    return f"{prefix}{day:%Y%m%d}{serial.last:04d}"
