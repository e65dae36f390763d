"""JSON API for places, the catalog and guides, mounted at /api/v1/ by ``config.api``.

List endpoints answer ``{"count": N, "items": [...]}``; ``count`` is the total before paging.
``limit`` (1–500, default 50) and ``offset`` (≥ 0) are validated: a value out of range is a 422
with ninja's usual ``{"detail": [{"loc": ["query", "limit"], "msg": ...}]}``, never clamped.
Only live, public pages are shown. The shapes and the mapping live in ``guides.schemas``.
"""

from django.db.models import Count, Prefetch
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from wagtail.models import Page

from .models import (
    CountyPortalPage,
    GuideFee,
    GuideLegalBasis,
    GuideMaterial,
    ServiceGuidePage,
    ServiceItem,
    TownshipPage,
)
from .models.lookups import only_row
from .schemas import (
    ErrorOut,
    GuideDetail,
    GuideList,
    ItemList,
    TownshipList,
    guide_detail_data,
    guide_summary_data,
    item_data,
    township_data,
)
from .transparency.report import build_report, report_data
from .transparency.schemas import DisclosureReport

router = Router()

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_QUERY_LENGTH = 100


class Paging(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description="Page size, 1–500 (default 50); out of range: 422.",
    )
    offset: int = Field(0, ge=0, description="Rows to skip (≥ 0); count is unaffected by paging.")


def _page(queryset, paging):
    """The total count and one page of rows (two queries)."""
    return queryset.count(), list(queryset[paging.offset : paging.offset + paging.limit])


def _parent_path(page):
    return page.path[: -Page.steplen]


def _live_guides():
    return ServiceGuidePage.objects.live().public()


def _guide_counts(townships):
    """Live guides per township page path, in one grouped query."""
    paths = [t.path for t in townships]
    if not paths:
        return {}
    rows = (
        _live_guides()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=paths)
        .order_by()
        .values("parent_path")
        .annotate(n=Count("pk"))
    )
    return {row["parent_path"]: row["n"] for row in rows}


def _catalog_url(portal, portal_url, item_id):
    """The public page of a catalog item: ``<portal url>items/<id>/``."""
    if portal is None or portal_url is None:
        return None
    return portal_url + portal.reverse_subpage("catalog_item", args=[item_id])


@router.get("/townships", response=TownshipList, tags=["townships"])
def townships(request, paging: Query[Paging]):
    """Live township sections, by code. ``kind`` is the Chinese label (街道/镇/乡);
    ``kind_code`` the machine value (subdistrict/town/township)."""
    count, page = _page(TownshipPage.objects.live().public().order_by("code"), paging)
    guide_counts = _guide_counts(page)
    return {
        "count": count,
        "items": [
            township_data(t, t.get_url(request=request), guide_counts.get(t.path, 0)) for t in page
        ],
    }


@router.get("/items", response=ItemList, tags=["catalog"])
def items(
    request,
    paging: Query[Paging],
    department: str | None = Query(None, description="Department name, or its numeric id."),
    item_type: str | None = Query(
        None, alias="type", pattern=r"^[0-9]{1,2}$", description="Item type code: 01 or 1, 20 …"
    ),
    q: str | None = Query(None, description="Text in the item name (first 100 characters)."),
):
    """The county catalog, by department and name."""
    queryset = ServiceItem.objects.select_related("department").order_by(
        "department__name", "name", "pk"
    )
    department = (department or "").strip()
    if department.isdigit():
        queryset = queryset.filter(department_id=int(department))
    elif department:
        queryset = queryset.filter(department__name=department)
    if item_type:
        queryset = queryset.filter(item_type=item_type.zfill(2))
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if q:
        queryset = queryset.filter(name__icontains=q)
    count, page = _page(queryset, paging)
    portal = only_row(CountyPortalPage.objects.live())
    portal_url = portal.get_url(request=request) if portal else None
    return {
        "count": count,
        "items": [item_data(i, _catalog_url(portal, portal_url, i.pk)) for i in page],
    }


@router.get("/guides", response=GuideList, tags=["guides"])
def guides(
    request,
    paging: Query[Paging],
    township: str | None = Query(
        None, pattern=r"^[0-9]{9}$", description="9-digit township code, e.g. 511602101."
    ),
):
    """Live guides in tree order; the townships of a page of results load in one query."""
    queryset = _live_guides().select_related("item").order_by("path")
    if township:
        parent = TownshipPage.objects.filter(code=township).first()
        queryset = queryset.child_of(parent) if parent else queryset.none()
    count, page = _page(queryset, paging)
    parents = {_parent_path(g) for g in page}
    by_path = {t.path: t for t in TownshipPage.objects.filter(path__in=parents)} if parents else {}
    return {
        "count": count,
        "items": [
            guide_summary_data(g, by_path.get(_parent_path(g)), g.get_url(request=request))
            for g in page
        ],
    }


@router.get("/guides/{guide_id}", response={200: GuideDetail, 404: ErrorOut}, tags=["guides"])
def guide_detail(request, guide_id: int):
    """One live guide with all its disclosures (六公开), the result, contact and remedies."""
    guide = (
        _live_guides()
        .select_related("item__department", "window", "result_sample")
        .prefetch_related(
            "conditions",
            "steps",
            Prefetch("materials", GuideMaterial.objects.select_related("blank_form", "sample")),
            Prefetch("fees", GuideFee.objects.select_related("fee_standard")),
            Prefetch("legal_bases", GuideLegalBasis.objects.select_related("legal_basis")),
            "faqs",
        )
        .filter(pk=guide_id)
        .first()
    )
    if guide is None:
        return Status(404, {"detail": _("未找到该办事指南，或该指南尚未发布。")})
    county = guide.county
    county_url = county.get_url(request=request) if county and county.live else None
    item_url = _catalog_url(county, county_url, guide.item_id) if guide.item_id else None
    return Status(200, guide_detail_data(guide, guide.get_url(request=request), item_url))


@router.get(
    "/townships/{code}/disclosure-report",
    response={200: DisclosureReport, 404: ErrorOut},
    tags=["transparency"],
)
def disclosure_report(request, code: str):
    """A township's disclosures, as on the reviewers' board: live guides, how many pass the
    publish gate, the incomplete ones with the disclosures they miss, those not reviewed within
    the review period (``last_reviewed``), those citing an amended or repealed basis, changes
    unpublished beyond 20 working days and postings past their period. 404: unknown code."""
    township = TownshipPage.objects.live().public().filter(code=code).first()
    if township is None:
        return Status(404, {"detail": _("未找到该乡镇（街道）。")})
    report = build_report(township)
    return Status(200, report_data(report, lambda page: page.get_url(request=request)))
