import pytest
from django.conf import settings
from django.utils import translation

from guides import factories
from tests.places import make_other_township, make_portal, make_township


@pytest.fixture(autouse=True)
def _seed():
    factories.reset_seed()


@pytest.fixture(autouse=True)
def _language():
    """Each test starts in the site's language; a request in English must not leak into the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def portal(db):
    return make_portal()


@pytest.fixture
def township(portal):
    return make_township(portal)


@pytest.fixture
def other_township(portal):
    return make_other_township(portal)


@pytest.fixture
def guide(township):
    return factories.ServiceGuidePageFactory(parent=township)
