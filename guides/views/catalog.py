"""Public catalog pages: the list of all items and one page per item."""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse

from ..models import ServiceGuidePage, ServiceItem


def catalog_index(request, portal):
    items = ServiceItem.objects.select_related("department")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        items = items.filter(name__icontains=q)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "guides/catalog_index.html", {"page": portal, "items": page, "q": q}
    )


def catalog_item(request, portal, item_id):
    try:
        item = ServiceItem.objects.select_related("department").get(pk=item_id)
    except ServiceItem.DoesNotExist as exc:
        raise Http404 from exc
    guides = ServiceGuidePage.objects.live().filter(item=item).order_by("path")
    return TemplateResponse(
        request, "guides/catalog_item.html", {"page": portal, "item": item, "guides": guides}
    )
