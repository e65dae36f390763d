"""Demo guides: services for people with disabilities (区民政局 subsidies and 区残联 items)."""

from ...models.choices import (
    HandlingClass,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    ResultDelivery,
    ResultType,
    TownshipRole,
)
from .schema import (
    CENTER,
    OPTIONAL,
    TOWNSHIP_GOV,
    VILLAGE_COMMITTEE,
    WD,
    application_form,
    disability_certificate,
    household_book,
    id_card,
    material,
    social_security_card,
    step,
)

CIVIL_AFFAIRS = "广安区民政局"
DPF = "广安区残疾人联合会"


def _photo(copies):
    return material(
        "近期2寸免冠彩色证件照片",
        copies=copies,
        paper_size="",
        notes="白色背景；窗口可现场拍照采集",
    )


def _subsidy(item, summary, scope, conditions, faq, home_note):
    """The two disability subsidies (两项补贴) share their procedure and materials."""
    return {
        "item": item,
        "summary": summary,
        "applicant_scope": scope,
        "conditions": conditions,
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": f"{CIVIL_AFFAIRS}（会同{DPF}审核）",
        "statutory": (20, WD, ""),
        "promised": (12, WD, "审批通过后次月起发放"),
        "handling_class": HandlingClass.FORWARDED,
        "visits": (0, ""),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_4,
        "modes": {"proxy", "home_visit"},
        "mode_note": home_note,
        "fees": [],
        "steps": [
            step(
                "申请受理",
                f"{CENTER}或村（社区）代办员",
                1,
                WD,
                "核验残疾人证和身份信息",
                "受理回执",
            ),
            step("初审", TOWNSHIP_GOV, 5, WD, "核对残疾等级、户籍和家庭经济状况", "初审意见"),
            step("审核", DPF, 3, WD, "复核残疾类别和等级", "审核意见"),
            step("审批", CIVIL_AFFAIRS, 3, WD, "确定补贴标准和发放起始月份", "审批结果"),
        ],
        "materials": [
            application_form("残疾人两项补贴申请审批表"),
            disability_certificate(),
            id_card(),
            household_book(),
            social_security_card(),
        ],
        "bases": ["disabled_protection", "disabled_subsidies"],
        "result": {
            "name": "残疾人两项补贴审批结果通知",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.VILLAGE],
            "publicity": "审批结果在申请人所在村（社区）公示",
        },
        "faqs": [faq],
        "window": "assistance",
    }


