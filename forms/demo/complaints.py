"""The demo's complaints and suggestions (投诉建议): 0–8 per township over the six months before
the load date, as the public form records them (``forms.supervision.complaints``) and the
township's head or clerks answer them.

Most are answered within the deadline (``APPLICATIONS_COMPLAINT_DAYS`` working days after the
day received, counted with ``forms.clock``'s calendar), some late; a few are still waiting,
some of those past the deadline (超期未答复 on the supervision board); about a third of the
answers are published (``/complaints/replies/``). Every 街道 gets one answered on time, one
answered late and one overdue; every 镇 one answered on time; the rest is drawn at random.

Deterministic for a load date: one ``random.Random`` per township, seeded with 511602, the
date's ordinal and the township code. Follow-up codes are random, as in real use. Idempotent:
a township that has any complaint gets none (``Complaint`` has no demo mark; the answers end
with “（演示）”). Nobody is notified: the rows are written in bulk, no signal is sent.
"""

import datetime
import random

from guides.demo import people
from guides.demo.constants import DEMO_MARK
from guides.validators import township_kind_for_code

from ..models import Application, Complaint, ComplaintKind, ComplaintStatus
from ..models.complaints import new_follow_up_code
from .timeline import WAKING, local_date, months_before, on_day, random_moment

__all__ = ["ensure_complaints"]

SEED = 511602
MONTHS = 6

# How many per kind of township (街道, 镇, 乡): (fewest, most).
COUNTS = {"subdistrict": (4, 8), "town": (1, 6), "township": (0, 3)}
GUARANTEED = {"subdistrict": ["on_time", "late", "overdue"], "town": ["on_time"], "township": []}
FILL_WEIGHTS = {"on_time": 72, "late": 13, "overdue": 4, "waiting": 6}
SUGGESTION_SHARE = 0.4
ANONYMOUS_SHARE = 0.3
CLOSED_SHARE = 0.55  # answered and closed (已办结) rather than only answered (已答复)
PUBLISHED_SHARE = {ComplaintKind.COMPLAINT: 0.25, ComplaintKind.SUGGESTION: 0.6}
HEAD_ANSWERS_SHARE = 0.7  # else a window clerk answers

# Items people write about.
ITEMS = [
    "养老保险定期待遇领取资格认证",
    "城乡居民参保登记",
    "最低生活保障",
    "80周岁以上老年人高龄津贴发放",
    "居民身份证办理（包括临时）",
    "残疾人证新办",
    "临时救助",
    "城乡居民基本养老保险待遇申领",
]


def T(subject, content, reply, *, publishable=True, about_application=False):
    return {
        "subject": subject,
        "content": content,
        "reply": reply,
        "publishable": publishable,
        "about_application": about_application,
    }


COMPLAINTS = [
    T(
        "办件超过承诺时限仍未办结",
        "我在{submitted}到{center}申请办理“{item}”，窗口说{limit}内办好，现在已经超过期限，"
        "打电话问也只说还在审核，请尽快给个答复。",
        "经核查，您申请的“{item}”在上报区级部门审核的环节超出了承诺时限，窗口也没有主动告知进度，"
        "是我们的工作不到位。中心已督促加快办理，并已电话告知您目前的进度。今后临近期限的办件将提前提醒，"
        "确需延长的主动说明原因和预计办结时间。感谢您的监督。",
        about_application=True,
    ),
    T(
        "排队等候时间太长",
        "上午九点多到{center}办社保认证，前面只有七八个人，但只开了一个窗口，等了一个多小时。"
        "希望人多的时候多开窗口。",
        "感谢反映。当天上午一名窗口工作人员下村开展巡回服务，窗口人手不足。中心已调整安排："
        "办事高峰时段（每周一上午、每月月初）保证至少两个窗口受理，并安排引导员分流咨询。",
    ),
    T(
        "材料清单没写清楚，跑了两趟",
        "办理“{item}”，网上办事指南没写要带户口簿原件，到了窗口才说要原件，只好回家去拿，来回跑了两趟。",
        "经核查，该事项办事指南中户口簿一栏写的是“复印件”，与窗口实际要求不一致，是我们的疏忽。"
        "办事指南已更正，窗口人员已统一口径；今后材料问题一次性告知，能容缺的先受理后补齐。",
    ),
    T(
        "窗口工作人员态度生硬",
        "到{center}询问“{item}”需要什么条件，窗口工作人员边看手机边回答，问第二遍就不耐烦了。",
        "中心已调阅当天的监控并与当事工作人员谈话，情况属实，已对其批评教育并在中心内部通报，"
        "扣减当月考核分。中心负责人已电话向您致歉。感谢您的监督。",
        publishable=False,
    ),
    T(
        "中午窗口无人值守",
        "中午十二点二十分到中心，窗口一个人都没有，门口也没看到午休时间，一直等到下午一点半才有人。",
        "中心的办公时间为上午9:00–12:00、下午13:30–17:30，门口的公示牌被宣传展板挡住了，已重新张贴。"
        "为方便群众，中心已安排工作日中午综合窗口轮流值守，可办理即办件和咨询。",
    ),
    T(
        "咨询电话一直打不通",
        "连续两天打{center}的咨询电话{phone}，一直没人接。",
        "经查，咨询电话线路故障，已于次日修复，故障期间的未接来电已逐一回拨。今后线路故障时将在本网站公告备用号码。",
    ),
    T(
        "网上提交的申请几天没人处理",
        "在网上提交了“{item}”的申请，三天了状态还是“待受理”，也没有人联系我。",
        "经核查，您提交的材料照片不清晰，工作人员未及时通知您补正，处理不及时。已于当天受理并电话告知需要补充的材料。"
        "今后网上申请将在一个工作日内受理或告知需补正的内容。",
    ),
    T(
        "要求提供清单以外的证明",
        "办理“{item}”时，窗口要求先回村里开一个证明，办事指南上并没有这一项。",
        "经核查，该证明不属于办事指南所列材料，窗口的要求不当，已向您致歉并当场受理。中心已重申：不得要求群众提供清单以外的材料，"
        "确需核实的由工作人员内部核查。",
    ),
]

