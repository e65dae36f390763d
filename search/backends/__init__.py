"""The search engine in use: Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the embedded
engine (SQLite FTS5 under the data directory, no service to run)."""

import threading

from django.conf import settings

from .base import SearchBackend

_lock = threading.Lock()
_backend = None


def get_backend() -> SearchBackend:
    """The configured engine, created once per process."""
    global _backend
    backend = _backend
    if backend is None:
        with _lock:
            if _backend is None:
                if getattr(settings, "ELASTICSEARCH_URL", ""):
                    from .elasticsearch import ElasticsearchBackend

                    _backend = ElasticsearchBackend()
                else:
                    from .embedded import EmbeddedBackend

                    _backend = EmbeddedBackend()
            backend = _backend
    return backend


def reset_backend():
    """Forget the engine (tests change settings between cases); closes the embedded engine's
    connections of this thread."""
    global _backend
    with _lock:
        backend, _backend = _backend, None
    close = getattr(backend, "close", None)
    if close is not None:
        close()


__all__ = ["SearchBackend", "get_backend", "reset_backend"]