GUIDES = [
    _subsidy(
        "困难残疾人生活补贴",
        "对最低生活保障家庭中的残疾人等困难残疾人，按月发放生活补贴，补助其因残疾产生的额外生活支出。（演示）",
        "户籍在本乡镇（街道）、持第二代残疾人证的低保家庭残疾人等困难残疾人",
        [
            "具有本区户籍，持有第二代《中华人民共和国残疾人证》。",
            "属于最低生活保障家庭成员，或符合本省规定的其他困难残疾人条件。",
            "未享受孤儿、事实无人抚养儿童基本生活保障等同类补贴。",
        ],
        (
            "已经享受低保，还能领困难残疾人生活补贴吗？",
            "能。困难残疾人生活补贴补助的是因残疾产生的额外生活支出，可与低保同时享受。",
        ),
        "可网上申请，也可由村（社区）代办员上门代为申请，全程不用跑。",
    ),
    _subsidy(
        "重度残疾人护理补贴",
        "对残疾等级为一级、二级且需要长期照护的重度残疾人，按月发放护理补贴，补助其长期照护支出。（演示）",
        "户籍在本乡镇（街道）、残疾等级为一级或二级且需长期照护的重度残疾人",
        [
            "具有本区户籍，持有第二代《中华人民共和国残疾人证》。",
            "残疾等级为一级、二级且需要长期照护；三级、四级智力、精神残疾人按本省规定纳入。",
            "未享受因公致残护理费、工伤保险生活护理费等同类补贴。",
        ],
        (
            "住在养老机构的重度残疾人能申请吗？",
            "可以申请，补贴标准按本省对集中照护和居家照护的规定执行。",
        ),
        "重度残疾人行动不便，由工作人员或代办员上门受理，全程不用跑。",
    ),
    {
        "item": "残疾人证新办",
        "summary": (
            "首次申领第二代《中华人民共和国残疾人证》：本中心受理申请，申请人到区残联指定机构进行残疾评定，"
            "区残联审核后发证。（演示）"
        ),
        "applicant_scope": "户籍在本乡镇（街道），符合残疾标准的视力、听力、言语、肢体、智力、精神及多重残疾人",
        "conditions": [
            "具有本区户籍。",
            "符合国家标准《残疾人残疾分类和分级》（GB/T 26341-2010）规定的残疾标准。",
            "本人自愿申领；未满16周岁或无民事行为能力的，由监护人代为申请。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": DPF,
        "statutory": (20, WD, "自收到残疾评定结果之日起计算"),
        "promised": (10, WD, "自收到残疾评定结果之日起计算"),
        "special_procedures": "残疾评定在区残联指定的评定机构进行，评定时间不计入办理时限",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (
            2,
            "提交申请并采集照片1次；到指定机构接受残疾评定1次（行动不便的可申请上门评定）",
        ),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_2,
        "modes": {"proxy", "home_visit"},
        "mode_note": "重度残疾人可申请上门评定；证件可由村（社区）代办员代领送达。",
        "fees": [],
        "steps": [
            step(
                "申请受理",
                CENTER,
                1,
                WD,
                "核验身份，采集照片，开具残疾评定通知",
                "受理回执、评定通知",
            ),
            step(
                "残疾评定",
                "区残联指定的评定机构",
                10,
                WD,
                "按残疾标准评定残疾类别和等级",
                "残疾评定表",
            ),
            step(
                "审核发证",
                DPF,
                10,
                WD,
                "审核评定结果，符合标准的制发残疾人证",
                "中华人民共和国残疾人证",
            ),
        ],
        "materials": [
            application_form("残疾人证申请表"),
            id_card(),
            household_book(),
            _photo(3),
            material(
                "既往病历、诊断证明等（如有）",
                kind=MaterialType.COPY,
                necessity=OPTIONAL,
                source=MaterialSource.OTHER,
                issuing_body="医疗机构",
                notes="智力、精神残疾评定时建议提供",
            ),
        ],
        "bases": ["disability_certificate"],
        "result": {
            "name": "中华人民共和国残疾人证（第二代）",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "涉及个人隐私，不公开",
        },
        "faqs": [
            (
                "残疾评定要收费吗？",
                "首次申领残疾人证的残疾评定费用按本省规定由财政承担，申请人不需缴费。",
            ),
            (
                "评定结果不符合残疾标准怎么办？",
                "区残联会书面告知原因；对评定结论有异议的，可按规定申请复评。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "残疾人证换领",
        "summary": "残疾人证有效期满、证件损毁或残疾类别、等级、登记信息变更的，申请换领新证。（演示）",
        "applicant_scope": "户籍在本乡镇（街道）、持有残疾人证的残疾人",
        "conditions": [
            "持有本区核发的残疾人证。",
            "证件有效期满、损毁无法使用，或登记信息发生变更。",
            "有效期满需重新评定的，按规定完成残疾评定。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": DPF,
        "statutory": (20, WD, ""),
        "promised": (5, WD, "无需重新评定的"),
        "special_procedures": "需重新评定的，评定时间不计入办理时限",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "交回原证并采集照片"),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_2,
        "modes": {"proxy", "home_visit"},
        "mode_note": "行动不便的可由村（社区）代办员代为提交并送达新证。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "核验原证和身份信息", "受理回执"),
            step("审核制证", DPF, 4, WD, "审核换领原因，制发新证", "新残疾人证"),
        ],
        "materials": [
            application_form("残疾人证换领申请表"),
            disability_certificate(),
            id_card(),
            _photo(2),
        ],
        "bases": ["disability_certificate_management"],
        "result": {
            "name": "中华人民共和国残疾人证（换领）",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "涉及个人隐私，不公开",
        },
        "faqs": [
            (
                "残疾人证快到期了，什么时候可以换？",
                "可在有效期满前3个月内申请换领，过期未换领的可能影响补贴等待遇发放。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "残疾人证挂失补办",
        "summary": "残疾人证遗失的，申请挂失并补办新证，原证自挂失之日起作废。（演示）",
        "applicant_scope": "户籍在本乡镇（街道）、残疾人证遗失的持证残疾人",
        "conditions": [
            "持有本区核发的残疾人证且证件已遗失。",
            "证件在有效期内；已过有效期的按换领办理。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": DPF,
        "statutory": (20, WD, ""),
        "promised": (10, WD, ""),
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "本人或监护人到场签署挂失声明并采集照片"),
        "channels": {"window"},
        "modes": {"proxy", "home_visit"},
        "mode_note": "补办的证件可由村（社区）代办员代领送达。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "核验身份，签署挂失声明", "受理回执"),
            step("审核补证", DPF, 9, WD, "核对档案信息，制发新证", "补办的残疾人证"),
        ],
        "materials": [
            application_form("残疾人证挂失补办申请表（含挂失声明）"),
            id_card(),
            household_book(),
            _photo(2),
        ],
        "bases": ["disability_certificate_management"],
        "result": {
            "name": "中华人民共和国残疾人证（补办）",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "涉及个人隐私，不公开",
        },
        "faqs": [
            (
                "补办期间补贴会停发吗？",
                "不会。补办期间残疾信息仍在系统中有效，两项补贴照常发放。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "困难重度残疾人家庭无障碍改造申请",
        "summary": (
            "为经济困难的重度残疾人家庭实施厕所、厨房、出入通道、扶手等无障碍改造，改善居家生活条件，"
            "按年度计划组织实施。（演示）"
        ),
        "applicant_scope": "户籍在本乡镇（街道）、有改造需求的困难重度残疾人家庭",
        "conditions": [
            "家庭成员中有持证的一级、二级重度残疾人。",
            "家庭属于最低生活保障、特困或低保边缘等经济困难家庭。",
            "住房为自有住房，改造不影响房屋结构安全。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": DPF,
        "statutory": (30, WD, "改造施工和验收时间不计入"),
        "promised": (20, WD, "自受理至完成入户评估和审批"),
        "special_procedures": "入户需求评估、改造施工及验收时间不计入办理时限；改造名单在村（社区）公示",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "提交申请并签订改造协议"),
        "channels": {"window"},
        "modes": {"proxy", "home_visit"},
        "mode_note": "工作人员上门评估改造需求；村（社区）代办员可代为提交申请。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "核验残疾人证和家庭经济状况证明", "受理回执"),
            step(
                "入户评估",
                f"{TOWNSHIP_GOV}，{VILLAGE_COMMITTEE}协助",
                10,
                WD,
                "上门评估改造需求，形成改造方案",
                "评估表和改造方案",
            ),
            step("审批", DPF, 9, WD, "审核改造方案，纳入年度改造计划", "审批结果"),
        ],
        "materials": [
            application_form("困难重度残疾人家庭无障碍改造申请表"),
            disability_certificate(),
            household_book(),
            material(
                "家庭经济困难证明（低保、特困等认定材料）",
                kind=MaterialType.COPY,
                source=MaterialSource.GOVERNMENT,
                issuing_body="民政部门",
                notes="已在系统中可查询的无需提供",
            ),
            material(
                "住房权属证明或村（居）民委员会出具的住房情况证明",
                kind=MaterialType.COPY,
                source=MaterialSource.OTHER,
                issuing_body="不动产登记机构或村（居）民委员会",
            ),
        ],
        "bases": ["barrier_free", "disabled_protection"],
        "result": {
            "name": "无障碍改造审批结果通知",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.VILLAGE],
            "publicity": "年度改造对象名单在村（社区）公示",
        },
        "faqs": [
            (
                "改造要自己出钱吗？",
                "按年度项目标准由财政资金承担，超出标准的个性化改造由家庭自愿承担。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "残疾人基本型辅助器具适配申请",
        "summary": "为有需求的持证残疾人免费或补贴适配轮椅、助行器、助听器、盲杖等基本型辅助器具。（演示）",
        "applicant_scope": "户籍在本乡镇（街道）、经评估有辅助器具适配需求的持证残疾人",
        "conditions": [
            "持有第二代《中华人民共和国残疾人证》。",
            "经评估确有基本型辅助器具适配需求。",
            "同类辅助器具未超过规定的使用年限重复申请。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": DPF,
        "statutory": (20, WD, ""),
        "promised": (15, WD, "不含适配评估和产品配送时间"),
        "special_procedures": "适配评估、产品配送时间不计入办理时限",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "提交申请；适配评估可在巡回服务点或上门进行"),
        "channels": {"window"},
        "modes": {"proxy", "home_visit", "van"},
        "mode_note": "巡回服务车到村开展适配评估；行动不便的可上门评估，器具由代办员送达。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "核验残疾人证，登记适配需求", "受理回执"),
            step(
                "适配评估",
                "区残联辅助器具服务机构",
                7,
                WD,
                "评估适配需求，确定器具种类",
                "评估意见",
            ),
            step("审批发放", DPF, 7, WD, "审核后发放或补贴适配", "辅助器具"),
        ],
        "materials": [
            application_form("残疾人辅助器具适配申请表"),
            disability_certificate(),
            id_card(),
        ],
        "bases": ["disabled_protection"],
        "result": {
            "name": "基本型辅助器具（实物发放）",
            "type": ResultType.OTHER,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "",
        },
        "faqs": [
            (
                "辅助器具坏了可以换吗？",
                "超过规定使用年限或经评估无法继续使用的，可再次申请适配。",
            ),
        ],
        "window": "assistance",
    },
]
