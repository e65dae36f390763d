"""Demo applicants: made-up people with numbers that pass the same checks as real ones.

- Names: a common surname and given-name characters typical of the person's sex and generation.
- Resident ID numbers (GB 11643): address code, birth date, order code (odd for men, even for
  women) and the check character. The address code is the one this place had when the person
  was first registered, because a number never changes: 511602 (广安区, since 1998), 513621
  (广安县 of 广安地区, 1993–1998) and 512925 (广安县 of 南充地区, before 1993). python-stdnum's
  strict check (``stdnum.cn.ric``, used by ``forms.validators.clean_id_number``) knows these
  periods and refuses 511602 for anyone born before 1998.
- Mobiles: 11 digits under prefixes in use (1[3-9]…), valid for ``phonenumbers``.
- Addresses: “3组25号” in a village, a street number in an urban community (社区), as the
  application form asks; the village is one of the township's real villages.

None of them is a real person or number.
"""

import datetime
from dataclasses import dataclass

from stdnum.cn import ric

from guides.demo.people import SURNAMES
from guides.models.choices import VillageKind
from guides.validators import village_kind_for_code

# (first year of birth, address code) from the newest down: see the module docstring.
ADDRESS_CODES = [(1998, "511602"), (1993, "513621"), (0, "512925")]


def _words(text):
    return tuple(text.split())


# Given names by sex and generation (born before 1960, 1960–1984, from 1985).
GIVEN = {
    ("m", 0): _words("德明 国华 建国 志成 光荣 永福 世杰 文华 长贵 明德 德才 绍华 清明 国强"),
    ("m", 1): _words("建军 志强 建华 国平 小军 红兵 勇 伟 刚 斌 海波 建平 明 涛 云峰 德军"),
    ("m", 2): _words("浩 宇 鑫 俊杰 子豪 鹏 磊 杰 浩然 宇航 晨阳 博文 俊 思远 凯"),
    ("f", 0): _words("秀英 桂芳 淑华 玉兰 秀珍 素芬 桂英 玉珍 淑珍 秀兰 翠华 兰英 德秀"),
    ("f", 1): _words("红梅 丽 霞 芳 秀琴 晓梅 小琴 燕 丽华 春梅 敏 琼 莉 蓉 红 英"),
    ("f", 2): _words("婷 欣怡 雨涵 佳 思琪 玉洁 梦瑶 倩 雪 诗雨 静 悦 丹 娇"),
}

# Mobile prefixes of the three operators (all in use).
MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 "
    "177 180 181 182 183 186 187 188 189 191 199"
)

# Street names for communities (社区); villages use 组 and house numbers.
STREETS = ["人民路", "建设路", "兴隆街", "正街", "新街", "滨河路", "朝阳路", "民主街", "团结路"]


@dataclass
class Person:
    name: str
    id_number: str
    mobile: str
    sex: str  # "m" or "f"
    birth_date: datetime.date

    def age_on(self, day):
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def address_code(birth_year):
    for first_year, code in ADDRESS_CODES:
        if birth_year >= first_year:
            return code
    raise AssertionError("unreachable")


def id_number(birth_date, order):
    """A GB 11643 number for someone of this district born on ``birth_date``; ``order`` is the
    3-digit order code (odd for men, even for women)."""
    body = f"{address_code(birth_date.year)}{birth_date:%Y%m%d}{order:03d}"
    number = body + ric.calc_check_digit(body + "0")
    ric.validate(number)  # a generator bug must stop the load, not reach the database
    return number


def mobile(rng):
    """Every number under these prefixes is a valid mobile (``forms.validators.clean_mobile``;
    the tests check it)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _generation(year):
    return 0 if year < 1960 else 1 if year < 1985 else 2


def name(rng, sex, birth_year):
    return rng.choice(SURNAMES) + rng.choice(GIVEN[(sex, _generation(birth_year))])


def person(rng, today, ages, sex=None):
    """Someone aged ``ages`` = (youngest, oldest) on ``today``."""
    sex = sex or rng.choice("mf")
    youngest, oldest = ages
    latest = _years_before(today, youngest)
    earliest = _years_before(today, oldest + 1) + datetime.timedelta(days=1)
    birth = earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))
    order = rng.randrange(0, 500) * 2 + (1 if sex == "m" else 0)
    return Person(
        name=name(rng, sex, birth.year),
        id_number=id_number(birth, order),
        mobile=mobile(rng),
        sex=sex,
        birth_date=birth,
    )


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def address(rng, village, urban):
    """A detailed address in ``village`` (the form asks for it beside the village): a street
    number in an urban community (社区 of a 街道), else group and house number."""
    if urban and village_kind_for_code(village.code) == VillageKind.COMMUNITY:
        return f"{rng.choice(STREETS)}{rng.randint(1, 180)}号{rng.randint(1, 6)}单元"
    return f"{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
