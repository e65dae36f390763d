"""The county portal and its two test townships, for fixtures of any scope."""

from wagtail.models import Page, Site

from guides import factories


def make_portal():
    """The county portal as the default site's root (host ``testserver``)."""
    portal = factories.CountyPortalPageFactory(parent=Page.get_first_root_node())
    site = Site.objects.get(is_default_site=True)
    site.root_page = portal
    site.hostname = "testserver"
    site.save()
    return portal


def make_township(portal):
    return factories.TownshipPageFactory(parent=portal, title="官盛镇", code="511602101")


def make_other_township(portal):
    return factories.TownshipPageFactory(parent=portal, title="协兴镇", code="511602102")
