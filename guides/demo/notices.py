"""Each demo township's notices (通知公告): two announcements, a 7-day posting (公示), a mobile
service van schedule (巡回服务) on its own villages, and a policy explanation (政策解读).

All dates derive from ``DEMO_DATE``, never from today, so that every load is the same; the
posting runs from DEMO_DATE − 2 days for 7 days and so is open around the demo date.
Notices are found again by (notice index, slug).
"""

import datetime
from dataclasses import dataclass, field

from .. import factories
from ..models import NoticeIndexPage, NoticePage, VanStop
from ..models.choices import NoticeKind
from . import people
from .constants import DEMO_DATE, DEMO_MARK
from .places import station_short_name, unique_slug
from .tree import ChildAppender, mark_live

# Catalog items the notices link to (``related_item``).
NOTICE_ITEMS = ("最低生活保障", "城乡居民基本养老保险参保登记", "城乡居民参保登记")

INDEX_TITLE = "通知公告"
INDEX_SLUG = "notices"

POSTING_DAYS = 7
POSTING_START = DEMO_DATE - datetime.timedelta(days=2)
POSTING_END = POSTING_START + datetime.timedelta(days=POSTING_DAYS - 1)

# Van stops: days after DEMO_DATE (a Friday) — Tuesdays and Thursdays.
VAN_STOP_OFFSETS = [4, 6, 11, 13, 18, 20]
VAN_SERVICES = "养老保险待遇资格认证、医保参保缴费、残疾人证和两项补贴申请受理、低保政策咨询"


@dataclass
class NoticeSpec:
    """An unsaved notice and its van stops (if any)."""

    page: NoticePage
    stops: list = field(default_factory=list)


def _date(text):
    return f"{text.year}年{text.month}月{text.day}日"


def notice_specs(township, villages, items):
    """The five demo notices of one township (unsaved), in publication order."""
    center = township.display_center_name
    return [
        _pension_notice(township, center, items),
        _medical_notice(township, center, items),
        _policy_notice(township, center, items),
        _van_schedule(township, center, villages),
        _dibao_posting(township, center, villages, items),
    ]


def _notice(**fields):
    return factories.NoticePageFactory.build(is_demo=True, **fields)


def _pension_notice(township, center, items):
    return NoticeSpec(
        _notice(
            title="关于做好2027年度城乡居民基本养老保险费征缴工作的通知",
            slug="jumin-yanglao-jiaofei-2027",
            kind=NoticeKind.NOTICE,
            date=DEMO_DATE - datetime.timedelta(days=19),
            summary=f"2027年度城乡居民基本养老保险费集中征缴期为2026年11月1日至12月31日。{DEMO_MARK}",
            body=(
                f"<p>各村（社区）、广大参保群众：</p>"
                f"<p>2027年度城乡居民基本养老保险费集中征缴工作已经开始，征缴期为2026年11月1日至12月31日。"
                f"参保人员可自主选择缴费档次，通过“天府通办”、“四川税务”APP、银行网点或到{center}社保医保窗口缴费。</p>"
                f"<p>最低生活保障对象、特困人员、重度残疾人等困难群体，由政府按规定代缴部分或全部最低档次养老保险费，无需个人缴纳。</p>"
                f"<p>咨询电话：{township.consultation_phone}</p>"
                f"<p>{DEMO_MARK}本通知为演示内容。</p>"
            ),
            related_item=items["城乡居民基本养老保险参保登记"],
        )
    )


def _medical_notice(township, center, items):
    return NoticeSpec(
        _notice(
            title="关于开展2027年度城乡居民基本医疗保险参保缴费的通知",
            slug="jumin-yibao-canbao-2027",
            kind=NoticeKind.NOTICE,
            date=DEMO_DATE - datetime.timedelta(days=10),
            summary=f"2027年度城乡居民医保集中参保缴费截至2026年12月31日，逾期缴费将设待遇等待期。{DEMO_MARK}",
            body=(
                f"<p>2027年度城乡居民基本医疗保险集中参保缴费正在进行，截止日期为2026年12月31日。</p>"
                f"<p>缴费渠道：“四川医保”APP、“天府通办”、银行网点，或到{center}、村（社区）便民服务站由代办员协助缴费。</p>"
                f"<p>特困人员、低保对象等救助对象的个人缴费按规定给予资助，名单内人员无需申请。</p>"
                f"<p>{DEMO_MARK}本通知为演示内容，缴费标准以医保部门公布为准。</p>"
            ),
            related_item=items["城乡居民参保登记"],
        )
    )


