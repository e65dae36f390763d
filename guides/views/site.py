"""The public layout around every page: header, breadcrumb, footer, elder mode.

Two small pieces the settings register:

* ``ElderModeMiddleware`` turns the elder mode (长辈模式) on with ``?elder=1`` and off with
  ``?elder=0`` on any URL, remembers the choice in a cookie, and sets ``request.elder_mode``.
* ``site_chrome`` (a template context processor) gives every template ``chrome``: the county
  portal, the current township, the breadcrumb and the footer contacts, computed lazily from
  the page Wagtail routed the request to, so pages without a ``get_context`` of their own
  (notices, village stations, the 404 page) get the same layout. It also gives
  ``page_extra``: the display context of the page types whose models do not call a context
  function themselves (``NoticePage``, ``VillageStationPage``).

Nothing here runs a query unless a template reads it.
"""

import datetime

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from wagtail.models import Page

from ..models import CountyPortalPage, TownshipPage
from ..models.lookups import ancestor, only_row
from .presenters import phone

ELDER_COOKIE = "elder"
ELDER_PARAM = "elder"
ELDER_COOKIE_AGE = datetime.timedelta(days=365)


def elder_choice(request):
    """True/False when the query string asks to switch the elder mode, else None."""
    value = request.GET.get(ELDER_PARAM)
    if value == "1":
        return True
    if value == "0":
        return False
    return None


def elder_mode_for(request):
    """Whether this request is shown in elder mode: the query string first, then the cookie."""
    if hasattr(request, "elder_mode"):
        return request.elder_mode
    choice = elder_choice(request)
    if choice is not None:
        return choice
    return request.COOKIES.get(ELDER_COOKIE) == "1"


class ElderModeMiddleware:
    """``?elder=1`` / ``?elder=0`` switch the elder mode and remember it in a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        choice = elder_choice(request)
        request.elder_mode = elder_mode_for(request)
        response = self.get_response(request)
        if choice is True:
            response.set_cookie(
                ELDER_COOKIE,
                "1",
                max_age=ELDER_COOKIE_AGE,
                samesite="Lax",
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif choice is False:
            response.delete_cookie(ELDER_COOKIE, samesite="Lax")
        patch_vary_headers(response, ("Cookie",))
        return response


def routed_page(request):
    """The page Wagtail served for this request (cached by Wagtail on the request), or None."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return None
    path = match.args[0] if match.args else match.kwargs.get("path", "")
    route = Page.route_for_request(request, path)
    return route[0] if route else None


class SiteChrome:
    """What the base layout shows around a page. Every attribute is computed on first use."""

    def __init__(self, request, page=None):
        self.request = request
        self._page = page

    @cached_property
    def page(self):
        return self._page if self._page is not None else routed_page(self.request)

    @cached_property
    def portal(self):
        page = self.page
        if isinstance(page, CountyPortalPage):
            return page
        township = self.township
        if township is not None and township.county is not None:
            return township.county
        return only_row(CountyPortalPage.objects.live())

    @cached_property
    def township(self):
        page = self.page
        if page is None:
            return None
        if isinstance(page, TownshipPage):
            return page
        township = getattr(page, "township", None)
        if isinstance(township, TownshipPage):
            return township
        if isinstance(page, CountyPortalPage):
            return None
        return ancestor(TownshipPage, page)

    @cached_property
    def site_name(self):
        portal = self.portal
        return portal.title if portal else getattr(settings, "WAGTAIL_SITE_NAME", "")

    @cached_property
    def portal_url(self):
        portal = self.portal
        return portal.get_url(self.request) if portal else "/"

    @cached_property
    def catalog_url(self):
        from .portal import catalog_url

        portal = self.portal
        return catalog_url(portal) if portal else ""

    @cached_property
    def township_url(self):
        return self.township.get_url(self.request) if self.township else ""

    @cached_property
    def breadcrumbs(self):
        """[(title, url)] from the portal down to the current page; the last one has no url."""
        page, portal = self.page, self.portal
        if page is None or portal is None:
            return []
        ancestors = (
            page.get_ancestors(inclusive=True).filter(depth__gte=portal.depth).order_by("depth")
        )
        crumbs = [(p.title, p.get_url(self.request)) for p in ancestors]
        if crumbs:
            crumbs[-1] = (crumbs[-1][0], "")
        return crumbs

    @cached_property
    def contact(self):
        """The footer: the township center when inside a township, else the county center."""
        township, portal = self.township, self.portal
        if township is not None:
            return {
                "name": township.display_center_name,
                "address": township.address,
                "hours": township.hours,
                "consultation": phone(township.consultation_phone),
                "supervision": phone(township.supervision_phone),
            }
        if portal is not None:
            return {
                "name": portal.title,
                "address": portal.address,
                "hours": "",
                "consultation": phone(portal.consultation_phone),
                "supervision": phone(portal.supervision_phone),
            }
        return {}

    @property
    def html_lang(self):
        """The BCP 47 tag of the language the page is rendered in: 'zh-Hans' by default."""
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        if language.startswith("zh"):
            return "zh-Hant" if language in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"} else "zh-Hans"
        return language

    @cached_property
    def elder_mode(self):
        return elder_mode_for(self.request)

    @cached_property
    def elder_toggle_url(self):
        """The current URL with the elder mode switched the other way."""
        query = self.request.GET.copy()
        query[ELDER_PARAM] = "0" if self.elder_mode else "1"
        return f"{self.request.path}?{query.urlencode()}"


def render_in_site(request, template, context, *, page=None, status=200, index=True):
    """A view's own page (not a Wagtail page) in the site's layout: the chrome around ``page``
    (a township or a guide; the portal when None) and breadcrumbs from the portal through
    ``page`` to the context's ``title``. ``index=False`` asks search engines not to index it."""
    chrome = SiteChrome(request, page=page)
    portal = chrome.portal
    crumbs = [(portal.title, portal.get_url(request))] if portal else []
    if page is not None and page is not portal:
        crumbs.append((page.title, page.get_url(request)))
    crumbs.append((context.get("title", ""), ""))
    response = TemplateResponse(
        request, template, {"chrome": chrome, "crumbs": crumbs, **context}, status=status
    )
    if not index:
        response["X-Robots-Tag"] = "noindex"
    return response


def page_extra(request, chrome):
    """The display context of pages whose models have no ``get_context`` of their own."""
    from ..models import NoticePage, VillageStationPage
    from .notices import notice_context
    from .village import village_context

    page = chrome.page
    if isinstance(page, NoticePage):
        return notice_context(page, request)
    if isinstance(page, VillageStationPage):
        return village_context(page, request)
    return {}


def site_chrome(request):
    """Template context processor: ``chrome`` and ``page_extra`` (both lazy)."""
    chrome = SiteChrome(request)
    return {
        "chrome": chrome,
        "page_extra": SimpleLazyObject(lambda: page_extra(request, chrome)),
    }
