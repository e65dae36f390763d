"""One analysis pipeline for every search engine (see ``pipeline`` and docs/search.md)."""

from .normalize import normalize
from .pipeline import (
    MAX_ALTERNATIVES,
    MAX_GROUPS,
    MAX_QUERY_CHARS,
    AnalyzedQuery,
    analyze_query,
    index_text,
    index_tokens,
    name_tokens,
)
from .segment import get_dictionary, reload_dictionary

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_GROUPS",
    "MAX_QUERY_CHARS",
    "AnalyzedQuery",
    "analyze_query",
    "get_dictionary",
    "index_text",
    "index_tokens",
    "name_tokens",
    "normalize",
    "reload_dictionary",
]
