"""Public transparency pages: a township's disclosure catalog and a guide's change history."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..models import DisclosureCategory, ServiceGuidePage, TownshipPage
from ..views.site import SiteChrome
from .catalog import catalog_entries
from .history import change_history

PER_PAGE = 50


def _chrome(request, page, last_title):
    """The site layout around a page of ours: the breadcrumb runs down to ``page``, then us."""
    chrome = SiteChrome(request, page=page)
    crumbs = [(title, url or page.get_url(request)) for title, url in chrome.breadcrumbs]
    chrome.__dict__["breadcrumbs"] = [*crumbs, (last_title, "")]
    return chrome


def catalog(request, code):
    """政府信息公开目录: index number, name, summary and date of every live guide and notice."""
    township = get_object_or_404(TownshipPage.objects.live().public(), code=code)
    title = _("政府信息公开目录")
    entries = Paginator(catalog_entries(township), PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(DisclosureCategory.choices)
    rows = [
        {
            "index_number": record.index_number,
            "title": record.title,
            "summary": record.summary,
            "date": record.date,
            "category": labels.get(record.category, ""),
            "url": record.page.get_url(request),
        }
        for record in entries
    ]
    return TemplateResponse(
        request,
        "guides/transparency/catalog.html",
        {
            "chrome": _chrome(request, township, title),
            "title": title,
            "township": township,
            "entries": entries,
            "rows": rows,
        },
    )


def guide_changes(request, guide_id):
    """The change history of a live guide's disclosures, newest first."""
    guide = get_object_or_404(ServiceGuidePage.objects.live().public(), pk=guide_id)
    title = _("公开信息变更记录")
    return TemplateResponse(
        request,
        "guides/transparency/guide_changes.html",
        {
            "chrome": _chrome(request, guide, title),
            "title": title,
            "guide": guide,
            "guide_url": guide.get_url(request),
            "township": guide.township,
            "entries": change_history(guide),
        },
    )
