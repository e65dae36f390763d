"""What is searchable, as ``SearchDocument``s: township guides, county catalog items, notices.

Text goes into three weight tiers (docs/search.md): ``name`` — the guide's title and its item's
name (a notice's title); ``middle`` — conditions and materials (a notice's summary); ``body`` —
everything else a citizen may search for (summary, who may apply, steps, FAQ, result, place,
department, fees, legal bases; a notice's text). Fields are joined line by line: the analysis
memoizes lines, and most lines of a guide recur in every township.

One builder (``_guide_document``) serves both paths: ``document_for_guide`` reads a page
instance; ``iter_all_documents`` reads guides in chunks as plain values (no model instances,
seven queries per chunk of ``CHUNK_SIZE`` guides), townships and the portal once, and
computes URLs from one copy of the site root paths.
"""

from html import unescape

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from .types import GUIDE, ITEM, NOTICE, SearchDocument

CHUNK_SIZE = 500
ONLINE_DEPTH_ONLINE = 3  # 三级: accepted online, result collected at the window
NO_MAIN_ITEM = "未分类"

# ServiceGuidePage fields the documents use (``item__…`` through the catalog item).
GUIDE_FIELDS = (
    "pk",
    "title",
    "url_path",
    "path",
    "depth",
    "summary",
    "applicant_scope",
    "quantity_limit",
    "review_standard",
    "deciding_body",
    "statutory_limit_note",
    "promised_limit_note",
    "special_procedures",
    "visits_reason",
    "service_mode_note",
    "result_name",
    "result_publicity",
    "place",
    "handling_class",
    "channel_online",
    "online_depth",
    "item_id",
    "item__name",
    "item__main_item",
    "item__item_type",
    "item__handling_class",
    "item__implementation_code",
    "item__basic_code",
    "item__local_code",
    "item__department__name",
)
# Related rows: (model name, values after guide_id, ordering)
ROW_QUERIES = {
    "conditions": ("GuideCondition", ("text",)),
    "materials": ("GuideMaterial", ("name", "notes")),
    "steps": ("GuideStep", ("name", "actor", "standard", "result")),
    "faqs": ("GuideFAQ", ("question", "answer")),
    "fees": ("GuideFee", ("fee_standard__name", "note")),
    "bases": ("GuideLegalBasis", ("legal_basis__title", "note")),
}


def _join(*parts):
    return "\n".join(p.strip() for p in parts if p and p.strip())


class PageUrls:
    """Page URLs as ``Page.get_url()`` gives them, from one copy of the site root paths: a
    local URL on a single site, the full URL when there are several."""

    def __init__(self):
        from wagtail.models import Site

        self.roots = Site.get_site_root_paths()
        self.single = len({root[0] for root in self.roots}) <= 1
        self.append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)

    def url(self, url_path):
        for _site_id, root_path, root_url, _language in self.roots:
            if url_path.startswith(root_path):
                try:
                    path = reverse("wagtail_serve", args=(url_path[len(root_path) :],))
                except NoReverseMatch:
                    return ""
                if not self.append_slash and path != "/":
                    path = path.rstrip("/")
                return path if self.single else root_url + path
        return ""


def _item_code(values, prefix="item__"):
    return (
        values.get(f"{prefix}implementation_code")
        or values.get(f"{prefix}basic_code")
        or values.get(f"{prefix}local_code")
        or ""
    )


