"""The demo's places: the county portal, its townships with windows, and the village stations.

Codes and names are real (statistical division codes, 2023); addresses, phones, people and
credit codes are demo values derived deterministically from the codes (``people``).
"""

from wagtail.models import Page, Site

from .. import factories
from ..models import CountyPortalPage, ServiceWindow, TownshipPage, VillageStationPage, WindowDuty
from ..models.choices import TownshipKind
from ..text import pinyin_slug
from ..validators import township_kind_for_code
from . import people
from .constants import (
    AREA_CODE,
    CENTER_HOURS,
    CITY_NAME,
    COUNTY_CODE,
    COUNTY_NAME,
    DEMO_ADDRESS_MARK,
    DEMO_MARK,
    PORTAL_SLUG,
    PORTAL_TITLE,
    STATION_HOURS,
)
from .tree import ChildAppender, mark_live

WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"

PORTAL_FIELDS = {
    "title": PORTAL_TITLE,
    "slug": PORTAL_SLUG,
    "code": COUNTY_CODE,
    "introduction": (
        "广安区便民服务网汇集全区25个乡镇（街道）便民服务中心的办事指南、通知公告和巡回服务安排，"
        "群众可按乡镇查找事项，了解申请条件、所需材料、办理时限和收费标准。"
        "本站为演示站点，办事指南、电话和地址均为演示数据。"
    ),
    "address": f"{CITY_NAME}{COUNTY_NAME}政务服务中心（演示地址）",
    "consultation_phone": f"{AREA_CODE}-2345000",
    "supervision_phone": f"{AREA_CODE}-2345999",
    "reconsideration_body": "广安区人民政府",
    "reconsideration_address": f"{CITY_NAME}{COUNTY_NAME}人民政府行政复议受理窗口{DEMO_ADDRESS_MARK}",
    "reconsideration_phone": f"{AREA_CODE}-2345123",
    "litigation_court": "广安区人民法院",
    "litigation_address": f"{CITY_NAME}{COUNTY_NAME}人民法院诉讼服务中心{DEMO_ADDRESS_MARK}",
    "litigation_phone": f"{AREA_CODE}-2345456",
}

ROADS = ["人民路", "建设路", "兴隆街", "正街", "新街", "滨河路", "朝阳路", "民主街"]

# Window key → (name, what it handles). Townships (乡) merge 社会事务 into 综合受理.
WINDOWS = {
    "assistance": ("综合受理窗口", "社会救助、养老服务、残疾人服务、儿童福利"),
    "affairs": ("社会事务窗口", "计划生育、林业、退役军人服务、户籍代办、老年人优待"),
    "insurance": ("社保医保窗口", "城乡居民养老保险、城乡居民医疗保险、就业创业服务"),
}
DUTY_ROLES = ["窗口受理员（A岗）", "窗口受理员（B岗）"]


def ensure_portal():
    """The county portal under Wagtail's root, made the root of the default site."""
    portal = CountyPortalPage.objects.filter(code=COUNTY_CODE).first()
    if portal is None:
        root = Page.get_first_root_node()
        portal = factories.CountyPortalPageFactory.build(**PORTAL_FIELDS)
        with ChildAppender(root) as appender:
            appender.add(mark_live(portal))
    _make_site_root(portal)
    return portal


def _make_site_root(portal):
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True, site_name=PORTAL_TITLE)
    if site.root_page_id != portal.pk:
        site.root_page = portal
        site.save()
    _delete_wagtail_welcome_page()


def _delete_wagtail_welcome_page():
    """Wagtail's initial 'Welcome' page, if it is still there untouched and no site uses it."""
    welcome = Page.objects.filter(
        depth=2,
        slug="home",
        title=WAGTAIL_WELCOME_TITLE,
        numchild=0,
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).first()
    if welcome is not None and not Site.objects.filter(root_page=welcome).exists():
        welcome.delete()


