"""Demo guides: identity and household registration, family planning support, elderly
preferential treatment, forestry and veterans (区公安分局, 区卫健局, 区林业局, 区退役军人事务局)."""

from ...models.choices import (
    HandlingClass,
    MaterialForm,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    ResultDelivery,
    ResultType,
    TownshipRole,
)
from .schema import (
    CENTER,
    ND,
    ON_THE_SPOT,
    OPTIONAL,
    SPOT,
    TOWNSHIP_GOV,
    VILLAGE_COMMITTEE,
    WD,
    application_form,
    household_book,
    id_card,
    material,
    step,
)

POLICE = "广安市公安局广安区分局"
HEALTH = "广安区卫生健康局"
FORESTRY = "广安区林业局"
VETERANS = "广安区退役军人事务局"


def _family_planning(item, summary, scope, conditions, faq):
    """The two family-planning support funds share their annual procedure."""
    return {
        "item": item,
        "summary": summary,
        "applicant_scope": scope,
        "conditions": conditions,
        "quantity_limit": "每年集中申报一次（一般在上半年），资格确认后按年度发放",
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": HEALTH,
        "statutory": (30, WD, "村、乡两级公示期不计入"),
        "promised": (20, WD, "村、乡两级公示期不计入"),
        "special_procedures": "资格确认前在村（社区）和乡镇（街道）张榜公示",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "夫妻一方到场核验身份并签署申报表"),
        "channels": {"window"},
        "modes": {"proxy", "home_visit"},
        "mode_note": "村（社区）计生专干、代办员可入户登记并代为申报。",
        "fees": [],
        "steps": [
            step("申报受理", CENTER, 1, WD, "核验身份和生育情况", "受理回执"),
            step("村级评议公示", f"{VILLAGE_COMMITTEE}", 7, ND, "民主评议并张榜公示", "公示结果"),
            step("乡镇审核", TOWNSHIP_GOV, 9, WD, "核实生育、子女和户籍情况", "审核意见"),
            step("资格确认", HEALTH, 10, WD, "确认扶助资格，按年度发放", "资格确认结果"),
        ],
        "materials": [
            application_form(f"{item}申报表"),
            id_card("夫妻双方"),
            household_book(),
            material(
                "结婚证",
                kind=MaterialType.COPY,
                source=MaterialSource.GOVERNMENT,
                issuing_body="婚姻登记机关",
            ),
            material(
                "子女情况证明",
                source=MaterialSource.OTHER,
                issuing_body=VILLAGE_COMMITTEE,
                notes="由村（居）民委员会出具，说明子女人数及存亡情况",
            ),
        ],
        "bases": [
            "family_planning_law",
            "family_planning_reward" if "奖励" in item else "family_planning_special",
        ],
        "result": {
            "name": "扶助对象资格确认结果",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.VILLAGE],
            "publicity": "确认名单在村（社区）公示",
        },
        "faqs": [faq],
        "window": "affairs",
    }


