"""The shared library of the demo: legal bases (法律/政策依据) and fee standards (收费标准).

Titles, issuing bodies and document numbers are real. Articles are given only where the cited
article is well known; otherwise the article is left blank and the document is cited as a
whole. Clause texts are short summaries in the spirit of the source, not quotations: they are
demo text (docs/demo.md). Rows are found again by (title, article) and by fee name.
"""

import datetime
from decimal import Decimal

from .. import factories
from ..models import FeeStandard, LegalBasis
from ..models.choices import BasisKind, BasisStatus

NPC_SC = "全国人民代表大会常务委员会"
STATE_COUNCIL = "国务院"
GENERAL_OFFICE = "国务院办公厅"
MCA = "民政部"
SUMMARY = "（条款摘要，演示）"


def _basis(title, kind, authority, number="", article="", clause="", effective=None, **extra):
    return {
        "title": title,
        "kind": kind,
        "issuing_authority": authority,
        "document_number": number,
        "article": article,
        "clause_text": clause + SUMMARY if clause else "",
        "effective_date": effective,
        **extra,
    }


SOCIAL_ASSISTANCE = "社会救助暂行办法"
LAW_DISABLED = "中华人民共和国残疾人保障法"
LAW_SOCIAL_INSURANCE = "中华人民共和国社会保险法"
LAW_EMPLOYMENT = "中华人民共和国就业促进法"
LAW_FOREST = "中华人民共和国森林法"
LAW_ID_CARD = "中华人民共和国居民身份证法"

