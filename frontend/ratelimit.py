"""Counting attempts per address (and per code) in the cache, per region."""

from django.core.cache import cache
from django.http import HttpRequest

from audit.services import client_ip


def exceeded(request: HttpRequest, scope: str, *, limit: int, window: int, key: str = "") -> bool:
    """Count one attempt; True once more than `limit` were made within `window` seconds."""
    cache_key = f"ratelimit:{scope}:{key or client_ip(request)}"
    if cache.add(cache_key, 1, window):
        return limit < 1
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window)
        return limit < 1
