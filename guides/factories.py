"""Factories shared by the tests and the demo loader. Deterministic: seed with ``reset_seed()``.

``ServiceGuidePageFactory`` builds a guide that passes the publish gate; tests remove what
they want to see refused.
"""

import datetime
import random
from decimal import Decimal

import factory
import factory.random
import wagtail_factories
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from wagtail.documents import get_document_model

from . import models
from .models.choices import (
    BasisKind,
    BasisStatus,
    ExerciseLevel,
    FeeStatus,
    HandlingClass,
    ItemType,
    MaterialNecessity,
    NoticeKind,
    ResultDelivery,
    ResultType,
    ServiceObject,
    TimeUnit,
    TownshipRole,
)
from .text import pinyin_slug

SEED = 511602


def reset_seed(seed=SEED):
    """Make every factory sequence and random choice repeatable."""
    factory.random.reseed_random(seed)
    random.seed(seed)


class DepartmentFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"区测试局{n}")
    code = factory.Sequence(lambda n: f"11511301TEST{n:05d}")

    class Meta:
        model = models.Department
        django_get_or_create = ("name",)


class ServiceItemFactory(DjangoModelFactory):
    local_code = factory.Sequence(lambda n: f"512B9{n:09d}-511602000000-000-TEST-1-00")
    name = factory.Sequence(lambda n: f"测试服务事项{n}")
    item_type = ItemType.PUBLIC_SERVICE
    department = factory.SubFactory(DepartmentFactory)
    area_code = "511602000000"
    exercise_levels = factory.LazyFunction(lambda: [ExerciseLevel.COUNTY, ExerciseLevel.TOWNSHIP])
    service_objects = factory.LazyFunction(lambda: [ServiceObject.PERSON])
    handling_class = HandlingClass.PROMISED

    class Meta:
        model = models.ServiceItem
        django_get_or_create = ("local_code",)


class DocumentFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"样本文件{n}")
    file = factory.LazyAttribute(
        lambda o: ContentFile(
            b"%PDF-1.4\n% demo sample\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="sample.pdf"
        )
    )

    class Meta:
        model = get_document_model()


class LegalBasisFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"测试条例{n}")
    kind = BasisKind.ADMIN_REGULATION
    issuing_authority = "国务院"
    document_number = factory.Sequence(lambda n: f"国务院令第{600 + n}号")
    article = "第一条"
    clause_text = "测试条款内容。"
    status = BasisStatus.IN_FORCE

    class Meta:
        model = models.LegalBasis


class FeeStandardFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"测试收费项目{n}")
    amount = Decimal("10.00")
    unit = "元/件"
    basis_document = "《四川省发展和改革委员会关于……的通知》（川发改价格〔2020〕1号）"
    issuing_authority = "四川省发展和改革委员会"

    class Meta:
        model = models.FeeStandard


class PageFactoryBase(wagtail_factories.PageFactory):
    slug = factory.LazyAttribute(lambda o: pinyin_slug(o.title))

    class Meta:
        abstract = True


class CountyPortalPageFactory(PageFactoryBase):
    title = "广安区便民服务网"
    slug = "guangan"
    code = "511602"
    address = "广安市广安区政务服务中心"
    consultation_phone = "0826-2345000"
    supervision_phone = "0826-2345999"
    reconsideration_body = "广安区人民政府"
    litigation_court = "广安区人民法院"

    class Meta:
        model = models.CountyPortalPage


class TownshipPageFactory(PageFactoryBase):
    title = factory.Sequence(lambda n: f"测试{n}镇")
    code = factory.Sequence(lambda n: f"511602{150 + n % 50:03d}")
    address = factory.LazyAttribute(lambda o: f"{o.title}便民服务中心一楼大厅")
    hours = "周一至周五 9:00–12:00，13:30–17:30（法定节假日除外）"
    consultation_phone = factory.Sequence(lambda n: f"0826-26{n % 100000:05d}")
    supervision_phone = factory.Sequence(lambda n: f"0826-27{n % 100000:05d}")

    class Meta:
        model = models.TownshipPage


