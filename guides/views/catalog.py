"""Public catalog pages: the list of all items and one page per item."""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..models import ServiceGuidePage, ServiceItem, TownshipPage
from ..models.choices import ExerciseLevel, HandlingClass, ItemStatus, ItemType, ServiceObject
from .portal import catalog_item_url, catalog_url
from .presenters import label, labels

PER_PAGE = 50
MAX_QUERY = 50


def _crumbs(request, portal, *trail):
    return [(portal.title, portal.get_url(request)), *trail]


def page_links(page_obj, q):
    """Previous/next and numbered links around the current page, with the query kept."""

    def href(number):
        params = [("q", q)] if q else []
        params.append(("page", number))
        return "?" + urlencode(params)

    numbers = page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return {
        "previous": href(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next": href(page_obj.next_page_number()) if page_obj.has_next() else "",
        "numbers": [
            {
                "number": n,
                "href": href(n) if isinstance(n, int) else "",
                "current": n == page_obj.number,
            }
            for n in numbers
        ],
    }


def catalog_index(request, portal):
    items = ServiceItem.objects.select_related("department")
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    if q:
        items = items.filter(name__icontains=q)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "name": item.name,
            "url": catalog_item_url(portal, item.pk),
            "department": item.department.name,
            "type": label(ItemType, item.item_type),
        }
        for item in page
    ]
    title = _("服务事项目录")
    return TemplateResponse(
        request,
        "guides/catalog_index.html",
        {
            "page": portal,
            "title": title,
            "items": page,
            "rows": rows,
            "q": q,
            "total": page.paginator.count,
            "pagination": page_links(page, q) if page.paginator.num_pages > 1 else None,
            "catalog_url": catalog_url(portal),
            "crumbs": _crumbs(request, portal, (title, "")),
        },
    )


def publishing_townships(portal, item):
    """[{"township", "url"}] for each live, public guide of this item under this portal."""
    guides = list(
        ServiceGuidePage.objects.live()
        .public()
        .descendant_of(portal)
        .filter(item=item)
        .order_by("path")
    )
    parent_paths = {guide.path[: -ServiceGuidePage.steplen] for guide in guides}
    townships = {t.path: t for t in TownshipPage.objects.filter(path__in=parent_paths)}
    result = []
    for guide in guides:
        township = townships.get(guide.path[: -ServiceGuidePage.steplen])
        if township is not None:
            result.append(
                {"township": township.title, "guide_title": guide.title, "url": guide.url}
            )
    return result


def catalog_item(request, portal, item_id):
    try:
        item = ServiceItem.objects.select_related("department").get(pk=item_id)
    except ServiceItem.DoesNotExist as exc:
        raise Http404 from exc
    index_title = _("服务事项目录")
    facts = [
        (_("事项名称"), item.name),
        (_("主项名称"), item.main_item),
        (_("事项类型"), label(ItemType, item.item_type)),
        (_("实施部门"), item.department.name),
        (_("行使层级"), "、".join(str(x) for x in labels(ExerciseLevel, item.exercise_levels))),
        (_("服务对象"), "、".join(str(x) for x in labels(ServiceObject, item.service_objects))),
        (_("办件类型"), label(HandlingClass, item.handling_class)),
        (_("事项状态"), label(ItemStatus, item.status)),
        (_("地方事项编码"), item.local_code),
        (_("基本编码"), item.basic_code),
        (_("实施编码"), item.implementation_code),
        (_("行政区划代码"), item.area_code),
    ]
    return TemplateResponse(
        request,
        "guides/catalog_item.html",
        {
            "page": portal,
            "item": item,
            "title": item.name,
            "facts": [(name, value) for name, value in facts if value],
            "in_use": item.status == ItemStatus.IN_USE,
            "status_label": label(ItemStatus, item.status),
            "guides": publishing_townships(portal, item),
            "catalog_url": catalog_url(portal),
            "crumbs": _crumbs(request, portal, (index_title, catalog_url(portal)), (item.name, "")),
        },
    )