def _policy_notice(township, center, items):
    return NoticeSpec(
        _notice(
            title="政策解读：最低生活保障怎么申请？",
            slug="zhengce-jiedu-dibao",
            kind=NoticeKind.POLICY,
            date=DEMO_DATE - datetime.timedelta(days=5),
            summary=f"一问一答，讲清低保的申请条件、所需材料和办理流程。{DEMO_MARK}",
            body=(
                "<h3>谁可以申请？</h3>"
                "<p>共同生活的家庭成员人均收入低于本区低保标准、家庭财产状况符合规定的家庭，可由家庭成员向户籍所在地乡镇（街道）申请。</p>"
                "<h3>要带什么材料？</h3>"
                "<p>申请书、家庭成员身份证和户口簿、家庭经济状况核对授权书、收入和财产申报表；有残疾或重病的带上相关证明，暂时没有的可以后补。</p>"
                "<h3>要多久？</h3>"
                "<p>本中心承诺20个工作日内办结（公示期7天不计入），法定时限为30个工作日。</p>"
                f"<h3>在哪里办？</h3><p>{center}综合受理窗口，或请村（社区）代办员代办。</p>"
                f"<p>{DEMO_MARK}本解读为演示内容。</p>"
            ),
            related_item=items["最低生活保障"],
        )
    )


def _spread(villages, count):
    """``count`` villages spread evenly over the list (first and last included)."""
    if count >= len(villages):
        return list(villages)
    step = (len(villages) - 1) / (count - 1)
    return [villages[round(i * step)] for i in range(count)]


def _van_schedule(township, center, villages):
    count = 4 + int(people.township_segment(township.code)) % 3  # 4–6 stops
    chosen = _spread(villages, count)
    dates = [DEMO_DATE + datetime.timedelta(days=d) for d in VAN_STOP_OFFSETS[: len(chosen)]]
    stops = [
        factories.VanStopFactory.build(
            village=village,
            date=date,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(11, 30),
            location=f"{station_short_name(village.title)}党群服务中心院坝",
            services=VAN_SERVICES,
        )
        for village, date in zip(chosen, dates, strict=True)
    ]
    lines = "".join(
        f"<li>{_date(stop.date)} 上午9:00–11:30，{stop.location}</li>" for stop in stops
    )
    return NoticeSpec(
        _notice(
            title=f"{center}巡回流动服务安排（{_date(dates[0])}—{_date(dates[-1])}）",
            slug="xunhui-fuwu-2026-12",
            kind=NoticeKind.VAN_SCHEDULE,
            date=DEMO_DATE - datetime.timedelta(days=1),
            summary=f"便民服务车将到{len(stops)}个村（社区）现场办理社保认证、医保缴费等事项。{DEMO_MARK}",
            body=(
                f"<p>为方便群众就近办事，{center}便民服务车将按以下安排到村（社区）开展巡回服务：</p>"
                f"<ol>{lines}</ol>"
                f"<p>服务内容：{VAN_SERVICES}。请携带居民身份证、户口簿等材料。</p>"
                f"<p>{DEMO_MARK}本安排为演示内容。</p>"
            ),
        ),
        stops,
    )


def _dibao_posting(township, center, villages, items):
    households = _spread(villages, 3)
    rows = "".join(
        f"<li>{people.masked_name('dibao', village.code)}，{station_short_name(village.title)}，"
        f"保障人口{people.small_number(4, 'size', village.code)}人</li>"
        for village in households
    )
    objection_phone = people.township_phone(township.code, 611)
    return NoticeSpec(
        _notice(
            title=f"{township.title}2026年11月新增最低生活保障对象公示",
            slug="dibao-gongshi-2026-11",
            kind=NoticeKind.POSTING,
            date=POSTING_START,
            summary=(
                f"公示期{_date(POSTING_START)}至{_date(POSTING_END)}，共{POSTING_DAYS}天。{DEMO_MARK}"
            ),
            body=(
                "<p>根据《社会救助暂行办法》和《最低生活保障审核确认办法》，经本人申请、入户调查和审核，"
                "拟将以下家庭纳入最低生活保障范围，现予公示：</p>"
                f"<ol>{rows}</ol>"
                f"<p>公示期为{_date(POSTING_START)}至{_date(POSTING_END)}。对公示对象有异议的，"
                f"请在公示期内向{center}反映，电话：{objection_phone}。</p>"
                f"<p>{DEMO_MARK}本公示为演示内容，姓名均为虚构。</p>"
            ),
            posting_start=POSTING_START,
            posting_end=POSTING_END,
            objection_phone=objection_phone,
            related_item=items["最低生活保障"],
        )
    )


def ensure_notice_index(township, used_slugs):
    index = NoticeIndexPage.objects.child_of(township).first()
    if index is None:
        index = factories.NoticeIndexPageFactory.build(
            title=INDEX_TITLE,
            slug=INDEX_SLUG,
            introduction=f"{township.display_center_name}的通知公告、公示和巡回服务安排。{DEMO_MARK}",
        )
        index.slug = unique_slug(INDEX_SLUG, used_slugs)
        with ChildAppender(township) as appender:
            appender.add(mark_live(index))
    return index


def ensure_notices(township, villages, items, used_slugs):
    """The township's notice index and its demo notices; returns the notices created."""
    index = ensure_notice_index(township, used_slugs)
    taken = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
    created = []
    with ChildAppender(index) as appender:
        for spec in notice_specs(township, villages, items):
            if spec.page.slug in taken:
                continue
            appender.add(mark_live(spec.page))
            for order, stop in enumerate(spec.stops):
                stop.notice = spec.page
                stop.sort_order = order
            VanStop.objects.bulk_create(spec.stops)
            created.append(spec.page)
    return created
