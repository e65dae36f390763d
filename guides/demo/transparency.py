"""The demo's transparency history (政务公开): reviews, send-backs, unpublished changes, outdated
legal bases and postings taken down, so that the disclosure board (``guides.transparency.report``)
shows townships that differ. See docs/demo.md, "The transparency history".

``load_transparency`` is called by ``guides.demo.loader.load_demo`` inside its transaction, after
the guides are live and the application history is made (``forms.demo.load_history``: it writes
the online channel into the guides' live revisions first). Everything is relative to the load
date ``today``, like the application history:

- a township's demo guides are dated back to their go-live, about nine months before ``today``:
  the pages' publication dates, the live revisions, Wagtail's create/publish log, the disclosure
  snapshots and the catalog entries (renumbered in date order);
- the county's reviewer (``reviewer-511602``, group 公开审查员) reviewed every township's guides
  soon after the go-live and again, in most townships, in the last six months; ``LAGGING``
  townships were not reviewed again (their guides are 超期未审查);
- in ``LOCAL_RULE`` townships the two disability subsidy guides also cite a county rule (a demo
  document) that the county repealed about four months ago: they miss 法律政策依据; in
  ``FOREST_1998`` townships the tree-felling guide cites the 1998 text of the Forest Law
  (amended in 2019) instead of the current articles. The reviewer sent some back; some townships
  fixed and republished them (“退回后已重新发布”), some did not yet;
- a few other guides were sent back with a comment and wait;
- ``LATE_DRAFTS`` townships saved a change (a shorter promised time limit, a material dropped)
  more than 20 working days ago and never published it; ``RECENT_DRAFTS`` saved one lately;
- the 公示 posting of the demo date (``notices``) was taken down (unpublished by the center head)
  a few working days after its period in every township but those in ``POSTING_LEFT_UP``.

Idempotent: a township whose guides have any review gets nothing new (each township gets at
least one). Deterministic for a load date: which townships do what is fixed below by code; the
guides, days and moments come from one ``random.Random`` per township seeded with 511602, the
date's ordinal and the township code. Nobody is e-mailed: reviews are written as rows
(``guides.transparency.reviews.send_back`` would e-mail the township).
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from ..models import (
    DisclosureRecord,
    DisclosureSnapshot,
    GuideLegalBasis,
    GuideReview,
    LegalBasis,
    NoticePage,
    ServiceGuidePage,
)
from ..models.choices import BasisKind, BasisStatus, NoticeKind, TimeUnit
from ..models.reviews import ReviewDecision
from . import people
from .constants import COUNTY_CODE, DEMO_MARK
from .references import LEGAL_BASES, SUMMARY
from .tree import log_entry

__all__ = ["TransparencyReport", "load_transparency"]

SEED = 511602
GO_LIVE_MONTHS = 9  # the guides went live about nine months before the load date
REPEAL_MONTHS = 4  # the county rule was repealed about four months before it
RECENT_ROUND_DAYS = (172, 12)  # the last round of reviews: 172 to 12 days before the load date

# Townships not reviewed since the first round (all their guides are overdue for review).
LAGGING = {"511602113", "511602122", "511602216"}  # 大安镇, 大龙镇, 白马乡
# Their two disability subsidy guides cite the county rule repealed since; what came of it.
LOCAL_RULE = {
    "511602005": "fixed",  # 万盛街道: sent back, basis removed, republished (awaits review)
    "511602104": "sent_back",  # 悦来镇: sent back, not changed yet
    "511602108": "fixed_reviewed",  # 龙台镇: sent back, fixed, reviewed again
    "511602121": "sent_back",  # 穿石镇
    "511602113": "unseen",  # 大安镇 (lagging): nobody has looked since the repeal
    "511602207": "unseen",  # 龙安乡: last reviewed before the repeal
}
# Their tree-felling guide cites 森林法（1998年修正）第三十二条 instead of the current articles.
FOREST_1998 = {
    "511602106": "fixed",  # 井河镇
    "511602110": "sent_back",  # 恒升镇
    "511602122": "unseen",  # 大龙镇 (lagging)
    "511602208": "noted",  # 彭家乡: reviewed, asked to update it with the next change
}
LATE_DRAFTS = {"511602007": 2, "511602103": 1, "511602109": 1, "511602123": 2}
RECENT_DRAFTS = {"511602006": 1, "511602103": 1, "511602111": 1}
POSTING_LEFT_UP = {"511602102", "511602112", "511602122", "511602207", "511602216"}
GENERIC_SEND_BACK_SHARE = 0.3  # of the other townships, one guide sent back in the last round

SUBSIDY_ITEMS = ("困难残疾人生活补贴", "重度残疾人护理补贴")
FOREST_ITEM = "林木采伐许可证核发（县级权限）"
UNTOUCHED_ITEMS = {"最低生活保障"}  # no drafts: the demo tests read its single revision

LOCAL_RULE_FIELDS = {
    "title": "广安区困难残疾人生活补贴和重度残疾人护理补贴实施细则（演示）",
    "kind": BasisKind.NORMATIVE,
    "issuing_authority": "广安区民政局、广安区残疾人联合会",
    "document_number": "",
    "article": "",
    "clause_text": "细化本区困难残疾人生活补贴和重度残疾人护理补贴的申请受理、审核审批、补贴标准和按月发放程序。"
    + SUMMARY,
}
LOCAL_RULE_NOTE = "本区实施细则"

REVIEWER_USERNAME = f"reviewer-{COUNTY_CODE}"

LOCAL_RULE_COMMENT = "依据中引用的《{title}》已于{date}废止，本指南仍在引用。请删除该依据或更换为现行有效的文件后重新发布。"
FOREST_COMMENT = (
    "法律依据引用的是《中华人民共和国森林法（1998年修正）》第三十二条。森林法已于2019年修订、"
    "2020年7月1日起施行，采伐许可现规定在第五十六条、第五十七条，请更正后重新发布。"
)
FOREST_NOTED = (
    "依据为森林法1998年修正文本（已修订），不影响本事项办理；请在下次修改指南时一并更新为现行条款。"
)
RECHECKED = "已按审查意见更换依据，复查通过。"
REVIEWED_COMMENTS = ["", "", "", "", "", "", "要素齐全。", "已核对依据和收费标准。"]
GENERIC_COMMENTS = [
    "办理地点只写了中心名称，请写明受理窗口的窗口号和所在楼层，方便群众找到。",
    "常见问题的答复与受理条件对户籍的要求表述不一致，请核实后统一。",
    "申请表只列了名称，请上传空白表格和填写示例，方便群众提前下载填写。",
    "办理结果样本为通用样本，请更换为本事项实际出具的结果样本（隐去个人信息）。",
    "办理流程的初审环节只写了“审核”，请写明审核的内容和需要群众配合的事项。",
    "材料“{material}”的要求写得不够具体（原件还是复印件、需要哪些页），群众反映多次补交，请写清楚。",
]


@dataclass
class TransparencyReport:
    townships: int = 0  # townships that got a transparency history in this run
    reviews: int = 0
    sent_back: int = 0
    republished: int = 0
    drafts: int = 0
    postings_taken_down: int = 0


# --- people and the shared records ----------------------------------------------------------------


def ensure_reviewer():
    """The county's demo transparency reviewer, in the group '公开审查员' (unusable password)."""
    from ..permissions import ensure_county_groups

    _admins, reviewers = ensure_county_groups()
    user_model = get_user_model()
    user = user_model.objects.filter(username=REVIEWER_USERNAME).first()
    if user is None:
        user = user_model.objects.create(
            username=REVIEWER_USERNAME,
            first_name=people.person_name("reviewer", COUNTY_CODE),
            password=make_password(None),
        )
    user.groups.add(reviewers)  # idempotent: an existing membership is kept
    return user