SUGGESTIONS = [
    T(
        "建议开设延时和周末服务",
        "上班族工作日白天很难请假，建议每周有一两天晚上或者周末上午能办事。",
        "感谢您的建议。中心自下月起试行延时服务：每周三延时至19:00，每周六上午9:00–12:00开放综合窗口，"
        "可办理社保、医保、居民身份证等常办事项，其他事项可以电话预约。",
    ),
    T(
        "建议为老年人设置优先窗口",
        "来办高龄津贴、资格认证的老人多，排队站不住，建议设老年人优先窗口，多放几把椅子。",
        "感谢建议。中心已在综合窗口设置老年人、残疾人优先受理，等候区增加了座椅和老花镜，并安排志愿者协助填表。"
        "行动不便的，可以请村（社区）代办员代办或预约上门服务。",
    ),
    T(
        "建议短信告知办理进度",
        "办完不知道进度，希望像寄快递一样有短信提醒。",
        "感谢建议。网上申请和窗口受理的办件都可以在本网站用受理编号查询进度；中心正在配合区里开通办结短信提醒，"
        "开通后将另行公告。",
    ),
    T(
        "建议便民服务车多到村里来",
        "我们村离场镇远，老人办认证很不方便，希望便民服务车每个月来一次。",
        "感谢建议。中心已将贵村纳入巡回服务路线，每月到村服务一次，具体时间在本中心“通知公告”中公布。",
    ),
    T(
        "建议在村便民服务站放纸质办事指南",
        "村里很多老人不会用手机查办事指南，建议在村便民服务站放常办事项的纸质指南。",
        "感谢建议。中心已将常办的20个事项的办事指南印成大字版，发放到各村（社区）便民服务站，由代办员帮助查阅。",
    ),
    T(
        "建议增加停车位",
        "中心门口停车位太少，赶场天车都没地方停。",
        "感谢建议。中心已与场镇管理部门协调，在中心东侧空地划出临时停车位，赶场天安排人员引导停车。",
    ),
]


def rng_for(township_code, today):
    return random.Random(f"{SEED}:complaints:{today.toordinal()}:{township_code}")


def _cn_date(day):
    return f"{day.month}月{day.day}日"


