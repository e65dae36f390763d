import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from guides import factories


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
    root = Page.get_first_root_node()
    portal = factories.CountyPortalPageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = portal
    site.hostname = "testserver"
    site.save()
    return portal


@pytest.fixture
def township(portal):
    return factories.TownshipPageFactory(parent=portal, title="官盛镇", code="511602101")


@pytest.fixture
def other_township(portal):
    return factories.TownshipPageFactory(parent=portal, title="协兴镇", code="511602102")


@pytest.fixture
def guide(township):
    return factories.ServiceGuidePageFactory(parent=township)