def _head(code):
    from forms.demo.staff import head_username

    return get_user_model().objects.filter(username=head_username(code)).first()


def _basis(fields):
    return LegalBasis.objects.filter(title=fields["title"], article=fields["article"]).first()


def ensure_local_rule():
    """The county rule the subsidy guides cite in ``LOCAL_RULE`` townships; (row, created).

    Created in force (as it was when the guides went live); ``_repeal`` marks it repealed once
    they cite it."""
    row = _basis(LOCAL_RULE_FIELDS)
    if row is not None:
        return row, False
    return LegalBasis.objects.create(status=BasisStatus.IN_FORCE, **LOCAL_RULE_FIELDS), True


def _repeal(row, repealed_on):
    note = (
        f"{DEMO_MARK}区民政局、区残联已印发新的实施细则，本细则自{_cn_date(repealed_on)}起废止；"
        "引用本细则的办事指南应删除或更换依据。"
    )
    LegalBasis.objects.filter(pk=row.pk, status=BasisStatus.IN_FORCE).update(
        status=BasisStatus.REPEALED, status_note=note
    )


def _cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


# --- moments ----------------------------------------------------------------------------------------


class Clock:
    """Working days and office-hour moments before the load date (``forms.demo.timeline``)."""

    def __init__(self, today):
        from forms.demo import timeline

        self.t = timeline
        self.today = today
        self.days = timeline.WorkingDays()

    def months_before(self, months):
        return self.t.months_before(self.today, months)

    def day_in(self, rng, first, last):
        """A working day from ``first`` to ``last`` (calendar days), before today."""
        last = min(last, self.today - datetime.timedelta(days=1))
        span = self.days.span(first, last) or [self.days.next(first)]
        return rng.choice(span)

    def moment(self, rng, day, after=None):
        return self.t.on_day(rng, self.days, self.days.next(day), after=after)

    def sitting(self, rng, day, count):
        """``count`` increasing moments in office hours from working day ``day`` on: the
        reviewer working through a list, a few minutes a guide."""
        (morning_start, morning_end), (afternoon_start, afternoon_end) = self.t.OFFICE
        day = self.days.next(day)
        minute = morning_start + rng.randint(0, 45)
        moments = []
        for _ in range(count):
            minute += rng.randint(3, 14)
            if morning_end <= minute < afternoon_start:
                minute = afternoon_start + rng.randint(0, 20)
            if minute >= afternoon_end:
                day = self.days.add(day, 1)
                minute = morning_start + rng.randint(0, 30)
            moments.append(self.t.at(day, minute))
        return moments

    def before_today(self, moment):
        return moment is not None and self.t.local_date(moment) < self.today