class TownshipComplaints:
    """Plan one township's complaints: a list of unsaved ``Complaint`` rows."""

    def __init__(self, township, staff, today, days, complaint_days):
        self.township = township
        self.staff = staff
        self.today = today
        self.days = days
        self.complaint_days = complaint_days
        self.rng = rng_for(township.code, today)
        self.start = months_before(today, MONTHS)
        self.decks = {}
        self._late = None

    def plan(self):
        rng = self.rng
        kind = township_kind_for_code(self.township.code) or "town"
        fewest, most = COUNTS.get(kind, COUNTS["town"])
        count = rng.randint(fewest, most)
        outcomes = list(GUARANTEED.get(kind, []))[:count]
        options = list(FILL_WEIGHTS)
        while len(outcomes) < count:
            outcomes.append(rng.choices(options, [FILL_WEIGHTS[o] for o in options])[0])
        rows = [self._complaint(number, outcome) for number, outcome in enumerate(outcomes)]
        return [row for row in rows if row is not None]

    # What is written
    def _template(self, kind, application_ok):
        """The next text of ``kind`` (each once before any repeats); the one about a late
        application when ``application_ok``, never that one otherwise."""
        for _attempt in range(2):
            deck = self.decks.get(kind)
            if not deck:
                deck = list(COMPLAINTS if kind == ComplaintKind.COMPLAINT else SUGGESTIONS)
                self.rng.shuffle(deck)
                self.decks[kind] = deck
            usable = [i for i, t in enumerate(deck) if application_ok or not t["about_application"]]
            usable.sort(key=lambda i: not deck[i]["about_application"])
            if usable:
                return deck.pop(usable[0])
            self.decks[kind] = []
        raise AssertionError("no text to use")  # pragma: no cover

    def _late_application(self):
        """An application of the township that was still not done days after its deadline."""
        if self._late is None:
            one_day = datetime.timedelta(days=1)
            self._late = [
                app
                for app in Application.objects.filter(
                    township=self.township, is_demo=True, deadline__gte=self.start
                ).order_by("pk")
                if app.deadline + one_day
                < (local_date(app.closed_at) if app.closed_at else self.today) - one_day
            ]
        return self.rng.choice(self._late) if self._late else None

    # When
    def _any_moment(self, first, last):
        """A moment any day from ``first`` to ``last`` (people write on weekends too)."""
        first, last = max(first, self.start), min(last, self.today - datetime.timedelta(days=1))
        if last < first:
            return None
        day = first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))
        return random_moment(self.rng, day, WAKING)

    def _complaint(self, number, outcome):
        rng, days = self.rng, self.days
        kind = (
            ComplaintKind.SUGGESTION if rng.random() < SUGGESTION_SHARE else ComplaintKind.COMPLAINT
        )
        application = None
        if kind == ComplaintKind.COMPLAINT and outcome in ("on_time", "late"):
            application = self._late_application() if rng.random() < 0.35 else None
        template = self._template(kind, application is not None)
        if not template["about_application"]:
            application = None

        if outcome == "overdue":  # received so that the deadline passed 1–12 working days ago
            deadline = days.back(self.today, rng.randint(1, 12))
            received = random_moment(rng, days.back(deadline, self.complaint_days), WAKING)
        elif outcome == "waiting":  # received in the last working days: not due yet
            received = random_moment(
                rng, days.back(self.today, rng.randint(1, max(1, self.complaint_days - 1))), WAKING
            )
        elif application is not None:
            end = local_date(application.closed_at) if application.closed_at else self.today
            received = self._any_moment(
                application.deadline + datetime.timedelta(days=1), end - datetime.timedelta(days=1)
            )
        else:
            received = self._any_moment(self.start, self.today - datetime.timedelta(days=2))
        if received is None:
            return None
        received_on = local_date(received)
        deadline = days.add(received_on, self.complaint_days)

        replied_at = None
        if outcome == "on_time":
            first = days.add(received_on, 1)
            reply_day = days.add(received_on, rng.randint(1, self.complaint_days))
            replied_at = on_day(rng, days, max(first, reply_day), after=received)
        elif outcome == "late":
            replied_at = on_day(rng, days, days.add(deadline, rng.randint(1, 6)), after=received)
        if replied_at is not None and local_date(replied_at) >= self.today:
            replied_at = None  # not answered yet on the load date

        values = self._text(template, application, number)
        complaint = Complaint(
            township=self.township,
            kind=kind,
            follow_up_code="",
            deadline=deadline,
            created_at=received,
            **values,
        )
        if replied_at is not None:
            self._answer(complaint, template, replied_at)
        return complaint

    def _text(self, template, application, number):
        rng, township = self.rng, self.township
        item = application.item_name if application else rng.choice(ITEMS)
        fields = {
            "center": township.display_center_name,
            "item": item,
            "phone": township.consultation_phone,
            "submitted": _cn_date(local_date(application.submitted_at)) if application else "",
            "limit": f"{application.promised_working_days}个工作日"
            if application and application.promised_working_days
            else "规定时间",
        }
        if application is not None:
            name, phone = application.applicant_name, application.mobile
            tracking = application.tracking_number
        elif rng.random() < ANONYMOUS_SHARE:
            name = phone = tracking = ""
        else:
            name = people.person_name("complainant", township.code, number)
            phone = people.mobile("complainant", township.code, number)
            tracking = ""
        return {
            "subject": template["subject"],
            "content": template["content"].format(**fields),
            "reply": template["reply"].format(**fields) + DEMO_MARK,  # kept until answered
            "name": name,
            "phone": phone,
            "tracking_number": tracking,
        }

    def _answer(self, complaint, template, replied_at):
        rng = self.rng
        complaint.replied_at = replied_at
        complaint.replied_by = (
            self.staff.head
            if rng.random() < HEAD_ANSWERS_SHARE or not self.staff.clerks
            else rng.choice(self.staff.clerks)
        )
        complaint.status = (
            ComplaintStatus.CLOSED if rng.random() < CLOSED_SHARE else ComplaintStatus.REPLIED
        )
        complaint.reply_published = (
            template["publishable"] and rng.random() < PUBLISHED_SHARE[complaint.kind]
        )


def ensure_complaints(township, staff, today, days):
    """The township's demo complaints, unless it has any; returns how many were created."""
    from ..supervision.complaints import complaint_days

    if Complaint.objects.filter(township=township).exists():
        return 0
    rows = TownshipComplaints(township, staff, today, days, complaint_days()).plan()
    taken = set()
    for row in rows:
        if not row.replied_at:
            row.reply = ""
        code = new_follow_up_code()
        while code in taken:  # pragma: no cover - drawn twice
            code = new_follow_up_code()
        taken.add(code)
        row.follow_up_code = code
    Complaint.objects.bulk_create(rows)
    return len(rows)
