"""What the demo guides need for online application: the online channel and situation questions.

The guide content (``guides/demo/content``) is written for the guide pages; online application
is this package's concern, so it is added here, once per township, when its history is created:

- every demo guide except those in ``WINDOW_ONLY`` offers “网上办理”; a guide that had no online
  depth gets 二级（网上预审）: the application is made online and checked in advance, the
  originals are seen at the window (its ``max_visits`` and reason stay as they are);
- a handful of guides get situation questions (``GuideQuestion``, ``QUESTIONS`` below).

The pages' rows and their published (and latest) revisions are changed alike, so the admin
shows what is live and a later publish keeps it, and every changed guide is checked again by the
publish gate. The search documents of the guides whose channel changed (they say “可网办”) are
rewritten in one batch at the end (``refresh_search``): ``page_published`` per guide would
reindex each on its own, about 0.1 s apiece.
"""

import logging

from django.db import transaction
from modelcluster.models import get_serializable_data_for_fields
from wagtail.models import Revision

from guides.demo.constants import ONLINE_URL
from guides.demo.guide_pages import DemoContentError
from guides.models import ServiceGuidePage
from guides.models.choices import OnlineDepth
from guides.publishing import publish_blockers

from ..models import GuideQuestion, QuestionKind

logger = logging.getLogger(__name__)

# Items applied for at the window only: the soldier reports in person with the discharge papers
# (green channel, on the spot); a contribution back-payment is reviewed and paid at the window.
WINDOW_ONLY = {"退役报到", "城乡居民基本养老保险费补缴申报"}
NEW_ONLINE_DEPTH = OnlineDepth.LEVEL_2

TEXT, NUMBER, DATE, CHOICE, YES_NO = (
    QuestionKind.TEXT,
    QuestionKind.NUMBER,
    QuestionKind.DATE,
    QuestionKind.CHOICE,
    QuestionKind.YES_NO,
)


def q(key, label, kind, *, choices=(), help_text="", required=True, condition=None, sample=None):
    """One question; ``sample`` says how the demo history answers it (not stored):
    (low, high) for numbers, {choice: weight} for choices, the share of “是” for yes/no,
    a list of texts, or (days before submission low, high) for dates."""
    return {
        "key": key,
        "label": label,
        "kind": kind,
        "choices": "\n".join(choices),
        "help_text": help_text,
        "required": required,
        "condition_key": condition[0] if condition else "",
        "condition_value": condition[1] if condition else "",
        "sample": sample,
    }