# key → fields of one LegalBasis row.
LEGAL_BASES = {
    "assistance_dibao": _basis(
        SOCIAL_ASSISTANCE,
        BasisKind.ADMIN_REGULATION,
        STATE_COUNCIL,
        "国务院令第649号",
        "第九条、第十一条",
        "国家对共同生活的家庭成员人均收入低于当地最低生活保障标准、且符合当地家庭财产状况规定的家庭给予最低生活保障；"
        "申请由共同生活的家庭成员向户籍所在地乡镇人民政府、街道办事处书面提出，经调查核实、公示后由县级民政部门审批并公布。",
        datetime.date(2014, 5, 1),
    ),
    "assistance_hardship": _basis(
        SOCIAL_ASSISTANCE,
        BasisKind.ADMIN_REGULATION,
        STATE_COUNCIL,
        "国务院令第649号",
        "第十四条、第十六条",
        "国家对无劳动能力、无生活来源、且无法定赡养抚养扶养义务人或者其法定义务人无履行义务能力的老年人、残疾人以及未满16周岁的未成年人给予特困人员供养；"
        "申请由本人向户籍所在地乡镇人民政府、街道办事处书面提出，经审核、公示后由县级民政部门审批。",
        datetime.date(2014, 5, 1),
    ),
    "assistance_temporary": _basis(
        SOCIAL_ASSISTANCE,
        BasisKind.ADMIN_REGULATION,
        STATE_COUNCIL,
        "国务院令第649号",
        "第四十七条、第四十八条",
        "对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因导致基本生活暂时出现严重困难的家庭给予临时救助；"
        "申请向乡镇人民政府、街道办事处提出，经审核、公示后由县级民政部门审批，情况紧急的可以简化审批手续。",
        datetime.date(2014, 5, 1),
    ),
    "assistance_medical": _basis(
        SOCIAL_ASSISTANCE,
        BasisKind.ADMIN_REGULATION,
        STATE_COUNCIL,
        "国务院令第649号",
        "第二十八条、第二十九条",
        "最低生活保障家庭成员、特困供养人员等可以申请医疗救助；医疗救助包括对参加城乡居民基本医疗保险的个人缴费部分给予补贴，"
        "以及对经基本医疗保险、大病保险等支付后个人难以承担的基本医疗自负费用给予补助。",
        datetime.date(2014, 5, 1),
    ),
    "dibao_confirmation": _basis(
        "最低生活保障审核确认办法",
        BasisKind.NORMATIVE,
        MCA,
        "民发〔2021〕57号",
        "",
        "规范最低生活保障的申请受理、家庭经济状况调查、审核确认、公示和动态管理，审核确认结果在申请家庭所在村（社区）公示。",
        datetime.date(2021, 7, 1),
    ),
    "sichuan_dibao": _basis(
        "四川省最低生活保障工作规程",
        BasisKind.NORMATIVE,
        "四川省民政厅",
        "",
        "",
        "细化本省最低生活保障的申请、受理、调查核实、审核确认、公示、资金发放和动态管理程序。",
    ),
    "hardship_confirmation": _basis(
        "特困人员认定办法",
        BasisKind.NORMATIVE,
        MCA,
        "民发〔2021〕43号",
        "",
        "同时具备无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其法定义务人无履行义务能力条件的老年人、残疾人和未成年人，应当依法纳入特困人员救助供养范围。",
        datetime.date(2021, 5, 1),
    ),
    "temporary_relief_notice": _basis(
        "国务院关于全面建立临时救助制度的通知",
        BasisKind.NORMATIVE,
        STATE_COUNCIL,
        "国发〔2014〕47号",
        "",
        "明确临时救助的对象、申请受理、审核审批和救助方式；对急难情况可先行救助，事后补齐手续。",
    ),
    "de_facto_orphans": _basis(
        "关于进一步加强事实无人抚养儿童保障工作的意见",
        BasisKind.NORMATIVE,
        "民政部等12部门",
        "民发〔2019〕62号",
        "",
        "将父母双方均符合重残、重病、服刑在押、强制隔离戒毒、被执行其他限制人身自由的措施、失联情形之一的儿童，"
        "或父母一方死亡或失踪、另一方符合上述情形之一的儿童，纳入保障范围，参照孤儿标准发放基本生活补贴。",
    ),
    "disabled_protection": _basis(
        LAW_DISABLED,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第四十八条",
        "各级人民政府对生活确有困难的残疾人给予社会救助；对贫困残疾人的基本医疗、康复服务、必要的辅助器具的配置和更换按照规定给予救助；"
        "对生活不能自理的残疾人，地方各级人民政府应当根据情况给予护理补贴。",
    ),
    "disabled_subsidies": _basis(
        "国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见",
        BasisKind.NORMATIVE,
        STATE_COUNCIL,
        "国发〔2015〕52号",
        "",
        "困难残疾人生活补贴主要补助低保家庭中残疾人因残疾产生的额外生活支出；重度残疾人护理补贴主要补助残疾等级为一级、二级且需长期照护的重度残疾人的护理支出。"
        "申请人向户籍所在地乡镇人民政府（街道办事处）提交书面申请，县级民政部门会同残联审核审批。",
        datetime.date(2016, 1, 1),
    ),
    "disability_certificate": _basis(
        "中华人民共和国残疾人证管理办法",
        BasisKind.NORMATIVE,
        "中国残疾人联合会",
        "",
        "第三条",
        "残疾人证坚持申领自愿、属地管理原则，符合残疾标准的视力、听力、言语、肢体、智力、精神及多重残疾人均可申领。",
    ),
    "disability_certificate_management": _basis(
        "中华人民共和国残疾人证管理办法",
        BasisKind.NORMATIVE,
        "中国残疾人联合会",
        "",
        "",
        "残疾人证有效期满、证件损毁或遗失的，持证人可以按规定申请换领或者挂失补办，由县级残联审核发放。",
    ),
    "barrier_free": _basis(
        "中华人民共和国无障碍环境建设法",
        BasisKind.LAW,
        NPC_SC,
        "",
        "",
        "国家支持对残疾人、老年人家庭进行无障碍设施改造，对符合条件的困难家庭给予适当补贴。",
        datetime.date(2023, 9, 1),
    ),
    "resident_pension": _basis(
        LAW_SOCIAL_INSURANCE,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第二十条至第二十二条",
        "国家建立和完善城乡居民社会养老保险制度，实行个人缴费、集体补助和政府补贴相结合，待遇由基础养老金和个人账户养老金组成。",
    ),
    "resident_medical": _basis(
        LAW_SOCIAL_INSURANCE,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第二十五条",
        "国家建立和完善城镇居民基本医疗保险制度；享受最低生活保障的人、丧失劳动能力的残疾人等所需个人缴费部分，由政府给予补贴。",
    ),
    "unified_pension": _basis(
        "国务院关于建立统一的城乡居民基本养老保险制度的意见",
        BasisKind.NORMATIVE,
        STATE_COUNCIL,
        "国发〔2014〕8号",
        "",
        "年满16周岁（不含在校学生）、不属于职工基本养老保险覆盖范围的城乡居民可在户籍地参保；年满60周岁、累计缴费满15年且未领取国家规定的基本养老保障待遇的，按月领取养老金；"
        "距规定领取年龄不足15年的应逐年缴费，也允许补缴，累计缴费不超过15年。",
    ),
    "integrated_medical": _basis(
        "国务院关于整合城乡居民基本医疗保险制度的意见",
        BasisKind.NORMATIVE,
        STATE_COUNCIL,
        "国发〔2016〕3号",
        "",
        "整合城镇居民基本医疗保险和新型农村合作医疗，建立统一的城乡居民基本医疗保险制度，统一覆盖范围和筹资政策。",
    ),
    "catastrophic_medical": _basis(
        "国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见",
        BasisKind.NORMATIVE,
        GENERAL_OFFICE,
        "国办发〔2021〕42号",
        "",
        "对特困人员参加城乡居民基本医疗保险的个人缴费给予全额资助，对低保对象给予定额资助；对救助对象政策范围内个人自付医疗费用按规定比例给予救助。",
    ),
    "employment_registration": _basis(
        "就业服务与就业管理规定",
        BasisKind.RULE,
        "人力资源和社会保障部",
        "劳动和社会保障部令第28号",
        "",
        "劳动者就业、失业实行登记制度：用人单位招用人员应当办理就业登记；在法定劳动年龄内、有劳动能力和就业要求、处于无业状态的人员可以到常住地公共就业服务机构进行失业登记。",
        datetime.date(2008, 1, 1),
    ),
    "employment_assistance": _basis(
        LAW_EMPLOYMENT,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第五十二条",
        "各级人民政府建立健全就业援助制度，对因身体状况、技能水平、家庭因素、失去土地等原因难以实现就业的就业困难人员实行优先扶持和重点帮助。",
    ),
    "zero_employment": _basis(
        LAW_EMPLOYMENT,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第五十六条",
        "确保城市有就业需求的家庭至少有一人实现就业；法定劳动年龄内的家庭成员均处于失业状况的家庭，可以向住所地街道、社区公共就业服务机构申请就业援助。",
    ),
    "unemployment_insurance": _basis(
        "失业保险条例",
        BasisKind.ADMIN_REGULATION,
        STATE_COUNCIL,
        "国务院令第258号",
        "第十六条",
        "失业人员应当持用人单位出具的终止或者解除劳动关系的证明，及时到指定的社会保险经办机构办理失业登记。",
        datetime.date(1999, 1, 22),
    ),
    "graduates": _basis(
        "国务院办公厅关于进一步做好高校毕业生等青年就业创业工作的通知",
        BasisKind.NORMATIVE,
        GENERAL_OFFICE,
        "国办发〔2022〕13号",
        "",
        "做好离校未就业高校毕业生实名登记和跟踪服务，为有就业意愿的毕业生提供职业指导、岗位推荐、职业培训和就业见习等服务。",
    ),
    "forest_felling": _basis(
        LAW_FOREST,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第五十六条、第五十七条",
        "采伐林地上的林木应当申请采伐许可证并按许可证的规定采伐；农村居民采伐自留地和房前屋后个人所有的零星林木不需要申请。"
        "农村居民采伐自留山和个人承包集体林地上的林木，由县级人民政府林业主管部门或者其委托的乡镇人民政府核发采伐许可证。",
        datetime.date(2020, 7, 1),
    ),
    "family_planning_law": _basis(
        "中华人民共和国人口与计划生育法",
        BasisKind.LAW,
        NPC_SC,
        "",
        "",
        "国家对实行计划生育的家庭给予奖励和扶助；独生子女发生意外伤残、死亡的夫妻，按照规定获得扶助。",
    ),
    "family_planning_reward": _basis(
        "国务院办公厅转发人口计生委财政部关于开展对农村部分计划生育家庭实行奖励扶助制度试点工作意见的通知",
        BasisKind.NORMATIVE,
        GENERAL_OFFICE,
        "国办发〔2004〕21号",
        "",
        "对农村只有一个子女或两个女孩、年满60周岁的计划生育夫妻，按人年发放奖励扶助金，直至亡故。",
    ),
    "family_planning_special": _basis(
        "全国独生子女伤残死亡家庭扶助制度试点方案",
        BasisKind.NORMATIVE,
        "国家人口和计划生育委员会、财政部",
        "国人口发〔2007〕78号",
        "",
        "对独生子女死亡或伤残后未再生育或合法收养子女、女方年满49周岁的夫妻，按月发放特别扶助金。",
    ),
    "elderly_law": _basis(
        "中华人民共和国老年人权益保障法",
        BasisKind.LAW,
        NPC_SC,
        "",
        "第三十三条",
        "国家建立和完善老年人福利制度；国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。",
    ),
    "elderly_sichuan": _basis(
        "四川省老年人权益保障条例",
        BasisKind.LOCAL_REGULATION,
        "四川省人民代表大会常务委员会",
        "",
        "",
        "本省老年人凭老年人优待证或者居民身份证享受规定的优待服务；县级以上地方人民政府对高龄老年人按规定发放高龄津贴。",
    ),
    "id_card": _basis(
        LAW_ID_CARD,
        BasisKind.LAW,
        NPC_SC,
        "",
        "第十条、第十二条",
        "申请领取居民身份证，应当填写《居民身份证申领登记表》，交验居民户口簿；公安机关应当自公民提交申领登记表之日起六十日内发放居民身份证，"
        "急需使用的，可以申请领取临时居民身份证。",
        datetime.date(2004, 1, 1),
    ),
    "temporary_id_card": _basis(
        "临时居民身份证管理办法",
        BasisKind.RULE,
        "公安部",
        "公安部令第78号",
        "",
        "居民身份证在申领、换领、补领期间急需使用的，可以申请领取临时居民身份证，公安机关应当按照规定及时办理。",
    ),
    "household_registration": _basis(
        "中华人民共和国户口登记条例",
        BasisKind.LAW,
        NPC_SC,
        "",
        "第三条、第七条",
        "户口登记工作由各级公安机关主管；婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
        datetime.date(1958, 1, 9),
    ),
    "veterans_settlement": _basis(
        "退役士兵安置条例",
        BasisKind.ADMIN_REGULATION,
        "国务院、中央军事委员会",
        "国务院、中央军委令第608号",
        "",
        "退役士兵应当在规定时间内，持退出现役证件、介绍信到安置地县级人民政府退役士兵安置工作主管部门报到。",
        datetime.date(2011, 11, 1),
    ),
    # Kept in the library for reviewers; no published guide cites these two.
    "forest_felling_1998": _basis(
        LAW_FOREST + "（1998年修正）",
        BasisKind.LAW,
        NPC_SC,
        "",
        "第三十二条",
        "采伐林木必须申请采伐许可证，按许可证的规定进行采伐；农村居民采伐自留地和房前屋后个人所有的零星林木除外。",
        datetime.date(1998, 7, 1),
        status=BasisStatus.AMENDED,
        status_note="森林法已于2019年12月28日修订、2020年7月1日起施行，采伐许可改由修订后第五十六条、第五十七条规定。",
    ),
    "dibao_review_2012": _basis(
        "最低生活保障审核审批办法（试行）",
        BasisKind.NORMATIVE,
        MCA,
        "民发〔2012〕220号",
        "",
        "规定最低生活保障的申请受理、家庭经济状况调查、民主评议、审核审批和公示程序。",
        status=BasisStatus.REPEALED,
        status_note="已被《最低生活保障审核确认办法》（民发〔2021〕57号）替代并废止。",
    ),
}

