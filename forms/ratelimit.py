"""A small fixed-window rate limiter on the cache (Redis in production, shared by workers)."""

from django.conf import settings
from django.core.cache import cache

DEFAULT_RATES = {
    "lookup": (20, 600),  # status look-ups per client per 10 minutes
    "resume": (20, 600),  # draft short-code attempts per client per 10 minutes
    "start": (30, 3600),  # new drafts per client per hour
    "login": (10, 600),
    "complaint": (
        10,
        3600,
    ),  # new complaints and suggestions per client per hour  # village agents' sign-in attempts per client per 10 minutes
}


def client_key(request):
    """The client's address. Behind a reverse proxy, set ``APPLICATIONS_CLIENT_IP_HEADER`` (e.g.
    ``HTTP_X_REAL_IP``) to the header the proxy sets; never trust a header no proxy overwrites."""
    header = getattr(settings, "APPLICATIONS_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    if value:
        return value.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, scope):
    """Count one attempt; False once the client has used up its attempts in this window."""
    rates = {**DEFAULT_RATES, **getattr(settings, "APPLICATIONS_RATE_LIMITS", {})}
    limit, window = rates[scope]
    key = f"rl:{scope}:{client_key(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
