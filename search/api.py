"""The search API, mounted at /api/v1/ by ``config.api``.

``GET /search`` answers ``{"count", "results", "facets", "took_ms", "did_you_mean",
"messages"}``; ``GET /search/suggest`` answers ``{"suggestions": [...]}``. ``limit`` (1–50,
default 10) and ``offset`` (0–1000) out of range are a 422, as elsewhere in the API. The query
text is never refused: whatever it holds (empty, very long, quotes, operators, control
characters), the answer is a 200, with what the engine could not do in ``messages``. When the
engine itself fails the answer is a 503, logged.
"""

import logging

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from .schemas import (
    MAX_FILTER_CHARS,
    SearchErrorOut,
    SearchOut,
    SuggestOut,
    clean_filters,
    make_query,
    results_data,
    suggestion_data,
)

logger = logging.getLogger(__name__)

router = Router(tags=["search"])

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_OFFSET = 1000
SUGGEST_LIMIT = 8

TOWNSHIP_PATTERN = r"^([0-9]{9})?$"
FILTER = {"max_length": MAX_FILTER_CHARS}


class SearchParams(Schema):
    q: str = Field("", description="The words to search for; the engine caps its length.")
    township: str = Field(
        "",
        pattern=TOWNSHIP_PATTERN,
        description="The citizen's township (9-digit code): its guides and notices rank first.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="1–50 (default 10).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="0–1000 (default 0).")
    in_township: str = Field(
        "", description="Only this township: a value of the township facet.", **FILTER
    )
    department: str = Field("", description="Only this department (facet value).", **FILTER)
    item_type: str = Field("", description="Only this item type (facet value).", **FILTER)
    handling_class: str = Field("", description="Only this handling class.", **FILTER)
    online: str = Field("", description="1: only what can be done online; 0: only not.", **FILTER)
    kind: str = Field("", description="guide, item or notice.", **FILTER)


class SuggestParams(Schema):
    q: str = Field("", description="What has been typed so far (characters or pinyin).")
    township: str = Field("", pattern=TOWNSHIP_PATTERN, description="The citizen's township.")


def _unavailable():
    return Status(503, {"detail": _("搜索暂时无法使用，请稍后再试，或拨打咨询电话。")})


@router.get(
    "/search",
    response={200: SearchOut, 503: SearchErrorOut},
    url_name="search",
    summary="Search guides, catalog items and notices",
)
def search_endpoint(request, params: Query[SearchParams]):
    """Full-text search with facet counts and highlighted snippets.

    ``snippet`` is HTML: the text is escaped and the matched words are wrapped in ``<mark>``.
    ``facets`` maps each facet (township, department, item_type, handling_class, online, kind)
    to ``[{"value", "label", "count"}]``; pass a ``value`` back as the parameter of the same
    name to filter by it (the township facet's parameter is ``in_township``).
    """
    from . import service

    query = make_query(
        params.q,
        township=params.township,
        filters=clean_filters(params.dict()),
        limit=params.limit,
        offset=params.offset,
    )
    try:
        results = service.search(query)
    except Exception:
        logger.exception("Search failed for %r", query)
        return _unavailable()
    return Status(200, results_data(results))


@router.get(
    "/search/suggest",
    response={200: SuggestOut, 503: SearchErrorOut},
    url_name="search_suggest",
    summary="Suggestions as you type",
)
def suggest_endpoint(request, params: Query[SuggestParams]):
    """Items and guides whose names start with what was typed, in characters or in pinyin
    (full or initials): ``{"suggestions": [{"text", "url", "kind"}]}``."""
    from . import service

    try:
        suggestions = service.suggest(params.q or "", township=params.township, limit=SUGGEST_LIMIT)
    except Exception:
        logger.exception("Suggestions failed for %r", (params.q or "")[:100])
        return _unavailable()
    return Status(200, {"suggestions": [suggestion_data(s) for s in suggestions]})
