"""Demo guides: employment services (区人社局 items)."""

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
    ON_THE_SPOT,
    OPTIONAL,
    SPOT,
    TOWNSHIP_GOV,
    WD,
    application_form,
    household_book,
    id_card,
    material,
    step,
)

HRSS = "广安区人力资源和社会保障局"
WINDOW = f"{CENTER}社保医保窗口"


def _employment_card(necessity=OPTIONAL):
    return material(
        "《就业创业证》（已办理的）",
        necessity=necessity,
        source=MaterialSource.GOVERNMENT,
        issuing_body="人力资源和社会保障部门",
        notes="未办理的可同时申领电子证",
    )


GUIDES = [
    {
        "item": "就业登记",
        "summary": "劳动者实现就业（被用人单位招用、从事个体经营或灵活就业）后办理就业登记，作为享受就业扶持政策的依据。（演示）",
        "applicant_scope": "法定劳动年龄内已实现就业的劳动者，或招用劳动者的用人单位",
        "conditions": [
            "在法定劳动年龄内。",
            "已与用人单位建立劳动关系，或从事个体经营、灵活就业。",
        ],
        "role": TownshipRole.ACCEPT_AND_DECIDE,
        "deciding_body": HRSS,
        "statutory": (5, WD, ""),
        "promised": ON_THE_SPOT,
        "handling_class": HandlingClass.IMMEDIATE,
        "visits": (0, ""),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_4,
        "modes": {"proxy"},
        "mode_note": "可通过四川政务服务网或“四川人社”APP全程网办；村（社区）代办员可代为登记。",
        "fees": [],
        "steps": [
            step(
                "受理登记", WINDOW, None, SPOT, "核验身份和就业情况，录入就业信息", "就业登记信息"
            ),
        ],
        "materials": [
            id_card(),
            material(
                "劳动合同、营业执照或灵活就业承诺书",
                kind=MaterialType.COPY,
                notes="灵活就业人员提供本人签字的承诺书",
            ),
            _employment_card(),
        ],
        "bases": ["employment_registration"],
        "result": {
            "name": "就业登记信息（记载于《就业创业证》）",
            "type": ResultType.OTHER,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.ELECTRONIC],
            "publicity": "",
        },
        "faqs": [
            (
                "在外地打工可以在本镇登记吗？",
                "就业登记一般在就业地办理；返乡就业创业的可在本镇办理。",
            ),
        ],
        "window": "insurance",
    },
    {
        "item": "失业登记",
        "summary": "法定劳动年龄内、有劳动能力和就业要求、处于无业状态的人员，可在常住地办理失业登记，享受公共就业服务和扶持政策。（演示）",
        "applicant_scope": "法定劳动年龄内、有劳动能力和就业要求、处于无业状态的城乡劳动者",
        "conditions": [
            "在法定劳动年龄内，有劳动能力和就业要求。",
            "处于无业状态（含与用人单位解除或终止劳动关系）。",
            "可在户籍地或常住地办理。",
        ],
        "role": TownshipRole.ACCEPT_AND_DECIDE,
        "deciding_body": HRSS,
        "statutory": (5, WD, ""),
        "promised": ON_THE_SPOT,
        "handling_class": HandlingClass.IMMEDIATE,
        "visits": (0, ""),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_4,
        "modes": {"proxy"},
        "mode_note": "可全程网办；办理后可享受职业指导、岗位推荐和技能培训服务。",
        "fees": [],
        "steps": [
            step(
                "受理登记", WINDOW, None, SPOT, "核验身份和无业状态，录入失业信息", "失业登记信息"
            ),
        ],
        "materials": [
            id_card(),
            material(
                "解除或终止劳动关系证明（有的提供）",
                necessity=OPTIONAL,
                source=MaterialSource.OTHER,
                issuing_body="原用人单位",
            ),
        ],
        "bases": ["employment_registration", "unemployment_insurance"],
        "result": {
            "name": "失业登记信息（记载于《就业创业证》）",
            "type": ResultType.OTHER,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.ELECTRONIC],
            "publicity": "",
        },
        "faqs": [
            (
                "失业登记后就能领失业保险金吗？",
                "失业保险金需另行申领，须满足参保缴费满1年、非因本人意愿中断就业等条件。",
            ),
        ],
        "window": "insurance",
    },
    {
        "item": "就业困难人员认定",
        "summary": "因身体状况、技能水平、家庭因素、失去土地等原因难以实现就业的失业人员，申请认定为就业困难人员，享受就业援助。（演示）",
        "applicant_scope": "已办理失业登记、符合就业困难人员类别的劳动者",
        "conditions": [
            "已在本区办理失业登记。",
            "属于大龄失业人员、残疾人、低保家庭成员、连续失业1年以上人员、零就业家庭成员等就业困难人员类别之一。",
            "有劳动能力和就业意愿。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": HRSS,
        "statutory": (20, WD, ""),
        "promised": (10, WD, ""),
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "需提交困难类别证明原件核验"),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_2,
        "modes": {"proxy"},
        "mode_note": "村（社区）代办员可协助申请；认定后可享受公益性岗位安置、社保补贴等援助。",
        "fees": [],
        "steps": [
            step("申请受理", WINDOW, 1, WD, "核验失业登记和困难类别证明", "受理回执"),
            step("核实", TOWNSHIP_GOV, 4, WD, "核实困难类别和就业状态", "核实意见"),
            step("认定", HRSS, 5, WD, "符合条件的予以认定", "认定结果"),
        ],
        "materials": [
            application_form("就业困难人员认定申请表"),
            id_card(),
            _employment_card(),
            material(
                "困难类别证明（残疾人证、低保证等）",
                source=MaterialSource.GOVERNMENT,
                notes="原件现场核验后退回；系统可查询的无需提供",
            ),
        ],
        "bases": ["employment_assistance", "employment_registration"],
        "result": {
            "name": "就业困难人员认定结果（记载于《就业创业证》）",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.ELECTRONIC],
            "publicity": "",
        },
        "faqs": [
            (
                "认定后多久有效？",
                "实现稳定就业或不再符合条件的，按规定退出；其间可享受就业援助政策。",
            ),
        ],
        "window": "insurance",
    },
    {
        "item": "离校未就业高校毕业生登记",
        "summary": "离校2年内未就业的高校毕业生进行实名登记，获得职业指导、岗位推荐、就业见习和技能培训等服务。（演示）",
        "applicant_scope": "离校2年内未就业、户籍或常住在本乡镇（街道）的普通高校毕业生",
        "conditions": [
            "普通高校毕业生，离校2年内。",
            "目前处于未就业状态，有就业意愿。",
        ],
        "role": TownshipRole.ACCEPT_AND_DECIDE,
        "deciding_body": HRSS,
        "statutory": (5, WD, ""),
        "promised": ON_THE_SPOT,
        "handling_class": HandlingClass.IMMEDIATE,
        "visits": (0, ""),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_4,
        "modes": {"proxy"},
        "mode_note": "可通过“四川人社”APP全程网办。",
        "fees": [],
        "steps": [
            step("实名登记", WINDOW, None, SPOT, "核验身份和毕业信息", "实名登记信息"),
        ],
        "materials": [
            id_card(),
            material(
                "毕业证书",
                kind=MaterialType.COPY,
                source=MaterialSource.OTHER,
                issuing_body="毕业院校",
                notes="学信网可查询的可不提供",
            ),
        ],
        "bases": ["graduates"],
        "result": {
            "name": "离校未就业高校毕业生实名登记信息",
            "type": ResultType.OTHER,
            "delivery": [ResultDelivery.ELECTRONIC],
            "publicity": "",
        },
        "faqs": [
            (
                "登记后有什么服务？",
                "提供至少1次职业指导、3次岗位推荐和1次培训或见习机会。",
            ),
        ],
        "window": "insurance",
    },
    {
        "item": "零就业家庭认定申请",
        "summary": "法定劳动年龄内、有劳动能力和就业愿望的家庭成员均处于失业状态的家庭，申请认定为零就业家庭，确保至少一人就业。（演示）",
        "applicant_scope": "户籍或常住在本乡镇（街道）的城镇家庭",
        "conditions": [
            "法定劳动年龄内、有劳动能力和就业愿望的家庭成员均已办理失业登记，处于失业状态。",
            "家庭无经营性、投资性收入。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": HRSS,
        "statutory": (15, WD, "公示期不计入"),
        "promised": (10, WD, "公示期不计入"),
        "special_procedures": "认定前在申请人所在社区（村）公示",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "户主到场核验家庭成员身份"),
        "channels": {"window"},
        "modes": {"proxy"},
        "mode_note": "社区（村）代办员可协助申请；认定后优先提供公益性岗位。",
        "fees": [],
        "steps": [
            step("申请受理", WINDOW, 1, WD, "核验家庭成员身份和失业登记", "受理回执"),
            step("入户核实", TOWNSHIP_GOV, 5, WD, "入户核实家庭成员就业状况", "核实意见"),
            step("认定", HRSS, 4, WD, "符合条件的予以认定", "认定结果"),
        ],
        "materials": [
            application_form("零就业家庭认定申请表（户主签字）"),
            household_book(),
            id_card("家庭成员"),
            _employment_card(),
        ],
        "bases": ["zero_employment"],
        "result": {
            "name": "零就业家庭认定结果",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "认定前在申请人所在社区（村）公示",
        },
        "faqs": [
            (
                "认定后多久能安排就业？",
                "认定后由公共就业服务机构一对一帮扶，优先推荐岗位或安排公益性岗位。",
            ),
        ],
        "window": "insurance",
    },
]