# --- guides: rows, revisions, log -------------------------------------------------------------------


def _name(guide):
    return guide.item.name if guide.item_id else guide.title


def _content_types():
    return (
        ContentType.objects.get_for_model(ServiceGuidePage),
        ContentType.objects.get_for_model(Page),
    )


def _log(page, action, when, revision=None, user=None):
    changed = action in ("wagtail.edit", "wagtail.publish")
    log_entry(page, action, when, revision, user, content_changed=changed).save()


def _bases_content(guide_pk):
    rows = GuideLegalBasis.objects.filter(guide_id=guide_pk).order_by("sort_order", "pk")
    return [get_serializable_data_for_fields(row) for row in rows]


def _cite_local_rule(guide, rule):
    """The guide went live citing the county rule as well (its page rows and live revision)."""
    order = max((link.sort_order or 0 for link in guide.legal_bases.all()), default=0) + 1
    GuideLegalBasis.objects.create(
        guide=guide, legal_basis=rule, note=LOCAL_RULE_NOTE, sort_order=order
    )


def _cite_forest_1998(guide, current, old):
    """The guide went live citing the 1998 text instead of the current articles."""
    GuideLegalBasis.objects.filter(guide=guide, legal_basis=current).update(legal_basis=old)


def _set_revision_bases(revision_id, guide_pk):
    revision = Revision.objects.get(pk=revision_id)
    content = dict(revision.content)
    content["legal_bases"] = _bases_content(guide_pk)
    Revision.objects.filter(pk=revision_id).update(content=content)


