"""Load the demo county: catalog, references, portal, townships, villages, guides, notices,
the application history (``forms.demo``) and the transparency history (``transparency``).

``load_demo()`` is idempotent (everything is found again by its natural key, nothing is
duplicated or overwritten) and deterministic (``reset_seed()`` first; demo values derive from
the real codes; dates from ``DEMO_DATE``). It runs in one transaction. See docs/demo.md.
"""

import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision

from .. import factories
from ..models import (
    CountyPortalPage,
    FeeStandard,
    GuideReview,
    LegalBasis,
    NoticeIndexPage,
    NoticePage,
    PortalPopularItem,
    ServiceGuidePage,
    ServiceItem,
    ServiceWindow,
    TownshipPage,
    VanStop,
    VillageStationPage,
    WindowDuty,
)
from .constants import COUNTY_CODE
from .content import GUIDES, POPULAR_ITEMS
from .documents import ensure_result_samples
from .guide_pages import ensure_guides, resolve_items
from .indexing import deferred_indexing, index_in_bulk
from .notices import NOTICE_ITEMS, ensure_notices
from .places import ensure_portal, ensure_townships, ensure_villages, ensure_windows
from .references import ensure_fee_standards, ensure_legal_bases
from .sources import CATALOG_FILE, data_file, read_townships, read_villages
from .transparency import load_transparency

# What the report counts, as (label, model).
COUNTED = [
    ("service items", ServiceItem),
    ("legal bases", LegalBasis),
    ("fee standards", FeeStandard),
    ("documents", None),  # the Wagtail document model, resolved at run time
    ("county portals", CountyPortalPage),
    ("townships", TownshipPage),
    ("windows", ServiceWindow),
    ("window duties", WindowDuty),
    ("village stations", VillageStationPage),
    ("guides", ServiceGuidePage),
    ("revisions", Revision),
    ("notice indexes", NoticeIndexPage),
    ("notices", NoticePage),
    ("van stops", VanStop),
    ("popular items", PortalPopularItem),
    ("guide reviews", GuideReview),  # the transparency history (guides.demo.transparency)
    # The application history (forms.demo), by app label: no import of forms here.
    ("applications", "applications.Application"),
    ("application events", "applications.ApplicationEvent"),
    ("evaluations", "applications.Evaluation"),
    ("village agents", "applications.VillageAgent"),
    ("complaints", "applications.Complaint"),
]


@dataclass
class LoadReport:
    """What a load did: counts created per kind, the catalog import's summary, the time."""

    created: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    catalog_summary: str = ""
    seconds: float = 0.0
    search_indexed: bool = True

    @property
    def created_anything(self):
        return any(self.created.values())

    def lines(self):
        yield f"Catalog: {self.catalog_summary}"
        for label, total in self.totals.items():
            yield f"  {label}: {total} (+{self.created.get(label, 0)})"
        if not self.search_indexed:
            yield "Search indexing failed: run manage.py update_index."
        yield f"Done in {self.seconds:.1f}s."


def _counts():
    counts = {}
    for label, model in COUNTED:
        model = apps.get_model(model) if isinstance(model, str) else model or get_document_model()
        counts[label] = model.objects.count()
    return counts


def load_catalog():
    """Import the shared catalog with the catalog importer; returns its result."""
    from ..importers import import_catalog

    return import_catalog(data_file(CATALOG_FILE))


def ensure_popular_items(portal, items):
    existing = set(portal.popular_items.values_list("item_id", flat=True))
    PortalPopularItem.objects.bulk_create(
        PortalPopularItem(page=portal, item=items[name], sort_order=order)
        for order, name in enumerate(POPULAR_ITEMS)
        if items[name].pk not in existing
    )


def load_demo(*, townships=None, contents=None):
    """Load (or complete) the demo; ``townships`` limits it to the first N townships."""
    factories.reset_seed()
    contents = GUIDES if contents is None else contents
    started = time.perf_counter()
    before = _counts()
    with deferred_indexing() as saved, transaction.atomic():
        catalog = load_catalog()
        references = (ensure_legal_bases(), ensure_fee_standards())
        samples = ensure_result_samples()
        portal = ensure_portal()
        places = read_townships(COUNTY_CODE)
        if townships is not None:
            places = places[:townships]
        township_pages = ensure_townships(portal, places)
        used_slugs = {
            code: set(Page.objects.child_of(t).values_list("slug", flat=True))
            for code, t in township_pages.items()
        }
        windows = {code: ensure_windows(t) for code, t in township_pages.items()}
        villages = ensure_villages(township_pages, read_villages(COUNTY_CODE), used_slugs)
        ensure_guides(township_pages, windows, references, samples, used_slugs, contents)
        names = dict.fromkeys([*POPULAR_ITEMS, *NOTICE_ITEMS])
        items = resolve_items([{"item": name} for name in names])
        for code, township in township_pages.items():
            own = [v for c, v in villages.items() if c.startswith(code)]
            ensure_notices(township, own, items, used_slugs[code])
        ensure_popular_items(portal, items)
        from forms.demo import load_history  # staff, agents, online guides, applications

        history = load_history(township_pages)
        # Reviews, send-backs, drafts, outdated bases, postings taken down: needs the live
        # guides as the history left them (online channel in their live revisions).
        load_transparency(township_pages)
        indexed = index_in_bulk(saved) and history.search_indexed
    after = _counts()
    return LoadReport(
        search_indexed=indexed,
        created={label: after[label] - before[label] for label in after},
        totals=after,
        catalog_summary=catalog.summary().replace("\n", " "),
        seconds=time.perf_counter() - started,
    )
