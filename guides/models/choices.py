"""Code lists from the national standards (see ../shared/docs/standards.md and docs/domain-model.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")


class VillageKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")


class ItemType(models.TextChoices):
    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    ENFORCEMENT = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    BENEFIT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


class ExerciseLevel(models.TextChoices):
    NATIONAL = "1", _("国家级")
    PROVINCIAL = "2", _("省级")
    CITY = "3", _("市级")
    COUNTY = "4", _("县级")
    TOWNSHIP = "5", _("镇（乡、街道）级")
    VILLAGE = "6", _("村（社区）级")


class ServiceObject(models.TextChoices):
    PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    INSTITUTION = "3", _("事业单位法人")
    SOCIAL_ORG = "4", _("社会组织法人")
    NON_LEGAL_ENTERPRISE = "5", _("非法人企业")
    ORGAN = "6", _("行政机关")
    OTHER = "9", _("其他组织")


class HandlingClass(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    PROMISED = "promised", _("承诺件")
    JOINT = "joint", _("联办件")
    FORWARDED = "forwarded", _("上报件")
    ASSISTED = "assisted", _("协办件")
    PROXY = "proxy", _("代办件")


class ItemStatus(models.TextChoices):
    IN_USE = "in_use", _("在用")
    SUSPENDED = "suspended", _("暂停")
    CANCELLED = "cancelled", _("取消")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("个工作日")
    NATURAL_DAYS = "natural_days", _("个自然日")
    HOURS = "hours", _("小时")
    ON_THE_SPOT = "on_the_spot", _("当场办结")


class OnlineDepth(models.IntegerChoices):
    NONE = 0, _("不可网办")
    LEVEL_1 = 1, _("一级（网上咨询、下载表格）")
    LEVEL_2 = 2, _("二级（网上预审）")
    LEVEL_3 = 3, _("三级（网上受理，到现场领取结果）")
    LEVEL_4 = 4, _("四级（全程网办）")


class TownshipRole(models.TextChoices):
    ACCEPT_AND_DECIDE = "decide", _("本中心受理并办结")
    ACCEPT_AND_FORWARD = "forward", _("本中心受理，报上级部门审批")
    PROXY = "proxy", _("本中心代办，上级部门办理")


class FeeStatus(models.TextChoices):
    FREE = "free", _("不收费")
    CHARGED = "charged", _("收费")


class MaterialType(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件和复印件")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    BOTH = "both", _("纸质和电子")


class MaterialNecessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    OPTIONAL = "optional", _("非必要")
    DEFERRABLE = "deferrable", _("容缺（可后补）")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    GOVERNMENT = "government", _("政府部门核发")
    OTHER = "other", _("其他")


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", _("出证")
    DOCUMENT = "document", _("出文")
    APPROVAL = "approval", _("审批")
    OTHER = "other", _("其他")
    NONE = "none", _("无结果文书")


class ResultDelivery(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子证照")
    VILLAGE = "village", _("村（社区）代办员送达")


class BasisStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已修订")
    REPEALED = "repealed", _("已废止")


class BasisKind(models.TextChoices):
    LAW = "law", _("法律")
    ADMIN_REGULATION = "admin_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("规范性文件")
    POLICY = "policy", _("政策文件")


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    POSTING = "posting", _("公示")
    VAN_SCHEDULE = "van_schedule", _("巡回服务")
    POLICY = "policy", _("政策解读")