def _backdate(township, guides, went_live, changed):
    """Date the township's guides back to their go-live ``went_live``."""
    from ..transparency.catalog import ensure_records
    from ..transparency.history import record_snapshot

    pks = [g.pk for g in guides]
    revisions = [g.live_revision_id for g in guides]
    Page.objects.filter(pk__in=pks).update(
        first_published_at=went_live,
        last_published_at=went_live,
        latest_revision_created_at=went_live,
    )
    Revision.objects.filter(pk__in=revisions).update(created_at=went_live)
    PageLogEntry.objects.filter(
        page_id__in=pks, action__in=["wagtail.create", "wagtail.publish"]
    ).update(timestamp=went_live)
    DisclosureSnapshot.objects.filter(guide_id__in=pks, revision_id__in=revisions).update(
        published_at=went_live
    )
    for guide in guides:
        guide.first_published_at = guide.last_published_at = went_live
        guide.latest_revision_created_at = went_live
    for guide in ServiceGuidePage.objects.filter(pk__in=[g.pk for g in changed]).prefetch_related(
        "fees__fee_standard", "materials", "legal_bases__legal_basis"
    ):
        record_snapshot(guide, Revision.objects.get(pk=guide.live_revision_id), went_live)
    # The catalog numbers by first publication date: number the guides again, in date order.
    DisclosureRecord.objects.filter(page_id__in=pks).delete()
    ensure_records(township)


def _republish(guide, township, moment, user):
    """The township published the guide again at ``moment`` (its rows already changed)."""
    page_type, base_type = _content_types()
    fresh = ServiceGuidePage.objects.get(pk=guide.pk)
    fresh.__dict__["township"] = township
    fresh.last_published_at = fresh.latest_revision_created_at = moment
    fresh.has_unpublished_changes = False
    revision = Revision.objects.create(
        content_type=page_type,
        base_content_type=base_type,
        object_id=str(fresh.pk),
        created_at=moment,
        user=user,
        content=fresh.serializable_data(),
        object_str=str(fresh),
    )
    fresh.live_revision = fresh.latest_revision = revision
    Page.objects.filter(pk=fresh.pk).update(
        live_revision=revision,
        latest_revision=revision,
        last_published_at=moment,
        latest_revision_created_at=moment,
        has_unpublished_changes=False,
        draft_title=fresh.title,
    )
    _log(fresh, "wagtail.edit", moment - datetime.timedelta(minutes=6), revision, user)
    _log(fresh, "wagtail.publish", moment, revision, user)
    page_published.send(sender=ServiceGuidePage, instance=fresh, revision=revision)
    return revision


