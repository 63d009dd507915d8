"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's backend makes a new ``redis.Redis`` object for every cache operation, and making
one fills a table of some 170 reply handlers: on a page that reads the cache six times that
cost more than the round trips themselves. A client is only a handle on its pool and is
safe to share between threads, so this backend makes one per pool and keeps it.

It also skips Django's check of every key against memcached's rules (length, spaces,
control characters), a warning only, about a server this is not: Redis takes any key.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class _SharedClients(RedisCacheClient):
    """Django's client wrapper, handing out one kept client per connection pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """Return the kept client of the pool a read or write goes to."""
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class SharedClientRedisCache(RedisCache):
    """The Redis cache of the production layout (``CACHES`` in the settings)."""

    @cached_property
    def _cache(self) -> _SharedClients:
        return _SharedClients(self._servers, **self._options)  # type: ignore[attr-defined]

    def make_and_validate_key(self, key: Any, version: int | None = None) -> str:
        """Return the stored key of ``key``, unchecked (Redis takes any key)."""
        return self.make_key(key, version=version)
