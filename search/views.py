"""The public search page at /search/.

``/search/?q=&township=&in_township=&department=&item_type=&handling_class=&online=&kind=&page=``

``township`` is the citizen's township (its guides and notices rank first, and its phone is the
one the page offers); the other parameters are facet filters (``search.schemas.FILTER_PARAMS``).
The view asks ``search.service`` and turns the answer into display-ready values: the template
only prints. Snippets come from the service already HTML-escaped, with ``<mark>`` around the
matched words; nothing else is marked safe.
"""

import logging

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides.models import CountyPortalPage, TownshipPage
from guides.models.lookups import only_row
from guides.views.presenters import phone
from guides.views.site import SiteChrome

from .schemas import (
    FILTER_PARAMS,
    clean_filters,
    clean_text,
    clean_township,
    facet_value,
    make_query,
)
from .types import GUIDE, ITEM, NOTICE

logger = logging.getLogger(__name__)

PER_PAGE = 10
MAX_PAGE = 101  # the API's offset limit (1000) divided by the page size, plus the first page
DISPLAY_CHARS = 100  # the query as printed back (title, search box); the service caps its own
SUGGESTIONS = 6
FACET_VALUES = 12  # values listed per facet (the active one is always listed)
FEW_RESULTS = 3  # below this many results the page also offers suggestions

FACET_TITLES = {
    "kind": gettext_lazy("类别"),
    "township": gettext_lazy("乡镇（街道）"),
    "department": gettext_lazy("实施部门"),
    "item_type": gettext_lazy("事项类型"),
    "handling_class": gettext_lazy("办件类型"),
    "online": gettext_lazy("网上办理"),
}
FACET_ORDER = ("kind", "township", "department", "item_type", "handling_class", "online")
EXAMPLES = [
    gettext_lazy("低保"),
    gettext_lazy("上户口"),
    gettext_lazy("残疾证"),
    gettext_lazy("高龄津贴"),
    gettext_lazy("农村建房"),
]
KIND_LABELS = {
    GUIDE: gettext_lazy("办事指南"),
    ITEM: gettext_lazy("服务事项"),
    NOTICE: gettext_lazy("通知公告"),
}


def display_query(text):
    """The query as the page prints it back: one line, at most ``DISPLAY_CHARS`` characters."""
    return " ".join(clean_text(text).split())[:DISPLAY_CHARS]


def page_number(value):
    """The requested page, 1–``MAX_PAGE``; anything else is page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class SearchRequest:
    """What a request asks for, cleaned, and how to link to variations of it."""

    def __init__(self, request):
        get = request.GET
        self.raw_text = get.get("q", "")
        self.text = display_query(self.raw_text)
        self.township_code = clean_township(get.get("township"))
        self.township_asked = bool((get.get("township") or "").strip())
        self.filters = clean_filters(get)
        self.page = page_number(get.get("page"))
        self.page_asked = get.get("page")

    @property
    def has_query(self):
        return bool(self.raw_text.strip()) or bool(self.filters)

    def params(self, text=None, township=None, filters=None, page=None):
        """The query string of this search with some parts replaced ('' drops a part)."""
        text = self.text if text is None else text
        township = self.township_code if township is None else township
        filters = self.filters if filters is None else filters
        pairs = [("q", text)] if text else []
        if township:
            pairs.append(("township", township))
        pairs += [(FILTER_PARAMS[facet], value) for facet, value in filters.items() if value]
        if page and page > 1:
            pairs.append(("page", page))
        return "?" + urlencode(pairs)

    def with_filter(self, facet, value):
        return self.params(filters={**self.filters, facet: value})

    def without_filter(self, facet):
        return self.params(filters={k: v for k, v in self.filters.items() if k != facet})


def present_facets(facets, search):
    """[{"name", "title", "values": [{"label", "count", "href", "active"}], "clear"}]."""
    result = []
    for name in FACET_ORDER:
        values = facets.get(name) or []
        active = search.filters.get(name, "")
        rows = []
        for value, label, count in values:
            value = facet_value(value)
            if not value:
                continue
            is_active = value == active
            href = search.without_filter(name) if is_active else search.with_filter(name, value)
            rows.append(
                {"label": label or value, "count": count, "href": href, "active": is_active}
            )
        if len(rows) > FACET_VALUES:
            rows = rows[:FACET_VALUES] + [r for r in rows[FACET_VALUES:] if r["active"]]
        if rows or active:
            result.append(
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "values": rows,
                    "clear": search.without_filter(name) if active else "",
                }
            )
    return result


def active_filters(facets, search):
    """[{"title", "label", "href"}] for each filter in use, with a link that removes it."""
    labels = {
        (name, facet_value(value)): label
        for name, values in facets.items()
        for value, label, _count in values or []
    }
    return [
        {
            "title": FACET_TITLES.get(name, name),
            "label": labels.get((name, value)) or value,
            "href": search.without_filter(name),
        }
        for name, value in search.filters.items()
    ]


def present_hit(hit):
    doc = hit.document
    return {
        "title": doc.title or doc.item_name,
        "url": doc.url,
        "item_name": doc.item_name if doc.item_name and doc.item_name != doc.title else "",
        "township_name": doc.township_name,
        "kind": KIND_LABELS.get(doc.kind, ""),
        "date": doc.date,
        "snippet": hit.snippet,  # escaped by the service, with <mark>
        "best_bet": hit.best_bet,
    }


def pagination(count, search):
    """Previous/next and numbered links, or None when everything fits on one page."""
    count = min(count, MAX_PAGE * PER_PAGE)
    paginator = Paginator(range(count), PER_PAGE)
    if paginator.num_pages <= 1:
        return None
    page = paginator.get_page(search.page)
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "previous": search.params(page=page.number - 1) if page.has_previous() else "",
        "next": search.params(page=page.number + 1) if page.has_next() else "",
        "numbers": [
            {
                "number": n,
                "href": search.params(page=n) if isinstance(n, int) else "",
                "current": n == page.number,
            }
            for n in numbers
        ],
    }


def township_options(townships, selected):
    return [{"code": t.code, "title": t.title, "selected": t.code == selected} for t in townships]


def help_phone(township, portal):
    """The consultation phone the empty state offers: the township's, else the county's."""
    if township is not None and township.consultation_phone:
        return {"name": township.display_center_name, "phone": phone(township.consultation_phone)}
    if portal is not None and portal.consultation_phone:
        return {"name": portal.title, "phone": phone(portal.consultation_phone)}
    return None


def _search(search):
    """(results or None, error message): the service's answer, or why there is none."""
    from . import service

    query = make_query(
        search.raw_text,
        township=search.township_code,
        filters=search.filters,
        limit=PER_PAGE,
        offset=(search.page - 1) * PER_PAGE,
    )
    try:
        return service.search(query), ""
    except Exception:
        logger.exception("Search failed for %r", query)
        return None, _("搜索暂时无法使用，请稍后再试，或拨打下方的咨询电话。")