def _draft_content(content, kind):
    """The live content with one change a township might save: a shorter promised time limit
    (压缩承诺时限) or one material fewer (精简材料)."""
    content = dict(content)
    if kind == "promised":
        value = content["promised_limit_value"]
        content["promised_limit_value"] = value - max(1, value // 4)
        return content
    materials = list(content.get("materials") or [])
    optional = [m for m in materials if m.get("necessity") != "required"] or materials[-1:]
    dropped = optional[-1]
    content["materials"] = [m for m in materials if m is not dropped]
    return content


def _draft_kind(guide):
    if (
        guide.promised_limit_unit == TimeUnit.WORKING_DAYS
        and (guide.promised_limit_value or 0) >= 5
    ):
        return "promised"
    return "material" if guide.materials.count() >= 3 else None


def _save_drafts(guide, moments, user):
    """Drafts of ``guide`` saved at ``moments`` and never published (the first starts the
    clock of ``report.late``; saving again does not restart it)."""
    page_type, base_type = _content_types()
    kind = _draft_kind(guide)
    live = Revision.objects.get(pk=guide.live_revision_id)
    content = _draft_content(live.content, kind)
    latest = None
    for moment in moments:
        latest = Revision.objects.create(
            content_type=page_type,
            base_content_type=base_type,
            object_id=str(guide.pk),
            created_at=moment,
            user=user,
            content=content,
            object_str=str(guide),
        )
        _log(guide, "wagtail.edit", moment, latest, user)
    Page.objects.filter(pk=guide.pk).update(
        has_unpublished_changes=True,
        latest_revision=latest,
        latest_revision_created_at=latest.created_at,
        draft_title=guide.title,
    )
    return len(moments)


# --- one township -------------------------------------------------------------------------------


def rng_for(code, today):
    return random.Random(f"{SEED}:transparency:{today.toordinal()}:{code}")


class TownshipTransparency:
    """Plan and record one township's transparency history."""

    def __init__(self, township, guides, clock, shared, report):
        self.township = township
        self.code = township.code
        self.guides = guides
        self.clock = clock
        self.shared = shared
        self.report = report
        self.rng = rng_for(self.code, clock.today)
        self.head = _head(self.code)
        self.reviews = []
        self.by_item = {_name(g): g for g in guides}

    def review(self, guide, moment, decision=ReviewDecision.REVIEWED, comment=""):
        if not self.clock.before_today(moment):
            return False  # not done yet on the load date
        self.reviews.append(
            GuideReview(
                guide=guide,
                revision_id=guide.live_revision_id,
                reviewer=self.shared["reviewer"],
                decision=decision,
                comment=comment,
                created_at=moment,
            )
        )
        return True

    def run(self):
        rng, clock = self.rng, self.clock
        went_live_day = clock.days.next(
            clock.months_before(GO_LIVE_MONTHS) + datetime.timedelta(days=rng.randint(0, 6))
        )
        went_live = clock.moment(rng, went_live_day)
        changed = self._cite_outdated_bases()
        _backdate(self.township, self.guides, went_live, changed)
        self._first_round(went_live_day)
        if self.code not in LAGGING:
            self._last_round()
        self._drafts()
        GuideReview.objects.bulk_create(self.reviews)
        self.report.reviews += len(self.reviews)
        self.report.sent_back += sum(r.decision == ReviewDecision.SENT_BACK for r in self.reviews)
        self._take_down_posting()

    # The outdated bases the guides went live with
    def _cite_outdated_bases(self):
        changed = []
        if self.code in LOCAL_RULE:
            for name in SUBSIDY_ITEMS:
                guide = self.by_item.get(name)
                if guide is not None:
                    _cite_local_rule(guide, self.shared["local_rule"])
                    changed.append(guide)
        if self.code in FOREST_1998:
            guide = self.by_item.get(FOREST_ITEM)
            if guide is not None:
                _cite_forest_1998(guide, self.shared["forest"], self.shared["forest_1998"])
                changed.append(guide)
        for guide in changed:
            _set_revision_bases(guide.live_revision_id, guide.pk)
        return changed

    # Reviews
    def _first_round(self, went_live_day):
        """Soon after the go-live: every guide (a lagging township: half to three quarters)."""
        rng, clock = self.rng, self.clock
        guides = list(self.guides)
        if self.code in LAGGING:
            guides = rng.sample(guides, max(1, round(len(guides) * rng.uniform(0.5, 0.75))))
            guides.sort(key=lambda g: g.path)
        day = clock.days.add(went_live_day, rng.randint(8, 25))
        for guide, moment in zip(guides, clock.sitting(rng, day, len(guides)), strict=True):
            self.review(guide, moment, comment=rng.choice(REVIEWED_COMMENTS))

    def _round_window(self):
        clock, today = self.clock, self.clock.today
        first = today - datetime.timedelta(days=RECENT_ROUND_DAYS[0])
        last = today - datetime.timedelta(days=RECENT_ROUND_DAYS[1])
        repealed = self.shared["repealed_on"]
        fixing = {LOCAL_RULE.get(self.code), FOREST_1998.get(self.code)} & {
            "fixed",
            "fixed_reviewed",
            "sent_back",
        }
        if fixing:  # after the repeal, early enough for a fix to be published since
            first = max(first, repealed + datetime.timedelta(days=3))
            last = min(last, today - datetime.timedelta(days=30))
        elif LOCAL_RULE.get(self.code) == "unseen":  # before the repeal
            last = min(last, repealed - datetime.timedelta(days=5))
        return clock.day_in(self.rng, first, last)

    def _last_round(self):
        """In the last six months: most guides; the outdated bases sent back (or noted)."""
        rng, clock = self.rng, self.clock
        day = self._round_window()
        local = {self.by_item.get(n) for n in SUBSIDY_ITEMS} - {None}
        forest = self.by_item.get(FOREST_ITEM)
        local_story = LOCAL_RULE.get(self.code)
        forest_story = FOREST_1998.get(self.code)
        must = set()
        if local_story in ("fixed", "fixed_reviewed", "sent_back"):
            must |= local
        if forest_story in ("fixed", "sent_back", "noted") and forest is not None:
            must.add(forest)
        others = [g for g in self.guides if g not in must]
        skipped = set(rng.sample(others, round(len(others) * rng.uniform(0.0, 0.15))))
        covered = [g for g in self.guides if g not in skipped]
        generic = None
        plain = [g for g in covered if g not in must]
        if not must and plain and rng.random() < GENERIC_SEND_BACK_SHARE:
            generic = rng.choice(plain)
        sent = {}
        for guide, moment in zip(covered, clock.sitting(rng, day, len(covered)), strict=True):
            if guide in local and guide in must:
                comment = LOCAL_RULE_COMMENT.format(
                    title=self.shared["local_rule"].title,
                    date=_cn_date(self.shared["repealed_on"]),
                )
                if self.review(guide, moment, ReviewDecision.SENT_BACK, comment):
                    sent[guide] = moment
            elif guide is forest and forest_story == "noted":
                self.review(guide, moment, comment=FOREST_NOTED)
            elif guide is forest and guide in must:
                if self.review(guide, moment, ReviewDecision.SENT_BACK, FOREST_COMMENT):
                    sent[guide] = moment
            elif guide is generic:
                materials = [m.name for m in guide.materials.all()] or ["申请表"]
                comment = rng.choice(GENERIC_COMMENTS).format(material=rng.choice(materials))
                self.review(guide, moment, ReviewDecision.SENT_BACK, comment)
            else:
                self.review(guide, moment, comment=rng.choice(REVIEWED_COMMENTS))
        self._fixes(sent, local_story, forest_story, forest)

    def _fixes(self, sent, local_story, forest_story, forest):
        """Townships that fixed what was sent back: the basis removed or corrected, published
        again a few working days later; one was reviewed again since."""
        rng, clock = self.rng, self.clock
        for guide, sent_at in sent.items():
            story = forest_story if guide is forest else local_story
            if story not in ("fixed", "fixed_reviewed"):
                continue
            day = clock.days.add(clock.t.local_date(sent_at), rng.randint(3, 10))
            moment = clock.moment(rng, day)
            if not clock.before_today(moment):
                continue
            if guide is forest:
                GuideLegalBasis.objects.filter(
                    guide=guide, legal_basis=self.shared["forest_1998"]
                ).update(legal_basis=self.shared["forest"])
            else:
                GuideLegalBasis.objects.filter(
                    guide=guide, legal_basis=self.shared["local_rule"]
                ).delete()
            revision = _republish(guide, self.township, moment, self.head)
            guide.live_revision_id = revision.pk
            guide.last_published_at = moment
            self.report.republished += 1
            if story == "fixed_reviewed":
                again = clock.moment(rng, clock.days.add(day, rng.randint(2, 6)))
                self.review(guide, again, comment=RECHECKED)

    # Unpublished changes
    def _drafts(self):
        rng, clock, today = self.rng, self.clock, self.clock.today
        busy = {r.guide_id for r in self.reviews if r.decision == ReviewDecision.SENT_BACK}
        candidates = [
            g
            for g in self.guides
            if g.pk not in busy
            and _name(g) not in {*UNTOUCHED_ITEMS, *SUBSIDY_ITEMS, FOREST_ITEM}
            and _draft_kind(g)
        ]
        plans = [(25, 60)] * LATE_DRAFTS.get(self.code, 0)
        plans += [(2, 12)] * RECENT_DRAFTS.get(self.code, 0)
        chosen = rng.sample(candidates, min(len(plans), len(candidates)))
        for guide, (fewest, most) in zip(chosen, plans, strict=False):
            first_day = clock.days.back(today, rng.randint(fewest, most))
            moments = [clock.moment(rng, first_day)]
            if fewest > 20 and rng.random() < 0.5:  # saved again later: the clock runs on
                moments.append(clock.moment(rng, clock.days.add(first_day, rng.randint(1, 8))))
            moments = [m for m in moments if clock.before_today(m)]
            if moments:
                self.report.drafts += _save_drafts(guide, moments, self.head)

    # The posting of the demo date
    def _take_down_posting(self):
        if self.code in POSTING_LEFT_UP:
            return
        rng, clock = self.rng, self.clock
        postings = NoticePage.objects.descendant_of(self.township).live()
        for notice in postings.filter(kind=NoticeKind.POSTING, posting_end__lt=clock.today):
            moment = clock.moment(rng, clock.days.add(notice.posting_end, rng.randint(1, 3)))
            if not clock.before_today(moment):
                continue
            UnpublishPageAction(notice, user=self.head).execute(skip_permission_checks=True)
            PageLogEntry.objects.filter(page_id=notice.pk, action="wagtail.unpublish").update(
                timestamp=moment
            )
            self.report.postings_taken_down += 1


# --- the county -------------------------------------------------------------------------------


def _township_guides(township):
    guides = list(
        ServiceGuidePage.objects.child_of(township)
        .live()
        .filter(is_demo=True, has_unpublished_changes=False)
        .select_related("item")
        .prefetch_related("legal_bases", "materials")
        .order_by("path")
    )
    for guide in guides:
        guide.__dict__["township"] = township
    return [g for g in guides if g.live_revision_id and g.live_revision_id == g.latest_revision_id]


@transaction.atomic
def load_transparency(townships, *, today=None):
    """The transparency history of ``townships`` (code → TownshipPage) that have none yet."""
    today = today or timezone.localdate()
    clock = Clock(today)
    report = TransparencyReport()
    pending = []
    for code in sorted(townships):
        township = townships[code]
        if GuideReview.objects.filter(
            guide__in=ServiceGuidePage.objects.child_of(township)
        ).exists():
            continue
        guides = _township_guides(township)
        if guides:
            pending.append((township, guides))
    if not pending:
        return report
    local_rule, created = ensure_local_rule()
    shared = {
        "reviewer": ensure_reviewer(),
        "local_rule": local_rule,
        "forest": _basis(LEGAL_BASES["forest_felling"]),
        "forest_1998": _basis(LEGAL_BASES["forest_felling_1998"]),
        "repealed_on": clock.days.next(clock.months_before(REPEAL_MONTHS)),
    }
    for township, guides in pending:
        TownshipTransparency(township, guides, clock, shared, report).run()
        report.townships += 1
    if created or local_rule.status == BasisStatus.IN_FORCE:
        _repeal(local_rule, shared["repealed_on"])
    return report
