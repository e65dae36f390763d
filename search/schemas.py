"""The JSON shapes of the search API, and how request parameters and results map onto them.

The same normalisation serves the API (``search.api``) and the search page (``search.views``):
``clean_text`` and ``clean_filters`` bound what a request can hand to the engine (control
characters dropped, filter values cut to a fixed length); the query text itself is passed on
whole, because the service caps it and says so in ``SearchResults.messages``.
"""

import re

from ninja import Schema

from .types import FACETS, SearchQuery

# Query parameter of each facet filter. The township facet cannot be ``township``: that name is
# the citizen's own township, which ranks its documents first without excluding the others.
FILTER_PARAMS = {facet: ("in_township" if facet == "township" else facet) for facet in FACETS}

MAX_FILTER_CHARS = 100
TOWNSHIP_CODE_RE = re.compile(r"^[0-9]{9}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+")


# --- shapes ----------------------------------------------------------------------------------


class SearchResultOut(Schema):
    title: str
    item_name: str
    item_code: str
    township_code: str
    url: str
    snippet: str
    score: float
    kind: str
    township_name: str
    best_bet: bool


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int
    results: list[SearchResultOut]
    facets: dict[str, list[FacetValueOut]]
    took_ms: float
    did_you_mean: str
    messages: list[str]


class SuggestionOut(Schema):
    text: str
    url: str
    kind: str


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]


class SearchErrorOut(Schema):
    detail: str


# --- parameters ------------------------------------------------------------------------------


def clean_text(value):
    """The text with control and invisible formatting characters replaced by spaces."""
    return CONTROL_RE.sub(" ", value or "")


def clean_township(value):
    """A 9-digit township code, or '' for anything else."""
    value = (value or "").strip()
    return value if TOWNSHIP_CODE_RE.match(value) else ""


def clean_filters(params):
    """{facet: value} from a mapping of request parameters (see ``FILTER_PARAMS``).

    Blank values are dropped; the others are stripped of control characters and cut to
    ``MAX_FILTER_CHARS``, so a filter can never make a query grow without bound.
    """
    filters = {}
    for facet, param in FILTER_PARAMS.items():
        value = clean_text(params.get(param) or "").strip()[:MAX_FILTER_CHARS]
        if value:
            filters[facet] = value
    return filters


def make_query(text, township="", filters=None, limit=10, offset=0):
    return SearchQuery(
        text=text or "",
        township=clean_township(township),
        filters=dict(filters or {}),
        limit=limit,
        offset=offset,
    )


# --- mapping ---------------------------------------------------------------------------------


def hit_data(hit):
    doc = hit.document
    return {
        "title": doc.title,
        "item_name": doc.item_name,
        "item_code": doc.item_code,
        "township_code": doc.township_code,
        "url": doc.url,
        "snippet": hit.snippet,
        "score": round(float(hit.score), 4),
        "kind": doc.kind,
        "township_name": doc.township_name,
        "best_bet": bool(hit.best_bet),
    }


def facet_value(value):
    """A facet value as the API and the page's links carry it: booleans as "1"/"0"."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def facets_data(facets):
    return {
        name: [
            {"value": facet_value(value), "label": str(label), "count": int(count)}
            for value, label, count in values
        ]
        for name, values in (facets or {}).items()
    }


def results_data(results):
    return {
        "count": results.count,
        "results": [hit_data(hit) for hit in results.hits],
        "facets": facets_data(results.facets),
        "took_ms": round(float(results.took_ms), 2),
        "did_you_mean": results.did_you_mean or "",
        "messages": [str(m) for m in results.messages],
    }


def suggestion_data(suggestion):
    return {"text": suggestion.text, "url": suggestion.url or "", "kind": suggestion.kind or ""}
