"""The interface every search engine implements."""

from collections.abc import Callable, Iterable

from ..types import SearchDocument, SearchQuery, SearchResults, Suggestion


class SearchBackend:
    name = "base"

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents; returns how many were written."""
        raise NotImplementedError

    def delete(self, document_ids: Iterable[str]) -> int:
        raise NotImplementedError

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        total: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Rebuild the whole index from ``documents`` without a moment of empty results."""
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResults:
        raise NotImplementedError

    def suggest(self, prefix: str, limit: int = 8, township: str = "") -> list[Suggestion]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError
