"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import account_create, token_create
from glimpse.realtime import events

PASSWORD = "a-long-and-unusual-passphrase"


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


class ApiClient:
    """A test client that speaks JSON to /api/v1/ with an optional bearer token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def request(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra)
        url = "/api/v1/" + path.lstrip("/")
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
    monkeypatch.setattr(events, "publish_now", lambda *event: calls.append(event))
    return calls
