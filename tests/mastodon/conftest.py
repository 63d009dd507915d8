"""Fixtures of the client API: accounts with posts, comments and reposts, and their clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.feeds.conftest import act, redis_feeds, store
from tests.posts.conftest import client_for, follow, media_for, run_commit_hooks

__all__ = [
    "act",
    "client_for",
    "follow",
    "media_for",
    "redis_feeds",
    "run_commit_hooks",
    "store",
]


@pytest.fixture
def post_by(media_for: Callable[..., list], act: Callable[..., Any]) -> Callable[..., Post]:
    """Publish a post of ``count`` real photos through the real service, with its fan-out."""

    def make(author: User, caption: str = "", count: int = 1, **options: Any) -> Post:
        media = media_for(author, count)
        return act(
            lambda: services.post_create(
                author=author, media_ids=[m.pk for m in media], caption=caption, **options
            )
        )

    return make