GUIDES = [
    {
        "item": "居民身份证办理（包括临时）",
        "summary": (
            "首次申领、到期换领、损坏换领、丢失补领居民身份证，以及在办证期间急需用证时申领临时居民身份证。"
            "由进驻本中心的派出所户籍窗口受理。（演示）"
        ),
        "applicant_scope": "常住户口在本乡镇（街道）的中国公民",
        "conditions": [
            "年满16周岁的公民应当申领；未满16周岁的可自愿申领，由监护人代为申请。",
            "有效期满、证件损坏或登记项目变更的，申请换领；证件丢失的，申请补领。",
            "在申领、换领、补领期间急需使用的，可以申领临时居民身份证。",
        ],
        "role": TownshipRole.PROXY,
        "deciding_body": POLICE,
        "statutory": (60, ND, "交通不便的地区可适当延长，但延长不超过30日"),
        "promised": (15, WD, "临时居民身份证当场办结"),
        "handling_class": HandlingClass.PROMISED,
        "visits": (2, "本人到场采集人像和指纹并核验户口簿1次；领取证件1次（选择邮寄送达的为1次）"),
        "channels": {"window"},
        "appointment": ("每周二、周四（上门采集）", 10),
        "postal_delivery": True,
        "online_payment": True,
        "modes": {"home_visit"},
        "mode_note": "行动不便的老年人、残疾人可预约上门采集；证件可选择邮寄送达。",
        "fees": [
            ("id_card", "首次申领、到期换领"),
            ("id_card_lost", "丢失补领、损坏换领"),
            ("temporary_id_card", "申领临时居民身份证"),
        ],
        "steps": [
            step(
                "受理采集",
                "派出所户籍窗口（进驻本中心）",
                1,
                WD,
                "核验户口簿，采集人像、指纹，填写申领登记表",
                "受理凭证",
            ),
            step("审核签发", POLICE, 14, WD, "审核申领信息，签发制证", "居民身份证"),
        ],
        "materials": [
            household_book(),
            material(
                "《居民身份证申领登记表》",
                source=MaterialSource.GOVERNMENT,
                notes="窗口现场填写打印，本人签字确认",
            ),
            material(
                "原居民身份证（换领时交回）",
                necessity=OPTIONAL,
                source=MaterialSource.GOVERNMENT,
                issuing_body="公安机关",
            ),
            material(
                "符合标准的照片回执（如有）",
                necessity=OPTIONAL,
                form=MaterialForm.ELECTRONIC,
                notes="窗口可现场拍照，无需另行提供",
            ),
        ],
        "bases": ["id_card", "temporary_id_card"],
        "result": {
            "name": "中华人民共和国居民身份证（或临时居民身份证）",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.POST],
            "publicity": "",
        },
        "faqs": [
            (
                "低保户办身份证要交钱吗？",
                "领取最低生活保障金的居民、有特殊生活困难的农村居民初次申领和换领时免收工本费，丢失补领的仍需缴费。",
            ),
            (
                "身份证丢了急着坐车怎么办？",
                "可在补领的同时申领临时居民身份证，当场办结；乘坐火车也可在车站办理临时乘车身份证明。",
            ),
        ],
        "window": "affairs",
    },
    {
        "item": "户口登记",
        "summary": (
            "新生儿出生后办理出生户口登记。本中心推行“出生一件事”联办：一次提交材料，同时办理出生登记、"
            "城乡居民医保参保和社会保障卡申领。（演示）"
        ),
        "applicant_scope": "在本乡镇（街道）落户的新生儿，由其监护人申请",
        "conditions": [
            "婴儿出生后一个月以内，由户主、亲属、抚养人等向常住地户口登记机关申报出生登记。",
            "随父或随母落户，落户地为父亲或母亲的常住户口所在地。",
        ],
        "role": TownshipRole.PROXY,
        "deciding_body": f"{POLICE}（辖区派出所）",
        "statutory": (10, WD, ""),
        "promised": (5, WD, "联办事项同步办结"),
        "handling_class": HandlingClass.JOINT,
        "visits": (1, "监护人提交出生医学证明等原件"),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_2,
        "postal_delivery": True,
        "modes": {"proxy"},
        "mode_note": "本中心代收材料，派出所、医保、社保部门联办；户口簿可邮寄送达。",
        "fees": [],
        "steps": [
            step(
                "联办受理",
                CENTER,
                1,
                WD,
                "一次收取出生登记、医保参保、社保卡申领所需材料",
                "受理回执",
            ),
            step("出生登记", "辖区派出所", 3, WD, "审核出生医学证明和父母户籍信息", "户口登记"),
            step(
                "联办事项办理",
                "医保、社保经办机构",
                1,
                WD,
                "办理参保登记和社会保障卡申领",
                "参保信息",
            ),
        ],
        "materials": [
            material(
                "出生医学证明",
                source=MaterialSource.OTHER,
                issuing_body="助产医疗机构",
                notes="原件核验后退回",
            ),
            id_card("父母双方"),
            household_book("落户方"),
            material(
                "父母结婚证（如有）",
                kind=MaterialType.COPY,
                necessity=OPTIONAL,
                source=MaterialSource.GOVERNMENT,
                issuing_body="婚姻登记机关",
            ),
        ],
        "bases": ["household_registration"],
        "result": {
            "name": "居民户口簿（新生儿户口登记页）",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.POST],
            "publicity": "",
        },
        "faqs": [
            (
                "超过一个月还能登记吗？",
                "可以，按规定补办出生登记，需说明延迟原因。",
            ),
        ],
        "window": "affairs",
    },
    _family_planning(
        "农村部分计划生育家庭奖励扶助金",
        "对符合条件的农村计划生育家庭夫妻，年满60周岁后按年发放奖励扶助金，直至亡故。（演示）",
        "户籍在本乡镇（街道）的农村计划生育家庭夫妻",
        [
            "本人及配偶均为农业户口或界定为农村居民。",
            "按规定只生育一个子女或两个女孩，或子女死亡现无子女。",
            "年满60周岁。",
        ],
        (
            "夫妻双方都能领吗？",
            "符合条件的夫妻双方年满60周岁后分别按人领取。",
        ),
    ),
    _family_planning(
        "计划生育家庭特别扶助金",
        "对独生子女死亡或伤残后未再生育或收养子女的家庭，女方年满49周岁后按月发放特别扶助金。（演示）",
        "户籍在本乡镇（街道）的独生子女伤残、死亡家庭夫妻",
        [
            "只生育一个子女或合法收养一个子女。",
            "现无存活子女，或独生子女被依法鉴定为残疾（伤病残达到三级以上）。",
            "未再生育或合法收养子女，女方年满49周岁。",
        ],
        (
            "特别扶助金和奖励扶助金能同时领吗？",
            "同时符合两项条件的，可以同时享受。",
        ),
    ),
    {
        "item": "申领《四川省老年人优待证》",
        "summary": "年满60周岁的老年人申领《四川省老年人优待证》，凭证享受公共交通、景区游览、就医等方面的优待服务。（演示）",
        "applicant_scope": "户籍在本乡镇（街道）或持本区居住证、年满60周岁的老年人",
        "conditions": [
            "年满60周岁。",
            "具有本区户籍，或持有本区居住证。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": HEALTH,
        "statutory": (10, WD, ""),
        "promised": (5, WD, "电子优待证即时生成"),
        "handling_class": HandlingClass.PROMISED,
        "visits": (0, ""),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_4,
        "modes": {"proxy", "home_visit"},
        "mode_note": "电子优待证可在“天府通办”APP全程网办；实体证由村（社区）代办员送达。",
        "fees": [],
        "steps": [
            step(
                "申请受理", f"{CENTER}或村（社区）代办员", 1, WD, "核验年龄和户籍信息", "受理回执"
            ),
            step("审核制证", HEALTH, 4, WD, "审核后制发优待证", "老年人优待证"),
        ],
        "materials": [
            id_card("老年人"),
            material(
                "近期1寸免冠彩色照片",
                necessity=OPTIONAL,
                paper_size="",
                notes="办理实体证时提供；申领电子证无需提供",
            ),
        ],
        "bases": ["elderly_sichuan"],
        "result": {
            "name": "四川省老年人优待证（实体证或电子证）",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.VILLAGE, ResultDelivery.ELECTRONIC],
            "publicity": "",
        },
        "faqs": [
            (
                "没有优待证能享受优待吗？",
                "可以。老年人凭居民身份证也可享受规定的优待服务，优待证更便于识别。",
            ),
        ],
        "window": "affairs",
    },
    {
        "item": "林木采伐许可证核发（县级权限）",
        "summary": (
            "农村居民采伐自留山和个人承包集体林地上的林木，向本中心申请林木采伐许可证，"
            "由乡镇人民政府受区林业局委托核发。（演示）"
        ),
        "applicant_scope": "本乡镇（街道）内拥有林木所有权的农村居民",
        "conditions": [
            "采伐自留山或个人承包集体林地上的林木，林木权属清楚、无争议。",
            "采伐符合年度采伐限额和林木采伐技术规程。",
            "承诺在规定期限内完成更新造林。",
        ],
        "quantity_limit": "在本区年度森林采伐限额内核发",
        "role": TownshipRole.ACCEPT_AND_DECIDE,
        "deciding_body": f"{FORESTRY}（委托乡镇人民政府核发）",
        "statutory": (20, WD, "《中华人民共和国行政许可法》第四十二条"),
        "promised": (5, WD, ""),
        "special_procedures": "需要伐区现场调查的，调查时间不计入办理时限",
        "handling_class": HandlingClass.PROMISED,
        "visits": (1, "提交林木权属证明原件核验；可通过网上申请后一次领取"),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_3,
        "modes": {"proxy"},
        "mode_note": "村（社区）代办员可协助填写申请并代为提交。",
        "fees": [],
        "steps": [
            step("申请受理", f"{CENTER}社会事务窗口", 1, WD, "核验林木权属和采伐申请", "受理回执"),
            step("审核", TOWNSHIP_GOV, 3, WD, "核对采伐限额，必要时现场核实", "审核意见"),
            step("核发", TOWNSHIP_GOV, 1, WD, "符合条件的核发林木采伐许可证", "林木采伐许可证"),
        ],
        "materials": [
            application_form("林木采伐申请表"),
            id_card(),
            material(
                "林权证、不动产权证书（林权）或其他林木权属证明",
                kind=MaterialType.BOTH,
                source=MaterialSource.GOVERNMENT,
                issuing_body="不动产登记机构",
                notes="原件核验，留存复印件",
            ),
            material("更新造林承诺书", notes="承诺采伐后在规定期限内完成更新造林"),
        ],
        "bases": ["forest_felling"],
        "result": {
            "name": "林木采伐许可证",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW],
            "publicity": "采伐许可证核发信息按规定公开",
        },
        "faqs": [
            (
                "砍房前屋后自家种的几棵树要办证吗？",
                "农村居民采伐自留地和房前屋后个人所有的零星林木，不需要申请采伐许可证。",
            ),
        ],
        "window": "affairs",
    },
    {
        "item": "退役报到",
        "summary": "退出现役、安置地在本区的退役士兵，在规定时间内持相关证件办理报到手续。本中心退役军人服务站受理。（演示）",
        "applicant_scope": "安置地在本乡镇（街道）的退役士兵",
        "conditions": [
            "经批准退出现役，安置地在本区。",
            "在规定时间内（自被批准退出现役之日起30日内）报到。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": VETERANS,
        "statutory": (5, WD, ""),
        "promised": ON_THE_SPOT,
        "handling_class": HandlingClass.IMMEDIATE,
        "visits": (1, "本人持退出现役证件到场报到并采集信息"),
        "channels": {"window"},
        "modes": {"green"},
        "mode_note": "退役军人服务站开设优先窗口，当场办结。",
        "fees": [],
        "steps": [
            step(
                "报到登记",
                f"{CENTER}退役军人服务站",
                None,
                SPOT,
                "核验退出现役证件和介绍信，采集信息",
                "报到登记回执",
            ),
        ],
        "materials": [
            material(
                "退出现役证件",
                source=MaterialSource.GOVERNMENT,
                issuing_body="原部队",
                paper_size="",
            ),
            material("退役士兵安置介绍信", source=MaterialSource.GOVERNMENT, issuing_body="原部队"),
            id_card(),
            household_book(),
        ],
        "bases": ["veterans_settlement"],
        "result": {
            "name": "退役士兵报到登记回执",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.WINDOW],
            "publicity": "",
        },
        "faqs": [
            (
                "超过30天没有报到怎么办？",
                "请尽快到本中心或区退役军人事务局说明原因并报到，逾期报到可能影响安置待遇。",
            ),
        ],
        "window": "affairs",
    },
]
