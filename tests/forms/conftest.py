"""Fixtures for online applications: a guide that accepts them, villages, applications."""

import pytest
from django.core.cache import cache
from stdnum.cn import ric

from forms.submission import Applicant, Submission, create_application
from guides import factories
from guides.models import GuideMaterial, ServiceGuidePage
from guides.models.choices import MaterialNecessity


def valid_id_number(area="511602", birth="19560317", order="123"):
    body = f"{area}{birth}{order}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def village(township):
    return factories.VillageStationPageFactory(
        parent=township, title="石笋村", code=f"{township.code}201"
    )


@pytest.fixture
def online_guide(township):
    """A live guide accepting online applications: a required and a deferrable material."""
    guide = factories.ServiceGuidePageFactory(parent=township, channel_online=True)
    guide.materials.add(
        GuideMaterial(name="户口簿", necessity=MaterialNecessity.DEFERRABLE, copies=1, sort_order=1)
    )
    guide.save_revision().publish()
    return ServiceGuidePage.objects.get(pk=guide.pk)


def applicant(**overrides):
    values = {
        "name": "张秀英",
        "id_number": valid_id_number(),
        "mobile": "13812345678",
        "address": "3组25号",
    }
    values.update(overrides)
    return Applicant(**values)


@pytest.fixture
def make_application(online_guide):
    def make(guide=None, **overrides):
        return create_application(
            Submission(guide=guide or online_guide, applicant=applicant(**overrides))
        )

    return make
