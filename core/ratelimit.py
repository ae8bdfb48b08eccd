"""A count of requests per key and window, kept in the shared cache: for a
public page that must not be hammered (a copy's verification page).

A cache that is down lets requests through (core.cache swallows its errors):
the page shows only what a paper copy already says.
"""

from __future__ import annotations

from django.core.cache import cache


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """True while ``key`` has been seen at most ``limit`` times in its window."""
    name = f"ratelimit:{key}"
    if cache.add(name, 1, seconds):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, seconds)
        return True
    return count is None or count <= limit
