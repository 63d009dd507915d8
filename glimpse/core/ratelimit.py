"""Fixed-window rate limits kept in the cache (Redis at scale, in-process embedded)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from glimpse.core.errors import RateLimited


def window_key(scope: str, identity: str, window: int) -> tuple[str, int]:
    """Return the cache key of the current fixed window and the seconds until it ends."""
    now = int(time.time())
    start = now - now % window
    return f"rl:{scope}:{identity}:{start}", start + window - now


def rate_limit_hit(*, scope: str, identity: str, limit: int, window: int) -> None:
    """Count one event; raise RateLimited once more than ``limit`` happened in the window."""
    key, retry_after = window_key(scope, identity, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=retry_after)


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