def _suggest(search):
    from . import service

    try:
        return service.suggest(search.raw_text, township=search.township_code, limit=SUGGESTIONS)
    except Exception:
        logger.exception("Suggestions failed for %r", search.text)
        return []


def results_context(results, search):
    """What the page shows of the service's answer: hits, facets, corrections, suggestions."""
    messages = []
    if search.page > 1 and not results.hits and results.count:
        messages.append(_("没有这一页，请从第一页开始查看。"))
    messages += [str(m) for m in results.messages]
    did_you_mean = None
    if results.did_you_mean and results.did_you_mean != search.text:
        did_you_mean = {
            "text": results.did_you_mean,
            "href": search.params(text=results.did_you_mean, filters={}),
        }
    suggestions = []
    if search.raw_text.strip() and results.count < FEW_RESULTS and search.page == 1:
        suggestions = [
            {"text": s.text, "href": s.url or search.params(text=s.text, filters={})}
            for s in _suggest(search)
            if s.text and s.text != search.text
        ]
    return {
        "count": results.count,
        "hits": [present_hit(hit) for hit in results.hits],
        "facets": present_facets(results.facets or {}, search),
        "active_filters": active_filters(results.facets or {}, search),
        "did_you_mean": did_you_mean,
        "suggestions": suggestions,
        "pagination": pagination(results.count, search) if results.count else None,
        "search_messages": messages,
    }


def search_page(request):
    search = SearchRequest(request)
    townships = list(TownshipPage.objects.live().public().order_by("code"))
    township = next((t for t in townships if t.code == search.township_code), None)
    portal = township.county if township is not None else None
    if portal is None:
        portal = only_row(CountyPortalPage.objects.live())
    chrome = SiteChrome(request, page=township or portal)

    messages = []
    if search.township_asked and township is None:
        messages.append(_("没有找到您选择的乡镇（街道），已在全区范围内搜索。"))
    results, error = _search(search) if search.has_query else (None, "")

    title = _("搜索")
    crumbs = [(portal.title, portal.get_url(request))] if portal else []
    context = {
        "chrome": chrome,
        "title": title,
        "crumbs": [*crumbs, (title, "")],
        "q": search.text,
        "searched": search.has_query,
        "error": error,
        "township_options": township_options(townships, search.township_code),
        "first": (search.page - 1) * PER_PAGE + 1,
        "clear_filters": search.params(filters={}) if search.filters else "",
        "help": help_phone(township, portal),
        "catalog_url": chrome.catalog_url,
        "examples": [
            {"text": str(text), "href": search.params(text=str(text), filters={})}
            for text in EXAMPLES
        ],
        "count": 0,
        "hits": [],
        "facets": [],
        "active_filters": [],
        "search_messages": [],
    }
    if results is not None:
        context.update(results_context(results, search))
    context["search_messages"] = messages + context["search_messages"]
    status = 503 if error else 200
    return TemplateResponse(request, "search/search.html", context, status=status)
