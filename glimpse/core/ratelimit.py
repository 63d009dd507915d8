"""Fixed-window rate limits kept in the cache (Redis at scale, in-process embedded)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from glimpse.core.errors import RateLimited


def window_key(scope: str, identity: str, window: int) -> tuple[str, int]:
    """Return the cache key of the current fixed window and the seconds until it ends."""
    now = int(time.time())
    start = now - now % window
    return f"rl:{scope}:{identity}:{start}", start + window - now


def rate_limit_hit(*, scope: str, identity: str, limit: int, window: int) -> None:
    """Count one event; raise RateLimited once more than ``limit`` happened in the window."""
    key, retry_after = window_key(scope, identity, window)
    if window_count(key, timeout=window + 1) > limit:
        raise RateLimited(retry_after=retry_after)


def window_count(key: str, *, timeout: int) -> int:
    """Count one event under ``key`` (kept ``timeout`` seconds); return the count so far.

    Every request pays this, so on Redis it is one round trip (INCR and EXPIRE sent as one
    pipeline); the window's key exists from its first event. Elsewhere (the in-process
    cache) the key is made when missing, then incremented.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        redis_key = backend.make_and_validate_key(key)
        pipe = backend._cache.get_client(redis_key, write=True).pipeline(transaction=False)
        pipe.incr(redis_key)
        pipe.expire(redis_key, timeout)
        count, _ = pipe.execute()
        return int(count)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def rate_limit_check(*, scope: str, identity: str, limit: int, window: int) -> None:
    """Raise RateLimited if ``limit`` events already happened in the window, counting nothing."""
    key, retry_after = window_key(scope, identity, window)
    if (cache.get(key) or 0) >= limit:
        raise RateLimited(retry_after=retry_after)


def rate_limit_reset(*, scope: str, identity: str, window: int) -> None:
    """Forget the events counted in the current window."""
    key, _ = window_key(scope, identity, window)
    cache.delete(key)


def upload_rate_hit(*, account_id: int) -> None:
    """Count one upload (media or profile picture) of an account against its upload limit."""
    limit, window = settings.GLIMPSE_RATE_UPLOADS
    rate_limit_hit(scope="upload", identity=str(account_id), limit=limit, window=window)