def township_fields(place):
    """Field values of a township page, from its real code and name."""
    code, name = place.code, place.name
    road = people.pick(ROADS, "road", code)
    number = 10 + int(people.township_segment(code)) % 90
    center = f"{name}便民服务中心"
    return {
        "title": name,
        "slug": pinyin_slug(name),
        "code": code,
        "center_name": center,
        "introduction": (
            f"{center}集中办理社会救助、社会保障、就业创业、残疾人服务、计划生育、林业和户籍代办等便民服务事项，"
            f"实行“一窗受理、集成服务”，村（社区）便民服务站提供无偿代办。{DEMO_MARK}"
        ),
        "address": f"{CITY_NAME}{COUNTY_NAME}{name}{road}{number}号{center}一楼{DEMO_ADDRESS_MARK}",
        "directions": f"乘坐城乡公交至{name}场镇站下车，步行约5分钟。{DEMO_MARK}",
        "hours": CENTER_HOURS,
        "consultation_phone": people.township_phone(code, 601),
        "supervision_phone": people.township_phone(code, 609),
        "center_head": people.person_name("head", code),
        "credit_code": people.credit_code(code),
        "is_demo": True,
    }


def ensure_townships(portal, places):
    """A township page per place, in code order; code → TownshipPage."""
    existing = {t.code: t for t in TownshipPage.objects.filter(code__in=[p.code for p in places])}
    missing = [p for p in places if p.code not in existing]
    if missing:
        used = set(Page.objects.child_of(portal).values_list("slug", flat=True))
        with ChildAppender(portal) as appender:
            for place in missing:
                fields = township_fields(place)
                fields["slug"] = unique_slug(fields["slug"], used)
                township = factories.TownshipPageFactory.build(**fields)
                existing[place.code] = appender.add(mark_live(township))
    return {p.code: existing[p.code] for p in places}


def window_keys(township):
    """The windows a township has: three, or two for a 乡 (township)."""
    if township_kind_for_code(township.code) == TownshipKind.TOWNSHIP:
        return ["assistance", "insurance"]
    return ["assistance", "affairs", "insurance"]


def ensure_windows(township):
    """The township's windows with their duty rosters; window key → ServiceWindow.

    A 乡 has no 社会事务 window: its key maps to the 综合受理 window.
    """
    keys = window_keys(township)
    existing = {w.number: w for w in ServiceWindow.objects.filter(township=township)}
    windows = {}
    for position, key in enumerate(keys, start=1):
        number = str(position)
        window = existing.get(number)
        if window is None:
            name, handles = WINDOWS[key]
            window = factories.ServiceWindowFactory(
                township=township,
                number=number,
                name=name,
                handles=handles,
                phone=people.township_phone(township.code, 610 + position),
                sort_order=position,
            )
            WindowDuty.objects.bulk_create(
                factories.WindowDutyFactory.build(
                    window=window,
                    staff_name=people.person_name("duty", township.code, number, slot),
                    role=role,
                    days="周一至周五",
                    sort_order=slot,
                )
                for slot, role in enumerate(DUTY_ROLES)
            )
        windows[key] = window
    windows.setdefault("affairs", windows["assistance"])
    return windows


def station_short_name(name):
    """'白塔村委会' → '白塔村', '翠屏路社区居委会' → '翠屏路社区'."""
    for suffix, short in (("社区居委会", "社区"), ("居委会", "社区"), ("村委会", "村")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + short
    return name


def village_fields(place, township):
    short = station_short_name(place.name)
    return {
        "title": place.name,
        "slug": pinyin_slug(short),
        "code": place.code,
        "agent_name": people.person_name("agent", place.code),
        "agent_phone": people.mobile("agent", place.code),
        "address": f"{COUNTY_NAME}{township.title}{short}党群服务中心{DEMO_ADDRESS_MARK}",
        "hours": STATION_HOURS,
        "is_demo": True,
    }


def ensure_villages(townships, places, used_slugs):
    """A station page per village under its township; code → VillageStationPage.

    ``used_slugs`` maps a township code to the slugs already taken under it (updated here).
    """
    places = [p for p in places if p.parent_code in townships]
    existing = {
        v.code: v for v in VillageStationPage.objects.filter(code__in=[p.code for p in places])
    }
    by_township = {}
    for place in places:
        if place.code not in existing:
            by_township.setdefault(place.parent_code, []).append(place)
    for township_code, missing in by_township.items():
        township = townships[township_code]
        used = used_slugs[township_code]
        with ChildAppender(township) as appender:
            for place in missing:
                fields = village_fields(place, township)
                fields["slug"] = unique_slug(fields["slug"], used)
                page = factories.VillageStationPageFactory.build(**fields)
                existing[place.code] = appender.add(mark_live(page))
    return {p.code: existing[p.code] for p in places}


def unique_slug(slug, used):
    """``slug``, or ``slug-2``, ``slug-3`` … if taken; records the one returned in ``used``."""
    candidate, n = slug, 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    used.add(candidate)
    return candidate
