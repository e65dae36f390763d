"""The disclosure catalog (政府信息公开目录) of a township: index number, name, summary, date.

Every guide and notice gets a ``DisclosureRecord`` when it is first published (the
``page_published`` signal, ``guides.transparency.publication``); pages published before that,
or by a path that sends no signal, get theirs when the catalog is next shown
(``ensure_records``), in the order of their dates. The serial counts per township and year,
from 1, and never changes once given (republishing updates the name, summary and date only;
unpublishing hides the entry and keeps its number, which is never reused).

The index number (索引号) is ``<credit code>/<year>-<serial>``, the serial on five digits:
``11511602MB0000000X/2026-00001``. The township's unified social credit code
(``TownshipPage.credit_code``) is read when the number is shown; while a township has none,
its 9-digit division code stands in (the board flags it).
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..models import (
    DisclosureCategory,
    DisclosureRecord,
    NoticePage,
    ServiceGuidePage,
)

SERIAL_DIGITS = 5
SUMMARY_LENGTH = 300


def index_number(township, year, serial):
    prefix = township.credit_code or township.code
    return f"{prefix}/{year}-{serial:0{SERIAL_DIGITS}d}"


def _category(page):
    if isinstance(page, ServiceGuidePage):
        return DisclosureCategory.GUIDE
    if page.kind in DisclosureCategory.values:
        return page.kind
    return DisclosureCategory.NOTICE


def _date(page):
    if isinstance(page, NoticePage) and page.date:
        return page.date
    return timezone.localdate(page.first_published_at or timezone.now())


def _summary(page):
    summary = (page.summary or "").strip()
    if not summary and isinstance(page, ServiceGuidePage) and page.item_id:
        summary = page.item.name
    return summary[:SUMMARY_LENGTH]


def _values(page):
    return {
        "title": page.title[:255],
        "summary": _summary(page),
        "date": _date(page),
        "category": _category(page),
    }


def _next_serial(township, year):
    current = DisclosureRecord.objects.filter(township=township, year=year).aggregate(
        Max("serial")
    )["serial__max"]
    return (current or 0) + 1


def record_publication(page, township=None):
    """Create (with the next serial) or update the catalog entry of a published guide or notice."""
    if not isinstance(page, ServiceGuidePage | NoticePage):
        return None
    township = township or page.township
    if township is None:
        return None
    values = _values(page)
    record = DisclosureRecord.objects.filter(page_id=page.pk).first()
    if record is not None:
        for name, value in values.items():
            setattr(record, name, value)
        record.updated_at = timezone.now()
        record.save(update_fields=[*values, "updated_at"])
        return record
    year = values["date"].year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return DisclosureRecord.objects.create(
                    township=township,
                    page_id=page.pk,
                    year=year,
                    serial=_next_serial(township, year),
                    **values,
                )
        except IntegrityError:
            # Another publication took the serial (or numbered this page) meanwhile.
            record = DisclosureRecord.objects.filter(page_id=page.pk).first()
            if record is not None:
                return record
    raise IntegrityError(f"no free disclosure serial for {township.code}/{year}")


def ensure_records(township):
    """Number the township's live guides and notices that have no catalog entry yet."""
    guides = (
        ServiceGuidePage.objects.child_of(township)
        .live()
        .filter(disclosure_record__isnull=True)
        .select_related("item")
    )
    notices = (
        NoticePage.objects.descendant_of(township).live().filter(disclosure_record__isnull=True)
    )
    pages = [*guides, *notices]
    pages.sort(key=lambda p: (_date(p), p.first_published_at or timezone.now(), p.pk))
    for page in pages:
        record_publication(page, township=township)
    return len(pages)


def catalog_entries(township):
    """The catalog's entries for the township's live pages, newest first (by date, then
    number)."""
    ensure_records(township)
    records = list(
        DisclosureRecord.objects.filter(township=township, page__live=True)
        .select_related("page")
        .order_by("-date", "-year", "-serial")
    )
    for record in records:
        record.index_number = index_number(township, record.year, record.serial)
    return records
