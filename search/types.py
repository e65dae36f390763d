"""The contracts every part of search shares: documents, queries, results.

Engines (``search.backends``) take ``SearchDocument``s and answer ``SearchQuery``s with
``SearchResults``. Both engines get their tokens from the same analysis pipeline
(``search.analysis``), so their results agree.
"""

from dataclasses import dataclass, field

# Document kinds
GUIDE = "guide"
ITEM = "item"
NOTICE = "notice"

# Facet names (also the filter names accepted by SearchQuery.filters and the API)
FACETS = ("township", "department", "item_type", "handling_class", "online", "kind")


@dataclass
class SearchDocument:
    """One searchable thing: a township's guide, a county catalog item, or a notice.

    ``id`` is ``"<kind>:<pk>"``. Text comes in three weight tiers: ``name`` (title, item name),
    ``middle`` (conditions, materials), ``body`` (everything else). ``township_code`` is empty
    for county-level catalog items.
    """

    id: str
    kind: str
    title: str
    url: str
    name: str
    middle: str = ""
    body: str = ""
    item_id: int | None = None
    item_name: str = ""
    item_code: str = ""
    township_code: str = ""
    township_name: str = ""
    department: str = ""
    item_type: str = ""
    handling_class: str = ""
    online: bool = False
    date: str = ""  # ISO date, notices only


@dataclass
class SearchQuery:
    text: str
    township: str = ""  # the citizen's township code: its documents first, then county items
    filters: dict = field(default_factory=dict)  # facet name -> value (see FACETS)
    limit: int = 10
    offset: int = 0


@dataclass
class Hit:
    document: SearchDocument
    score: float
    snippet: str = ""  # HTML-escaped text with <mark>…</mark> around matched terms
    best_bet: bool = False


@dataclass
class SearchResults:
    count: int
    hits: list[Hit]
    facets: dict = field(default_factory=dict)  # facet name -> [(value, label, count)]
    took_ms: float = 0.0
    did_you_mean: str = ""  # a corrected query, when the pipeline corrected a typo
    messages: list[str] = field(default_factory=list)  # what the engine could not do, in Chinese


@dataclass
class Suggestion:
    text: str
    url: str = ""
    kind: str = ITEM
