"""Demo guides: social assistance and welfare (区民政局 items)."""

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
    DEFERRABLE,
    ND,
    OPTIONAL,
    TOWNSHIP_GOV,
    VILLAGE_COMMITTEE,
    WD,
    application_form,
    authorisation,
    household_book,
    id_card,
    material,
    social_security_card,
    step,
)

CIVIL_AFFAIRS = "广安区民政局"

GUIDES = [
    {
        "item": "最低生活保障",
        "summary": (
            "对共同生活的家庭成员人均收入低于本区最低生活保障标准、且家庭财产状况符合规定的城乡居民家庭，"
            "按月发放最低生活保障金。本中心受理申请并组织家庭经济状况调查，区民政局审核确认。（演示）"
        ),
        "applicant_scope": "户籍在本乡镇（街道）、共同生活的家庭成员人均收入低于当地低保标准的城乡居民家庭",
        "conditions": [
            "申请家庭至少有一名成员户籍在本乡镇（街道），由共同生活的家庭成员向户籍所在地提出申请。",
            "共同生活的家庭成员人均月收入低于本区公布的城乡最低生活保障标准。",
            "家庭财产状况符合本省规定，如无非生活必需的机动车辆、无经营性房产，存款等金融资产不超过规定限额。",
            "家庭成员中有劳动能力的，应积极就业或参加就业培训。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": CIVIL_AFFAIRS,
        "review_standard": "按照《最低生活保障审核确认办法》核查家庭收入、财产和刚性支出，入户调查人员不少于2人。",
        "statutory": (30, WD, "自受理之日起30个工作日内完成审核确认；特殊情况可延长至45个工作日"),
        "promised": (20, WD, "公示期不计入承诺时限"),
        "special_procedures": "入户调查、信息核对；审核确认前在申请人所在村（社区）公示7天，公示期不计入承诺时限",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "申请人需到场核验身份并签署家庭经济状况核对授权书；行动不便的可申请上门受理"),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_2,
        "modes": {"proxy", "home_visit"},
        "mode_note": "村（社区）代办员可代为提交申请；重病、重度残疾等行动不便的申请人可预约工作人员上门受理。",
        "fees": [],
        "steps": [
            step(
                "申请受理",
                CENTER,
                1,
                WD,
                "材料齐全的当场受理并出具受理回执；材料不全的一次性告知需补正的全部材料",
                "受理回执",
            ),
            step(
                "家庭经济状况调查",
                f"{TOWNSHIP_GOV}，{VILLAGE_COMMITTEE}协助",
                10,
                WD,
                "入户调查、邻里访问、信息核对，调查人员不少于2人",
                "家庭经济状况调查报告",
            ),
            step(
                "公示",
                "申请人所在村（社区）",
                7,
                ND,
                "在村（社区）公示栏公示申请人姓名、家庭人口和拟保障金额",
                "公示结果",
            ),
            step(
                "审核确认",
                CIVIL_AFFAIRS,
                9,
                WD,
                "对调查材料和公示情况审核，符合条件的确认保障金额",
                "最低生活保障审核确认决定",
            ),
        ],
        "materials": [
            application_form("最低生活保障申请书（户主签字）"),
            id_card("共同生活家庭成员"),
            household_book(),
            authorisation(),
            material(
                "家庭收入和财产状况申报表",
                notes="如实填写工资、务工、经营、养老金等收入和存款、车辆、房产等财产",
            ),
            material(
                "残疾人证、重大疾病诊断证明等（如有）",
                kind=MaterialType.COPY,
                necessity=DEFERRABLE,
                source=MaterialSource.OTHER,
                issuing_body="残联或医疗机构",
                notes="容缺受理：可先行受理，5个工作日内补交",
            ),
        ],
        "bases": ["assistance_dibao", "dibao_confirmation", "sichuan_dibao"],
        "result": {
            "name": "最低生活保障审核确认决定书",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "审核确认前在申请人所在村（社区）公示7天；保障对象名单在村（社区）长期公布",
        },
        "faqs": [
            (
                "外出务工家庭成员的收入要计算吗？",
                "要计算。共同生活的家庭成员的工资、务工等收入均计入家庭收入，按实际收入或当地认定办法核算。",
            ),
            (
                "对审核确认结果有异议怎么办？",
                "可在公示期内向本中心或区民政局反映；对审核确认决定不服的，可依法申请行政复议或提起行政诉讼。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "临时救助",
        "summary": (
            "对因火灾、交通事故、突发重大疾病等原因导致基本生活暂时出现严重困难的家庭或个人，给予应急性、过渡性救助。"
            "情况紧急的可先行救助、事后补齐手续。（演示）"
        ),
        "applicant_scope": "基本生活暂时出现严重困难的本地户籍家庭或个人，以及在本地遭遇急难的非本地户籍人员",
        "conditions": [
            "因火灾、交通事故等意外事件，或家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难。",
            "因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障家庭。",
            "遭遇其他特殊困难、基本生活无法保障的家庭或个人；非本地户籍人员可向急难发生地申请。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": f"{CIVIL_AFFAIRS}（小额救助委托乡镇人民政府审批）",
        "statutory": (15, WD, "按本区临时救助实施办法执行"),
        "promised": (10, WD, "急难型救助可先行救助，事后补齐手续"),
        "special_procedures": "家庭经济状况核查和村（社区）公示；急难型救助可先行救助后补充公示",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "需核验申请人身份并签署家庭经济状况核对授权书"),
        "channels": {"window"},
        "modes": {"proxy", "home_visit", "green"},
        "mode_note": "遭遇急难的群众可走绿色通道，先行救助；村（社区）代办员可代为申请。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "材料齐全的当场受理；情况紧急的先行受理", "受理回执"),
            step(
                "调查核实",
                f"{TOWNSHIP_GOV}，{VILLAGE_COMMITTEE}协助",
                5,
                WD,
                "入户核实困难情形和家庭经济状况",
                "调查核实意见",
            ),
            step("审核", TOWNSHIP_GOV, 2, WD, "提出救助意见和救助金额", "审核意见"),
            step("审批", CIVIL_AFFAIRS, 2, WD, "符合条件的批准并确定救助金额", "临时救助审批结果"),
        ],
        "materials": [
            application_form("临时救助申请书"),
            id_card(),
            household_book(),
            authorisation(),
            material(
                "导致困难的相关证明（医疗费用票据、事故证明、火灾证明等）",
                kind=MaterialType.COPY,
                necessity=DEFERRABLE,
                source=MaterialSource.OTHER,
                notes="容缺受理：急难情况可先行救助，事后补交",
            ),
        ],
        "bases": ["assistance_temporary", "temporary_relief_notice"],
        "result": {
            "name": "临时救助审批结果通知",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "救助结果在申请人所在村（社区）公示",
        },
        "faqs": [
            (
                "不是本地户籍，在本镇遇到急难可以申请吗？",
                "可以。非本地户籍人员遭遇急难的，可向急难发生地的乡镇（街道）申请临时救助。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "特困人员救助供养",
        "summary": (
            "对无劳动能力、无生活来源、无法定赡养抚养扶养义务人（或其义务人无履行能力）的老年人、残疾人和未满16周岁的未成年人，"
            "提供基本生活、照料服务、疾病治疗和殡葬事宜办理等救助供养，可选择分散供养或在敬老院集中供养。（演示）"
        ),
        "applicant_scope": "户籍在本乡镇（街道）的老年人、残疾人和未满16周岁的未成年人",
        "conditions": [
            "无劳动能力：年满60周岁的老年人，一级、二级残疾人或三级智力、精神残疾人，或未满16周岁的未成年人。",
            "无生活来源：收入低于本区特困人员救助供养标准，且财产状况符合规定。",
            "无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": CIVIL_AFFAIRS,
        "statutory": (30, WD, "公示期不计入"),
        "promised": (20, WD, "公示期不计入"),
        "special_procedures": "入户调查、生活自理能力评估；确认前在申请人所在村（社区）公示7天",
        "handling_class": HandlingClass.FORWARDED,
        "visits": (
            1,
            "需核验申请人身份并签署家庭经济状况核对授权书；失能、半失能人员可申请上门受理",
        ),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_2,
        "modes": {"proxy", "home_visit"},
        "mode_note": "失能、半失能人员由工作人员上门受理和评估；村（社区）代办员可代为申请。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "材料齐全的当场受理；材料不全的一次性告知", "受理回执"),
            step(
                "调查审核",
                f"{TOWNSHIP_GOV}，{VILLAGE_COMMITTEE}协助",
                12,
                WD,
                "入户调查、生活自理能力评估、信息核对",
                "审核意见",
            ),
            step("公示", "申请人所在村（社区）", 7, ND, "公示申请人姓名和拟供养方式", "公示结果"),
            step(
                "确认",
                CIVIL_AFFAIRS,
                7,
                WD,
                "符合条件的确认为特困人员，确定供养形式和照料护理标准",
                "特困人员认定结果",
            ),
        ],
        "materials": [
            application_form("特困人员救助供养申请书"),
            id_card(),
            household_book(),
            authorisation(),
            material(
                "残疾人证（残疾人申请时提供）",
                necessity=OPTIONAL,
                source=MaterialSource.GOVERNMENT,
                issuing_body="县级残疾人联合会",
                notes="原件现场核验后退回",
            ),
        ],
        "bases": ["assistance_hardship", "hardship_confirmation"],
        "result": {
            "name": "特困人员救助供养证",
            "type": ResultType.CERTIFICATE,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "认定结果在申请人所在村（社区）公示7天",
        },
        "faqs": [
            (
                "特困人员可以住敬老院吗？",
                "可以。具备生活自理能力的可选择在家分散供养；生活不能自理的优先安排到敬老院等供养服务机构集中供养。",
            ),
            (
                "已经享受低保的可以申请特困供养吗？",
                "符合特困人员条件的可以申请，认定为特困人员后不再同时享受低保。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "80周岁以上老年人高龄津贴发放",
        "summary": "对年满80周岁的本区户籍老年人按月发放高龄津贴，标准按年龄段分档，资金发放至本人社会保障卡。（演示）",
        "applicant_scope": "户籍在本乡镇（街道）、年满80周岁的老年人",
        "conditions": [
            "具有本区户籍。",
            "年满80周岁（以居民身份证登记的出生日期为准）。",
            "未因其他原因停发高龄津贴。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": CIVIL_AFFAIRS,
        "statutory": (20, WD, ""),
        "promised": (10, WD, "审批通过后次月起发放"),
        "handling_class": HandlingClass.PROMISED,
        "visits": (0, ""),
        "channels": {"window", "online"},
        "online_depth": OnlineDepth.LEVEL_4,
        "modes": {"proxy", "home_visit"},
        "mode_note": "全程不用跑：可网上申请，也可由村（社区）代办员上门采集信息代为申请。",
        "fees": [],
        "steps": [
            step(
                "申请受理", f"{CENTER}或村（社区）代办员", 1, WD, "核对年龄和户籍信息", "受理回执"
            ),
            step("审核", TOWNSHIP_GOV, 5, WD, "核对户籍、年龄和是否在世", "审核意见"),
            step("审批", CIVIL_AFFAIRS, 4, WD, "按年龄段确定津贴标准", "审批结果"),
        ],
        "materials": [
            id_card("老年人"),
            household_book(),
            social_security_card(),
            material(
                "代办人居民身份证（委托代办时提供）",
                necessity=OPTIONAL,
                source=MaterialSource.GOVERNMENT,
                issuing_body="公安机关",
                notes="原件现场核验后退回",
            ),
        ],
        "bases": ["elderly_law", "elderly_sichuan"],
        "result": {
            "name": "高龄津贴审批结果（按月发放至本人社会保障卡）",
            "type": ResultType.OTHER,
            "delivery": [ResultDelivery.VILLAGE],
            "publicity": "享受高龄津贴人员名单在村（社区）公开",
        },
        "faqs": [
            (
                "高龄津贴什么时候开始发？",
                "审批通过后次月起按月发放；满80周岁当月即可申请。",
            ),
        ],
        "window": "assistance",
    },
    {
        "item": "事实无人抚养儿童认定及基本生活补贴发放",
        "summary": (
            "对父母双方均重残、重病、服刑在押、强制隔离戒毒或失联等，或一方死亡、失踪而另一方符合上述情形的儿童，"
            "认定为事实无人抚养儿童并按月发放基本生活补贴。（演示）"
        ),
        "applicant_scope": "户籍在本乡镇（街道）、未满18周岁的事实无人抚养儿童，由其监护人申请",
        "conditions": [
            "儿童户籍在本区，年龄未满18周岁。",
            "父母双方均符合重残、重病、服刑在押、强制隔离戒毒、被执行其他限制人身自由的措施、失联情形之一。",
            "或父母一方死亡或失踪，另一方符合上述情形之一。",
        ],
        "role": TownshipRole.ACCEPT_AND_FORWARD,
        "deciding_body": CIVIL_AFFAIRS,
        "statutory": (30, WD, ""),
        "promised": (20, WD, ""),
        "handling_class": HandlingClass.FORWARDED,
        "visits": (1, "需监护人到场核验身份，并由工作人员了解儿童生活情况"),
        "channels": {"window"},
        "modes": {"proxy", "home_visit"},
        "mode_note": "儿童主任、村（社区）代办员可协助监护人申请，工作人员可上门核实。",
        "fees": [],
        "steps": [
            step("申请受理", CENTER, 1, WD, "材料齐全的当场受理", "受理回执"),
            step(
                "调查审核",
                f"{TOWNSHIP_GOV}，村（社区）儿童主任协助",
                12,
                WD,
                "核实父母情况和儿童生活状况",
                "审核意见",
            ),
            step("认定审批", CIVIL_AFFAIRS, 7, WD, "符合条件的认定并确定补贴发放时间", "认定结果"),
        ],
        "materials": [
            application_form("事实无人抚养儿童认定申请书（监护人签字）"),
            household_book("儿童"),
            id_card("监护人"),
            material(
                "父母情况证明材料（死亡证明、残疾人证、诊断证明、服刑通知书、失联报案回执等）",
                kind=MaterialType.COPY,
                source=MaterialSource.OTHER,
                notes="按父母实际情形提供相应材料",
            ),
        ],
        "bases": ["de_facto_orphans"],
        "result": {
            "name": "事实无人抚养儿童认定结果通知",
            "type": ResultType.DOCUMENT,
            "delivery": [ResultDelivery.WINDOW, ResultDelivery.VILLAGE],
            "publicity": "认定结果告知监护人，不公开儿童个人信息",
        },
        "faqs": [
            (
                "补贴标准是多少？",
                "参照本区孤儿基本生活保障标准确定，具体以区民政局公布的当年标准为准。",
            ),
        ],
        "window": "assistance",
    },
]