QUESTIONS = {
    "最低生活保障": [
        q(
            "household-size",
            "共同生活的家庭成员有几人（含申请人）？",
            NUMBER,
            help_text="包括配偶、未成年子女和共同生活的父母，按户口簿和实际居住情况填写",
            sample=(1, 6),
        ),
        q(
            "monthly-income",
            "家庭每月收入合计大约多少元？",
            NUMBER,
            help_text="工资、务工、种养殖、经营等收入合计，不含各类政府补贴",
            sample=(300, 2600),
        ),
        q(
            "main-difficulty",
            "家庭生活困难的主要原因是什么？",
            CHOICE,
            choices=["因病", "因残", "缺乏劳动力", "因灾", "其他"],
            sample={"因病": 4, "因残": 3, "缺乏劳动力": 3, "因灾": 1, "其他": 1},
        ),
        q(
            "has-disabled",
            "共同生活的家庭成员中是否有持证残疾人？",
            YES_NO,
            sample=0.35,
        ),
        q(
            "disabled-grade",
            "残疾人的残疾等级是几级？",
            CHOICE,
            choices=["一级", "二级", "三级", "四级"],
            help_text="有多名残疾人的，填写等级最重的一位",
            condition=("has-disabled", "是"),
            sample={"一级": 2, "二级": 3, "三级": 3, "四级": 2},
        ),
    ],
    "临时救助": [
        q(
            "hardship",
            "遭遇了哪种困难？",
            CHOICE,
            choices=[
                "火灾、交通事故等意外事件",
                "家庭成员突发重大疾病",
                "子女就学等生活必需支出突然增加",
                "自然灾害",
                "其他",
            ],
            sample={
                "火灾、交通事故等意外事件": 3,
                "家庭成员突发重大疾病": 5,
                "子女就学等生活必需支出突然增加": 2,
                "自然灾害": 2,
                "其他": 1,
            },
        ),
        q(
            "hardship-detail",
            "请简要说明遇到的困难",
            TEXT,
            condition=("hardship", "其他"),
            sample=[
                "丈夫外出务工受伤，工伤认定尚未完成，家中暂无收入",
                "房屋后坡垮塌，需临时租房居住",
                "家中主要劳动力去世，丧葬费用无力承担",
            ],
        ),
        q(
            "compensated",
            "是否已获得保险赔偿、医疗报销或其他救助？",
            YES_NO,
            sample=0.4,
        ),
        q(
            "compensation-amount",
            "已获得的赔偿、报销或救助金额（元）",
            NUMBER,
            condition=("compensated", "是"),
            sample=(500, 12000),
        ),
    ],
    "特困人员救助供养": [
        q(
            "care-mode",
            "希望哪种供养方式？",
            CHOICE,
            choices=["分散供养（在家生活）", "集中供养（入住敬老院）"],
            sample={"分散供养（在家生活）": 4, "集中供养（入住敬老院）": 1},
        ),
        q(
            "self-care",
            "申请人生活能否自理？",
            CHOICE,
            choices=["完全自理", "部分失能", "完全失能"],
            sample={"完全自理": 5, "部分失能": 3, "完全失能": 1},
        ),
        q(
            "has-supporter",
            "是否有法定赡养、抚养、扶养义务人？",
            YES_NO,
            help_text="如子女、配偶、父母",
            sample=0.3,
        ),
        q(
            "supporter-able",
            "义务人是否有赡养、抚养、扶养能力？",
            YES_NO,
            help_text="例如义务人本身是低保、特困人员或重度残疾人的，视为无能力",
            condition=("has-supporter", "是"),
            sample=0.1,
        ),
    ],
    "80周岁以上老年人高龄津贴发放": [
        q(
            "receives-elsewhere",
            "是否已在其他地方领取高龄津贴？",
            YES_NO,
            sample=0.0,
        ),
        q(
            "account",
            "津贴发放到哪个账户？",
            CHOICE,
            choices=["本人社会保障卡", "本人银行卡"],
            sample={"本人社会保障卡": 4, "本人银行卡": 1},
        ),
    ],
    "残疾人证新办": [
        q(
            "disability-type",
            "申请评定哪一类残疾？",
            CHOICE,
            choices=[
                "视力残疾",
                "听力残疾",
                "言语残疾",
                "肢体残疾",
                "智力残疾",
                "精神残疾",
                "多重残疾",
            ],
            sample={
                "视力残疾": 2,
                "听力残疾": 2,
                "言语残疾": 1,
                "肢体残疾": 6,
                "智力残疾": 1,
                "精神残疾": 1,
                "多重残疾": 1,
            },
        ),
        q(
            "home-assessment",
            "是否因行动不便需要评残医生上门评定？",
            YES_NO,
            sample=0.2,
        ),
        q(
            "home-assessment-reason",
            "请说明行动不便的情况",
            TEXT,
            condition=("home-assessment", "是"),
            sample=["下肢瘫痪，长期卧床", "脑梗后遗症，无法乘车", "年老体弱，需人搀扶才能行走"],
        ),
    ],
    "城乡居民基本养老保险参保登记": [
        q(
            "contribution-level",
            "选择哪一个年缴费档次？",
            CHOICE,
            choices=["200元", "300元", "500元", "1000元", "2000元", "3000元"],
            help_text="多缴多得，政府补贴随档次提高；以后每年可以调整",
            sample={"200元": 3, "300元": 4, "500元": 3, "1000元": 2, "2000元": 1, "3000元": 1},
        ),
        q(
            "subsidised",
            "是否属于政府代缴对象（低保、特困、重度残疾等）？",
            YES_NO,
            sample=0.15,
        ),
    ],
    "就业登记": [
        q(
            "employment-type",
            "就业形式",
            CHOICE,
            choices=["单位就业", "灵活就业", "个体经营", "公益性岗位"],
            sample={"单位就业": 4, "灵活就业": 4, "个体经营": 2, "公益性岗位": 1},
        ),
        q("employment-date", "从哪一天开始就业？", DATE, sample=(5, 60)),
        q(
            "employer",
            "用人单位名称",
            TEXT,
            condition=("employment-type", "单位就业"),
            sample=["某建筑劳务有限公司（演示）", "某食品加工厂（演示）", "某物流有限公司（演示）"],
        ),
    ],
    "户口登记": [
        q("birth-date", "新生儿出生日期", DATE, sample=(7, 60)),
        q(
            "settle-with",
            "新生儿随父亲还是母亲登记户口？",
            CHOICE,
            choices=["随父亲", "随母亲"],
            sample={"随父亲": 3, "随母亲": 1},
        ),
        q(
            "born-in-hospital",
            "是否在医院出生（有《出生医学证明》）？",
            YES_NO,
            sample=0.97,
        ),
    ],
}


def questions_for(item_name):
    return QUESTIONS.get(item_name, [])


def _item_name(guide):
    return guide.item.name if guide.item_id else guide.title


