"""Django's Redis cache, degraded rather than failing when Redis is down.

The cache holds only what can be lost: header badges, filter choices, form
tokens against double submission, import progress. When Redis does not
answer within its short timeouts, a read is a miss, a write is dropped and
``add`` says yes (a form sent twice is then acted on twice, which the
services' own checks still catch where it matters); for ``core.health``'s
pause nothing tries Redis at all, so pages keep their speed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import cache
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

from core import health

T = TypeVar("T")

_FALLBACK = {
    "get": lambda *a, **k: k.get("default", a[1] if len(a) > 1 else None),
    "get_many": lambda *a, **k: {},
    "set": lambda *a, **k: None,
    "set_many": lambda *a, **k: [],
    "add": lambda *a, **k: True,
    "touch": lambda *a, **k: False,
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: None,
    "has_key": lambda *a, **k: False,
    "clear": lambda *a, **k: None,
}


def _resilient(name: str):
    real = getattr(RedisCache, name)
    fallback = _FALLBACK[name]

    def method(self, *args, **kwargs):
        if health.is_down():
            return fallback(*args, **kwargs)
        try:
            return real(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            health.note_down("Redis cache", error)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


class ReusedRedisCacheClient(RedisCacheClient):
    """One ``redis.Redis`` per connection pool, made once.

    Django's client makes a new one for every cache call, and making one
    fills its table of some 170 reply callbacks: about 0.15 ms, several
    times a page (issue 22). A ``redis.Redis`` is safe to share between
    threads; its connections come from the pool as before.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


# The shared cache's values a block read ahead (``read_ahead``): key to
# value, ``_MISS`` for a key the cache did not have.
_ahead: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "cache_read_ahead", default=None
)
_MISS = object()


@contextmanager
def read_ahead(keys: list[str]) -> Iterator[None]:
    """Read ``keys`` of the shared cache in one round trip; inside the
    block a ``get`` (or ``get_or_set``) of one of them is answered from
    what was read, a miss staying a miss. A page that asks for several
    keys one after another (the catalogue: its filter choices, their HTML,
    the saved searches' version) waits for Redis once instead of each time
    (issue 22). Writing or deleting a key inside the block forgets it."""
    found = cache.get_many(keys)
    token = _ahead.set({key: found.get(key, _MISS) for key in keys})
    try:
        yield
    finally:
        _ahead.reset(token)


def _forget_ahead(key) -> None:
    ahead = _ahead.get()
    if ahead is not None:
        ahead.pop(key, None)


class _ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def incr(self, key, delta=1, version=None):
        if health.is_down():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            health.note_down("Redis cache", error)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error


for _name in _FALLBACK:
    setattr(_ResilientRedisCache, _name, _resilient(_name))


class ResilientRedisCache(_ResilientRedisCache):
    """The resilient cache, whose ``get`` answers from what a block read
    ahead (``read_ahead``); a write of a key forgets it."""

    def get(self, key, default=None, version=None):
        ahead = _ahead.get()
        if ahead is not None and version is None and key in ahead:
            value = ahead[key]
            return default if value is _MISS else value
        return super().get(key, default, version)

    def set(self, key, *args, **kwargs):
        _forget_ahead(key)
        return super().set(key, *args, **kwargs)

    def add(self, key, *args, **kwargs):
        _forget_ahead(key)
        return super().add(key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        _forget_ahead(key)
        return super().delete(key, *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        for key in keys:
            _forget_ahead(key)
        return super().delete_many(keys, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        _forget_ahead(key)
        return super().incr(key, delta, version)


def kept(key: str, make: Callable[[], T], seconds: int) -> T:
    """What ``key`` names, from this process's memory, else the shared
    cache, else ``make()``.

    Only for values that never change under their key: the key holds
    whatever they are made of (a person's rights stamp, the badges a header
    shows), so a change makes a new key and no process can serve an old
    value for it. Each page read three or four of these from Redis, a round
    trip each (issue 22).
    """
    local = caches["local"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = make()
            cache.set(key, value, seconds)
        local.set(key, value, seconds)
    return value
