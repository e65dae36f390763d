"""Deterministic demo people, phone numbers and codes.

Every value is derived from a stable key (a place code and a purpose) with a hash, so it is
the same on every load and does not depend on the order in which things are created. None of
these is a real person, number or organisation code (see docs/demo.md).
"""

import hashlib

from stdnum.cn import uscc

from .constants import AREA_CODE

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭罗唐蒋谢邓冯曾彭杜袁蒲邹熊廖任秦"
GIVEN_FIRST = "建志明国文晓海春秀玉光德永红丽小金长世洪清兴家俊"
GIVEN_SECOND = "华军平英芳勇强梅琴杰敏霞伟林燕涛斌萍超静刚辉蓉"


def _number(*key):
    digest = hashlib.sha256(":".join(str(k) for k in key).encode("utf-8")).hexdigest()
    return int(digest[:12], 16)


def small_number(limit, *key):
    """A number from 1 to ``limit``, always the same for the same key."""
    return 1 + _number(*key) % limit


def pick(options, *key):
    """One of ``options``, always the same for the same key."""
    return options[_number(*key) % len(options)]


def person_name(*key):
    """A plausible two- or three-character Chinese name."""
    surname = pick(SURNAMES, "surname", *key)
    first = pick(GIVEN_FIRST, "given1", *key)
    if _number("length", *key) % 3 == 0:
        return surname + first
    return surname + first + pick(GIVEN_SECOND, "given2", *key)


def masked_name(*key):
    """A name as published in a posting: the middle (or last) character hidden."""
    name = person_name(*key)
    return name[0] + "*" + (name[2:] if len(name) > 2 else "")


def township_segment(code):
    """The 3-digit township segment of a 9-digit code: '511602101' → '101'."""
    return code[6:9]


def township_phone(code, line):
    """A landline of a township center: ``0826-2SSSLLL`` with S the township segment."""
    return f"{AREA_CODE}-2{township_segment(code)}{line:03d}"


def mobile(*key):
    """A demo mobile number in the 1380826xxxx block (11 digits)."""
    return f"1380826{_number('mobile', *key) % 10000:04d}"


def credit_code(township_code):
    """An 18-character unified social credit code with a valid check character.

    '11' (organ) + county code + a made-up organisation code 'MB' + segment + '0000';
    only the format and check character are real.
    """
    body = f"11{township_code[:6]}MB{township_segment(township_code)}0000"
    return body + uscc.calc_check_digit(body)