def _enable_online(guide):
    """Set the online channel on ``guide`` in memory; the changed field names."""
    if _item_name(guide) in WINDOW_ONLY or guide.channel_online:
        return []
    guide.channel_online = True
    changed = ["channel_online"]
    if guide.online_depth == OnlineDepth.NONE:
        guide.online_depth = NEW_ONLINE_DEPTH
        changed.append("online_depth")
    if not guide.online_url:
        guide.online_url = ONLINE_URL
        changed.append("online_url")
    return changed


def _new_questions(guide, existing):
    if guide.pk in existing:
        return []
    return [
        GuideQuestion(
            guide_id=guide.pk,
            sort_order=order,
            **{k: v for k, v in spec.items() if k != "sample"},
        )
        for order, spec in enumerate(questions_for(_item_name(guide)))
    ]


# The rows the publish gate and the search document read.
ROWS = (
    "conditions",
    "steps",
    "materials",
    "faqs",
    "fees__fee_standard",
    "legal_bases__legal_basis",
)


@transaction.atomic
def prepare_guides(guides):
    """Give ``guides`` (demo guides of any townships, each with its ``township`` primed) the
    online channel and their questions.

    Returns the guides whose channel changed, as loaded with their rows for the gate (for
    ``refresh_search``). Raises ``DemoContentError`` if the publish gate refuses one.
    """
    existing = set(
        GuideQuestion.objects.filter(guide__in=[g.pk for g in guides]).values_list(
            "guide_id", flat=True
        )
    )
    changed_fields, questions = {}, {}
    for guide in guides:
        if not guide.is_demo:
            continue
        fields = _enable_online(guide)
        if fields:
            changed_fields[guide.pk] = fields
        new = _new_questions(guide, existing)
        if new:
            questions[guide.pk] = new
    online = [g for g in guides if g.pk in changed_fields]
    checked = _check_gate(online)
    for name, value in (
        ("channel_online", True),
        ("online_depth", NEW_ONLINE_DEPTH),
        ("online_url", ONLINE_URL),
    ):
        pks = [pk for pk, fields in changed_fields.items() if name in fields]
        if pks:
            ServiceGuidePage.objects.filter(pk__in=pks).update(**{name: value})
    GuideQuestion.objects.bulk_create(
        [row for rows in questions.values() for row in rows], batch_size=500
    )
    changed = [g for g in guides if g.pk in changed_fields or g.pk in questions]
    _update_revisions(changed, changed_fields, questions)
    return checked


def _check_gate(guides):
    """Run the publish gate on ``guides`` as changed in memory; returns them loaded with their
    rows (the in-memory values copied over)."""
    if not guides:
        return []
    by_pk = {g.pk: g for g in guides}
    loaded = (
        ServiceGuidePage.objects.filter(pk__in=list(by_pk))
        .select_related("item__department")
        .prefetch_related(*ROWS)
    )
    checked, refused = [], []
    for fresh in loaded:
        guide = by_pk[fresh.pk]
        for name in ("channel_online", "online_depth", "online_url"):
            setattr(fresh, name, getattr(guide, name))
        fresh.__dict__["township"] = guide.township
        reasons = publish_blockers(fresh)
        if reasons:
            refused.append(f"{guide.township.title}·{fresh.title}: {'；'.join(reasons)}")
        checked.append(fresh)
    if refused:
        raise DemoContentError("The publish gate refuses demo guides: " + " | ".join(refused))
    return checked


def _update_revisions(guides, changed_fields, questions):
    """Write the same change into each guide's live and latest revision."""
    wanted = {}
    for guide in guides:
        for revision_id in {guide.live_revision_id, guide.latest_revision_id} - {None}:
            wanted.setdefault(revision_id, []).append(guide)
    for revision_id, content in Revision.objects.filter(pk__in=list(wanted)).values_list(
        "pk", "content"
    ):
        content = dict(content)
        for guide in wanted[revision_id]:
            for name in changed_fields.get(guide.pk, ()):
                content[name] = getattr(guide, name)
            if guide.pk in questions:
                content["application_questions"] = [
                    get_serializable_data_for_fields(row) for row in questions[guide.pk]
                ]
        Revision.objects.filter(pk=revision_id).update(content=content)


def refresh_search(guides):
    """Rewrite the search documents of ``guides`` (as ``prepare_guides`` returns them: rows
    loaded, township primed) in one batch.

    Like the live index, a failure is logged and does not stop the load: ``manage.py
    search_reindex`` repairs the index (``make demo`` and ``make run`` run it anyway).
    Returns False when the search engine failed.
    """
    guides = [g for g in guides if g.live]
    if not guides:
        return True
    from search.backends import get_backend
    from search.documents import document_for_guide

    try:
        get_backend().index([document_for_guide(g, g.township) for g in guides])
    except Exception:
        logger.exception("Search documents of the demo's online guides not updated")
        return False
    return True
