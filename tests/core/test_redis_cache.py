"""The production cache keeps one Redis client per connection pool."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import override_settings

from bench.roundtrips import redis_round_trips
from glimpse.core.redis_cache import SharedClientRedisCache


@pytest.fixture
def redis_cache(redis_url: str) -> Iterator[SharedClientRedisCache]:
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "glimpse.core.redis_cache.SharedClientRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "test-shared-clients",
            }
        }
    ):
        backend = caches["default"]
        assert isinstance(backend, SharedClientRedisCache)
        yield backend
        backend.clear()


def test_every_operation_uses_the_same_client_and_one_round_trip(
    redis_cache: SharedClientRedisCache,
) -> None:
    first = redis_cache._cache.get_client("a", write=True)
    assert redis_cache._cache.get_client("b", write=True) is first
    redis_cache.get("warm")  # the pool's connection is made (and introduces itself) once
    with redis_round_trips() as sent:
        redis_cache.set("a", {"x": 1}, 30)
        assert redis_cache.get("a") == {"x": 1}
        assert redis_cache.get_many(["a", "missing"]) == {"a": {"x": 1}}
    assert len(sent) == 3


def test_any_key_is_stored_without_memcached_s_warnings(
    redis_cache: SharedClientRedisCache, recwarn: pytest.WarningsRecorder
) -> None:
    key = "a key with spaces and \u00e9, " + "x" * 300  # past memcached's 250 characters
    redis_cache.set(key, 1, 30)
    assert redis_cache.get_many([key]) == {key: 1}
    assert redis_cache.make_and_validate_key(key) == redis_cache.make_key(key)
    assert not recwarn.list
