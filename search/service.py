"""The search service the site and the API call: caps, best bets, and never a server error.

``search`` bounds what a request may ask (``limit`` ≤ 50, ``offset`` ≤ 1000), puts the best
bets editors pinned for the query first on the first page (marked ``best_bet``, not repeated
below), and asks the engine for the rest. Whatever the input, it returns ``SearchResults``;
an engine failure is logged and answered with an empty result and a message.
"""

import logging
import time

from django.db.models import Q
from django.utils.translation import gettext_lazy

from .analysis import MAX_QUERY_CHARS, analyze_query, normalize
from .backends import get_backend
from .backends.common import MAX_LIMIT, MAX_OFFSET, MSG_DEEP_PAGE
from .types import GUIDE, Hit, SearchQuery, SearchResults, Suggestion

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 20
MAX_BEST_BETS = 5

MSG_UNAVAILABLE = gettext_lazy("搜索暂时不可用，请稍后再试，或拨打咨询电话。")


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(number, high))


def _clean_query(query: SearchQuery):
    """A copy of ``query`` within the caps, and messages about what was capped."""
    messages = []
    text = query.text if isinstance(query.text, str) else str(query.text or "")
    text = text[: MAX_QUERY_CHARS * 4]  # the analysis cuts to MAX_QUERY_CHARS and says so
    limit = _int(query.limit, 10, 1, MAX_LIMIT)
    offset = _int(query.offset, 0, 0, 10**9)
    if offset > MAX_OFFSET:
        offset = MAX_OFFSET
        messages.append(MSG_DEEP_PAGE % {"n": MAX_OFFSET})
    township = query.township if isinstance(query.township, str) else ""
    township = township.strip()[:12]
    filters = {}
    if isinstance(query.filters, dict):
        for key, value in list(query.filters.items())[:12]:
            if isinstance(key, str) and value not in (None, ""):
                filters[key[:30]] = str(value)[:100]
    return (
        SearchQuery(text=text, township=township, filters=filters, limit=limit, offset=offset),
        messages,
    )


def best_bet_keys(text):
    """The forms of a query a best bet's ``query`` is compared in: normalised, and normalised
    with question words stripped (so "低保怎么办" finds the bet for "低保")."""
    keys = {normalize(text)}
    keys.add(analyze_query(text).normalized)
    return {k for k in keys if k}


def best_bet_documents(text, township=""):
    """Documents pinned for ``text``: editors' ``BestBet`` rows for every township or for this
    one, in their order. An item's bet shows this township's guide for it when there is one."""
    from .documents import document_for_item, documents_for_page
    from .models import BestBet

    keys = best_bet_keys(text)
    if not keys:
        return []
    where = Q(township__isnull=True)
    if township:
        where |= Q(township__code=township)
    bets = list(
        BestBet.objects.filter(where, query__in=keys).select_related("item__department", "page")
    )
    bets.sort(key=lambda bet: (bet.township_id is None, bet.sort_order, bet.pk))
    documents, seen = [], set()
    for bet in bets[:MAX_BEST_BETS]:
        found = []
        if bet.page_id:
            found = documents_for_page(bet.page)
        elif bet.item_id:
            found = _local_guide_documents(bet.item, township) or [document_for_item(bet.item)]
        for doc in found:
            if doc.id not in seen:
                seen.add(doc.id)
                documents.append(doc)
    return documents


def _local_guide_documents(item, township):
    if not township:
        return []
    from guides.models import ServiceGuidePage, TownshipPage

    from .documents import documents_for_page

    parent = TownshipPage.objects.filter(code=township).first()
    if parent is None:
        return []
    guide = ServiceGuidePage.objects.child_of(parent).live().filter(item=item).first()
    return documents_for_page(guide) if guide is not None else []


def search(query: SearchQuery) -> SearchResults:
    """Search; never raises for anything a user can type or send."""
    started = time.perf_counter()
    try:
        query, messages = _clean_query(query)
        results = get_backend().search(query)
        for message in messages:
            if message not in results.messages:
                results.messages.insert(0, message)
        _apply_best_bets(query, results)
    except Exception:
        logger.exception("Search failed for %r", getattr(query, "text", "")[:100])
        return SearchResults(
            count=0,
            hits=[],
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            messages=[str(MSG_UNAVAILABLE)],
        )
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    results.messages = [str(message) for message in results.messages]  # in the active language
    return results


def _apply_best_bets(query, results):
    """Best bets first on the first page; on every page, not repeated among the hits."""
    try:
        bets = best_bet_documents(query.text, query.township)
    except Exception:
        logger.exception("Best bets failed for %r", query.text[:100])
        return
    if not bets:
        return
    ids = {doc.id for doc in bets}
    hits = [hit for hit in results.hits if hit.document.id not in ids]
    if query.offset == 0:
        found = {hit.document.id for hit in results.hits}
        first = [Hit(document=doc, score=0.0, best_bet=True) for doc in bets]
        hits = first + hits
        results.count += sum(1 for doc in bets if doc.id not in found)
    results.hits = hits


def suggest(text, township="", limit=8) -> list[Suggestion]:
    """Names as the user types (characters or pinyin, whole or initials); never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    limit = _int(limit, 8, 1, MAX_SUGGESTIONS)
    township = township.strip()[:12] if isinstance(township, str) else ""
    try:
        return get_backend().suggest(text[:200], limit=limit, township=township)
    except Exception:
        logger.exception("Suggestions failed for %r", text[:100])
        return []


__all__ = ["GUIDE", "best_bet_documents", "search", "suggest"]