class VillageStationPageFactory(PageFactoryBase):
    title = factory.Sequence(lambda n: f"测试{n}村")
    code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.parent.specific.code}{200 + n % 199:03d}"
    )
    agent_name = "张代办"
    agent_phone = "13800000000"

    class Meta:
        model = models.VillageStationPage


class ServiceWindowFactory(DjangoModelFactory):
    number = factory.Sequence(lambda n: f"{n + 1}")
    name = "综合受理窗口"
    handles = "社会救助、社会保障、残疾人服务"

    class Meta:
        model = models.ServiceWindow


class ServiceGuidePageFactory(PageFactoryBase):
    """A complete guide: it passes the publish gate as built."""

    title = factory.LazyAttribute(lambda o: o.item.name)
    item = factory.SubFactory(ServiceItemFactory)
    summary = "为符合条件的居民办理本事项。"
    service_objects = factory.LazyFunction(lambda: [ServiceObject.PERSON])
    applicant_scope = "户籍在本乡镇的居民"
    township_role = TownshipRole.ACCEPT_AND_FORWARD
    deciding_body = "广安区民政局"
    statutory_limit_value = 30
    statutory_limit_unit = TimeUnit.WORKING_DAYS
    promised_limit_value = 20
    promised_limit_unit = TimeUnit.WORKING_DAYS
    handling_class = HandlingClass.PROMISED
    max_visits = 1
    visits_reason = "需核验申请人身份证件原件"
    fee_status = FeeStatus.FREE
    result_name = "审批决定书"
    result_type = ResultType.DOCUMENT
    result_delivery = factory.LazyFunction(lambda: [ResultDelivery.WINDOW])
    result_sample = factory.SubFactory(DocumentFactory)

    class Meta:
        model = models.ServiceGuidePage
        skip_postgeneration_save = True

    @factory.post_generation
    def rows(obj, create, extracted, **kwargs):
        # Explicit sort_order: rows added without one have no defined order (NULLs sort first
        # on SQLite, last on PostgreSQL).
        if not create or extracted is False:
            return
        obj.conditions.add(
            models.GuideCondition(text="户籍在本乡镇，符合本事项规定条件的居民。", sort_order=0)
        )
        obj.steps.add(
            models.GuideStep(
                name="受理",
                sort_order=0,
                actor="乡镇便民服务中心",
                time_limit_value=1,
                time_limit_unit=TimeUnit.WORKING_DAYS,
                standard="材料齐全、符合法定形式",
            )
        )
        obj.steps.add(
            models.GuideStep(
                name="审批",
                sort_order=1,
                actor="区级主管部门",
                time_limit_value=19,
                time_limit_unit=TimeUnit.WORKING_DAYS,
                result="审批决定",
            )
        )
        obj.materials.add(
            models.GuideMaterial(
                name="申请人居民身份证",
                necessity=MaterialNecessity.REQUIRED,
                copies=1,
                sort_order=0,
            )
        )
        obj.legal_bases.add(models.GuideLegalBasis(legal_basis=LegalBasisFactory(), sort_order=0))
        obj.save()
        revision = obj.save_revision()
        if obj.live:
            revision.publish()


class NoticeIndexPageFactory(PageFactoryBase):
    title = "通知公告"
    slug = "notices"

    class Meta:
        model = models.NoticeIndexPage


class NoticePageFactory(PageFactoryBase):
    title = factory.Sequence(lambda n: f"测试通知{n}")
    kind = NoticeKind.NOTICE
    date = factory.LazyFunction(datetime.date.today)
    summary = "测试通知摘要。"
    body = "<p>测试通知正文。</p>"

    class Meta:
        model = models.NoticePage


class WindowDutyFactory(DjangoModelFactory):
    """A person on duty at a window (appended for the demo loader)."""

    window = factory.SubFactory(ServiceWindowFactory)
    staff_name = "李值班"
    role = "窗口受理员（A岗）"
    days = "周一至周五"

    class Meta:
        model = models.WindowDuty


class VanStopFactory(DjangoModelFactory):
    """A stop of the mobile service van; give it a ``notice`` and a ``village``."""

    date = factory.LazyFunction(datetime.date.today)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 30)
    location = "村党群服务中心院坝"
    services = "社保认证、医保缴费、政策咨询"

    class Meta:
        model = models.VanStop
