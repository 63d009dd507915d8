"""Fixtures for feeds: both stores, real Redis, and helpers that run the after-commit jobs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.conf import LazySettings

from glimpse.accounts.models import User
from glimpse.feeds.selectors import feed_page
from glimpse.feeds.stores import DatabaseStore, RedisStore, feed_store
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.posts.conftest import client_for, follow, media_for, publish_reel, run_commit_hooks

__all__ = ["client_for", "follow", "media_for", "publish_reel", "run_commit_hooks"]


@pytest.fixture
def redis_feeds(settings: LazySettings, redis_url: str) -> Iterator[RedisStore]:
    """Switch feeds to the Redis store, under keys of this test's own, deleted afterwards.

    Keys carry a prefix unique to the test (parallel workers may share the database), and
    every key under it is deleted at the end, whatever happened.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    prefix = f"test:feed:{worker}:{uuid.uuid4().hex}:"
    settings.GLIMPSE_FEED_REDIS_URL = redis_url
    settings.GLIMPSE_FEED_KEY_PREFIX = prefix
    store = feed_store()
    assert isinstance(store, RedisStore)
    store.client.ping()
    yield store
    flush(store)


def flush(store: RedisStore) -> None:
    """Delete every feed of the store (as if Redis had lost its data)."""
    client: redis.Redis = store.client
    keys = list(client.scan_iter(match=f"{store.prefix}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest, settings: LazySettings) -> Any:
    """Run the test once on each feed store."""
    if request.param == "database":
        settings.GLIMPSE_FEED_REDIS_URL = ""
        chosen = feed_store()
        assert isinstance(chosen, DatabaseStore)
        return chosen
    return request.getfixturevalue("redis_feeds")


@pytest.fixture
def act(run_commit_hooks: Callable[..., Any]) -> Callable[..., Any]:
    """Call a function and run what it queued after commit (fan-out, forgetting feeds)."""
    return run_commit_hooks


@pytest.fixture
def post_by(media_for: Callable[..., list], act: Callable[..., Any]) -> Callable[..., Post]:
    """Publish a one-photo post through the real service, running its fan-out."""

    def make(author: User, caption: str = "") -> Post:
        media = media_for(author, 1)
        return act(
            lambda: services.post_create(author=author, media_ids=[media[0].pk], caption=caption)
        )

    return make


def feed_of(viewer: User, *, limit: int = 20) -> list[tuple[int, int | None]]:
    """Return the whole feed, page after page, as (post id, reposter id or None)."""
    found: list[tuple[int, int | None]] = []
    max_id = None
    for _ in range(1000):
        page = feed_page(viewer=viewer, max_id=max_id, limit=limit)
        found += [(item.post_id, item.reposted_by_id) for item in page.items]
        if page.next_max_id is None:
            return found
        max_id = page.next_max_id
    raise AssertionError("the feed never ends")


def posts_of(viewer: User) -> list[int]:
    """Return the ids of the posts in the viewer's feed, in order."""
    return [post_id for post_id, _ in feed_of(viewer)]