ID_CARD_FEE_DOCUMENT = (
    "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"
)

# key → fields of one FeeStandard row.
FEE_STANDARDS = {
    "id_card": {
        "name": "居民身份证工本费（申领、换领）",
        "amount": Decimal("20.00"),
        "unit": "元/证",
        "basis_document": ID_CARD_FEE_DOCUMENT,
        "issuing_authority": "国家发展和改革委员会、财政部",
        "reducible": True,
        "reduction_note": "领取最低生活保障金的城市居民、有特殊生活困难的农村居民初次申领和换领时免收工本费。",
    },
    "id_card_lost": {
        "name": "居民身份证工本费（丢失补领、损坏换领）",
        "amount": Decimal("40.00"),
        "unit": "元/证",
        "basis_document": ID_CARD_FEE_DOCUMENT,
        "issuing_authority": "国家发展和改革委员会、财政部",
    },
    "temporary_id_card": {
        "name": "临时居民身份证工本费",
        "amount": Decimal("10.00"),
        "unit": "元/证",
        "basis_document": ID_CARD_FEE_DOCUMENT,
        "issuing_authority": "国家发展和改革委员会、财政部",
    },
}


def ensure_legal_bases():
    """Every demo legal basis, created once; key → LegalBasis."""
    rows = {}
    for key, fields in LEGAL_BASES.items():
        found = LegalBasis.objects.filter(title=fields["title"], article=fields["article"]).first()
        rows[key] = found or factories.LegalBasisFactory(**fields)
    return rows


def ensure_fee_standards():
    """Every demo fee standard, created once; key → FeeStandard."""
    rows = {}
    for key, fields in FEE_STANDARDS.items():
        found = FeeStandard.objects.filter(name=fields["name"]).first()
        rows[key] = found or factories.FeeStandardFactory(**fields)
    return rows