def _guide_document(f, rows, township, url) -> SearchDocument:
    """The document of a guide from its field values ``f`` (``GUIDE_FIELDS``), its related
    rows (``ROW_QUERIES`` keys → lists of tuples), its township (or None) and URL."""
    item_name = f["item__name"] or ""
    title = f["title"] or ""
    department = f["item__department__name"] or ""
    main_item = f["item__main_item"] or ""
    place = f["place"] or (township.address if township is not None else "")
    body = _join(
        f["summary"],
        f["applicant_scope"],
        f["quantity_limit"],
        f["review_standard"],
        f["deciding_body"],
        f["statutory_limit_note"],
        f["promised_limit_note"],
        f["special_procedures"],
        f["visits_reason"],
        f["service_mode_note"],
        *(_join(*step) for step in rows.get("steps", ())),
        *(_join(*faq) for faq in rows.get("faqs", ())),
        f["result_name"],
        f["result_publicity"],
        *(_join(*fee) for fee in rows.get("fees", ())),
        *(_join(*basis) for basis in rows.get("bases", ())),
        place,
        department,
        main_item if main_item != NO_MAIN_ITEM else "",
    )
    return SearchDocument(
        id=f"{GUIDE}:{f['pk']}",
        kind=GUIDE,
        title=title,
        url=url or "",
        name=_join(title, item_name if item_name != title else ""),
        middle=_join(
            *(c[0] for c in rows.get("conditions", ())),
            *(_join(*m) for m in rows.get("materials", ())),
        ),
        body=body,
        item_id=f["item_id"],
        item_name=item_name,
        item_code=_item_code(f),
        township_code=township.code if township is not None else "",
        township_name=township.title if township is not None else "",
        department=department,
        item_type=f["item__item_type"] or "",
        handling_class=f["handling_class"] or f["item__handling_class"] or "",
        online=bool(f["channel_online"] or (f["online_depth"] or 0) >= ONLINE_DEPTH_ONLINE),
    )


def _guide_values(page):
    """``GUIDE_FIELDS`` of a page instance (and its item), as the bulk query returns them."""
    item = page.item
    values = {}
    for field in GUIDE_FIELDS:
        if field.startswith("item__"):
            if item is None:
                values[field] = None
            elif field == "item__department__name":
                values[field] = item.department.name
            else:
                values[field] = getattr(item, field[len("item__") :])
        else:
            values[field] = getattr(page, field)
    return values


def _guide_rows(page):
    return {
        "conditions": [(c.text,) for c in page.conditions.all()],
        "materials": [(m.name, m.notes) for m in page.materials.all()],
        "steps": [(s.name, s.actor, s.standard, s.result) for s in page.steps.all()],
        "faqs": [(q.question, q.answer) for q in page.faqs.all()],
        "fees": [(fee.fee_standard.name, fee.note) for fee in page.fees.all()],
        "bases": [(b.legal_basis.title, b.note) for b in page.legal_bases.all()],
    }


def document_for_guide(page, township=None) -> SearchDocument:
    """A township's guide (a ``ServiceGuidePage``). ``township`` saves a query when known."""
    township = township if township is not None else page.township
    return _guide_document(_guide_values(page), _guide_rows(page), township, page.get_url() or "")


def _portal():
    from guides.models import CountyPortalPage
    from guides.models.lookups import only_row

    portal = only_row(CountyPortalPage.objects.live())
    return portal, (portal.get_url() if portal is not None else None)


def document_for_item(item, portal=None, portal_url=None) -> SearchDocument:
    """A county catalog item (no township); its URL is the portal's catalog page for it."""
    from guides.models.choices import ItemType

    if portal is None:
        portal, portal_url = _portal()
    elif portal_url is None:
        portal_url = portal.get_url()
    url = ""
    if portal is not None and portal_url is not None:
        url = portal_url + portal.reverse_subpage("catalog_item", args=[item.pk])
    department = item.department.name if item.department_id else ""
    try:
        type_label = str(ItemType(item.item_type).label)
    except ValueError:
        type_label = ""
    return SearchDocument(
        id=f"{ITEM}:{item.pk}",
        kind=ITEM,
        title=item.name,
        url=url,
        name=item.name,
        middle="",
        body=_join(
            item.main_item if item.main_item != NO_MAIN_ITEM else "", department, type_label
        ),
        item_id=item.pk,
        item_name=item.name,
        item_code=item.code,
        department=department,
        item_type=item.item_type or "",
        handling_class=item.handling_class or "",
        online=False,
    )


