"""Atomic fixed-window counters for throttles (API requests, failed authentications).

DRF's SimpleRateThrottle reads a history list, appends and writes it back: two processes
that read the same list both admit a request (16 threads got 1,263 requests through a
1,200/min limit). Here one Redis round trip increments and sets the expiry together
(INCR and EXPIRE NX in one MULTI), so each request gets its own count. Without Redis (the
embedded `make run`) the cache's own add/incr serve, which are atomic within the process.
"""

from __future__ import annotations

import time

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache


def _redis_backend() -> RedisCache | None:
    # `django.core.cache.cache` is a proxy: the backend itself is caches[alias] (per thread).
    backend = caches[DEFAULT_CACHE_ALIAS]
    return backend if isinstance(backend, RedisCache) else None


def window_hit(key: str, window_seconds: int) -> tuple[int, int]:
    """Count one hit in the window of `key`; returns (hits so far, seconds the window has left)."""
    window_seconds = max(1, int(window_seconds))
    backend = _redis_backend()
    if backend is not None:
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        pipe = client.pipeline(transaction=True)
        pipe.incr(full_key)
        pipe.expire(full_key, window_seconds, nx=True)
        pipe.ttl(full_key)
        count, _set, ttl = pipe.execute()
        return int(count), max(int(ttl), 1)
    return _fallback_hit(key, window_seconds)


def _fallback_hit(key: str, window_seconds: int) -> tuple[int, int]:
    started_key = f"{key}:started"
    for _ in range(3):
        if cache.add(key, 0, window_seconds):
            cache.set(started_key, time.time(), window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add and incr: start again
            continue
        started = cache.get(started_key) or time.time()
        return count, max(int(started + window_seconds - time.time()), 1)
    return 1, window_seconds


def window_count(key: str) -> int:
    """Hits so far in the current window of `key` (0 when none)."""
    backend = _redis_backend()
    if backend is not None:
        full_key = backend.make_and_validate_key(key)
        value = backend._cache.get_client(full_key).get(full_key)
        return int(value or 0)
    return int(cache.get(key) or 0)
