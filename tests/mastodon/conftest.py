"""Fixtures of the client API: accounts with posts, comments and reposts, and their clients.

The clients here (``anon``, ``api``, ``client_for``) speak to the client API's root,
/api/v1/, where the suite's own fixtures speak to Glimpse's API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.feeds.conftest import act, redis_feeds, store
from tests.oauth_flow import bearer
from tests.posts.conftest import follow, media_for, run_commit_hooks

__all__ = [
    "act",
    "follow",
    "media_for",
    "redis_feeds",
    "run_commit_hooks",
    "store",
]

CLIENT_API = "/api/v1/"


def bearer_of(user: User) -> dict[str, Any]:
    """Return the header arguments of a test request with a new personal token of the account
    (the kind of token an app may use as well as an OAuth one)."""
    _, secret = token_create(user=user, name="phone app")
    return bearer(secret)


def client_api(token: str | None = None) -> ApiClient:
    """Return a JSON client of the client API, with a bearer token if one is given."""
    return ApiClient(token, root=CLIENT_API)


@pytest.fixture
def anon() -> ApiClient:
    """An anonymous client of the client API."""
    return client_api()


@pytest.fixture
def api(user: User) -> ApiClient:
    """A client of the client API authenticated as ``user`` with a fresh token."""
    _, secret = token_create(user=user, name="tests")
    return client_api(secret)


@pytest.fixture
def client_for(db: None) -> Callable[[User], ApiClient]:
    """Return a client of the client API authenticated as an account."""

    def make(user: User) -> ApiClient:
        _, secret = token_create(user=user, name="tests")
        return client_api(secret)

    return make


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