def document_for_notice(page, township=None, url=None) -> SearchDocument:
    """A township's notice: title, summary, text, van stops, and its related item's name."""
    township = township if township is not None else page.township
    item = page.related_item
    body = _join(
        unescape(strip_tags(page.body or "")),
        *(_join(s.village.title, s.location, s.services) for s in page.van_stops.all()),
        item.name if item is not None else "",
    )
    return SearchDocument(
        id=f"{NOTICE}:{page.pk}",
        kind=NOTICE,
        title=page.title,
        url=url if url is not None else (page.get_url() or ""),
        name=page.title,
        middle=page.summary or "",
        body=body,
        item_id=item.pk if item is not None else None,
        item_name=item.name if item is not None else "",
        item_code=item.code if item is not None else "",
        township_code=township.code if township is not None else "",
        township_name=township.title if township is not None else "",
        department=item.department.name if item is not None else "",
        item_type=item.item_type if item is not None else "",
        handling_class="",
        online=False,
        date=page.date.isoformat() if page.date else "",
    )


def _is_public(page):
    return page.live and not page.get_view_restrictions().exists()


def documents_for_page(page) -> list[SearchDocument]:
    """The documents of one page: [] unless it is live, public and a guide or a notice."""
    from guides.models import NoticePage, ServiceGuidePage

    page = page.specific
    if isinstance(page, ServiceGuidePage):
        return [document_for_guide(page)] if _is_public(page) else []
    if isinstance(page, NoticePage):
        return [document_for_notice(page)] if _is_public(page) else []
    return []


# --- everything, for a rebuild ---------------------------------------------------------------


def _township_of(path, depth, townships, steplen):
    for d in range(depth - 1, 0, -1):
        township = townships.get(path[: steplen * d])
        if township is not None:
            return township
    return None


def _chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _live_public_guides():
    from guides.models import ServiceGuidePage

    return ServiceGuidePage.objects.live().public()


def _live_public_notices():
    from guides.models import NoticePage

    return NoticePage.objects.live().public()


def _items_in_use():
    from guides.models import ServiceItem
    from guides.models.choices import ItemStatus

    return ServiceItem.objects.filter(status=ItemStatus.IN_USE)


def _guide_documents(townships, urls, chunk_size):
    from django.apps import apps
    from wagtail.models import Page

    ids = list(_live_public_guides().order_by("path").values_list("pk", flat=True))
    for chunk in _chunks(ids, chunk_size):
        rows = {pk: {} for pk in chunk}
        for key, (model_name, columns) in ROW_QUERIES.items():
            model = apps.get_model("guides", model_name)
            query = (
                model.objects.filter(guide_id__in=chunk)
                .order_by("guide_id", "sort_order", "pk")
                .values_list("guide_id", *columns)
            )
            for guide_id, *values in query:
                rows[guide_id].setdefault(key, []).append(values)
        pages = _live_public_guides().filter(pk__in=chunk).order_by("path").values(*GUIDE_FIELDS)
        for f in pages:
            township = _township_of(f["path"], f["depth"], townships, Page.steplen)
            yield _guide_document(f, rows[f["pk"]], township, urls.url(f["url_path"]))


def iter_all_documents(chunk_size=CHUNK_SIZE):
    """Every catalog item in use, every live public guide and notice, as documents."""
    from guides.models import TownshipPage

    townships = {t.path: t for t in TownshipPage.objects.only("path", "code", "title", "address")}
    urls = PageUrls()
    portal, portal_url = _portal()
    items = _items_in_use().select_related("department").order_by("pk")
    for item in items.iterator(chunk_size=chunk_size):
        yield document_for_item(item, portal=portal, portal_url=portal_url)
    yield from _guide_documents(townships, urls, chunk_size)
    notices = (
        _live_public_notices()
        .select_related("related_item__department")
        .prefetch_related("van_stops__village")
        .order_by("path")
    )
    for page in notices.iterator(chunk_size=chunk_size):
        township = _township_of(page.path, page.depth, townships, page.steplen)
        yield document_for_notice(page, township, urls.url(page.url_path))


def count_all_documents() -> int:
    """How many documents ``iter_all_documents`` yields (for a progress bar)."""
    return _items_in_use().count() + _live_public_guides().count() + _live_public_notices().count()
