"""Glimpse's own API and the client API have separate roots: Glimpse's under /api/glimpse/v1/,
the client API alone at /api/v1/ and /api/v2/, so that neither hides a path of the other."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from glimpse.api import api as glimpse_api
from tests.conftest import GLIMPSE_API, ApiClient

pytestmark = pytest.mark.django_db

# A value for any path parameter: a snowflake fits ids and usernames alike.
SOME_ID = "123456789012345678"
# Paths both APIs could want: Mastodon's clients need them at /api/v1/.
SHARED = ("notifications", "conversations", f"media/{SOME_ID}", "accounts/ana", "search")


def glimpse_paths() -> list[str]:
    """Return one concrete path, below the root, for each URL pattern of Glimpse's API."""
    patterns = glimpse_api.urls[0]
    return sorted({re.sub(r"<[^>]+>", SOME_ID, str(pattern.pattern)) for pattern in patterns})


def namespace_of(path: str) -> str | None:
    """Return the URL namespace ``path`` resolves to, or None when nothing answers it."""
    try:
        return resolve(path).namespace
    except Resolver404:
        return None


def test_every_path_of_glimpses_api_is_under_its_own_root() -> None:
    paths = glimpse_paths()
    assert len(paths) > 50
    for path in paths:
        assert namespace_of(GLIMPSE_API + path) == "api", path
        for root in ("/api/v1/", "/api/v2/"):
            assert namespace_of(root + path) != "api", root + path


def test_the_openapi_document_names_only_the_glimpse_root() -> None:
    response = Client().get(reverse("api:openapi-json"))
    assert response.request["PATH_INFO"] == f"{GLIMPSE_API}openapi.json"
    assert response.status_code == 200
    documented = list(response.json()["paths"])
    assert len(documented) > 50
    assert all(path.startswith(GLIMPSE_API) for path in documented), documented
    assert reverse("api:openapi-view") == f"{GLIMPSE_API}docs"
    assert "text/html" in Client().get(f"{GLIMPSE_API}docs")["Content-Type"]


@pytest.mark.parametrize("path", SHARED)
def test_a_shared_path_under_the_glimpse_root_is_glimpses(path: str) -> None:
    assert namespace_of(GLIMPSE_API + path) == "api"


@pytest.mark.parametrize("path", SHARED)
def test_a_shared_path_under_api_v1_is_the_client_apis_or_nothing(path: str) -> None:
    assert namespace_of("/api/v1/" + path) in ("mastodon", None)


def test_the_client_api_keeps_its_own_roots() -> None:
    assert namespace_of("/api/v1/timelines/home") == "mastodon"
    assert namespace_of(f"/api/v1/accounts/{SOME_ID}") == "mastodon"
    assert namespace_of("/api/v2/search") == "mastodon_v2"


def test_glimpses_inbox_and_notifications_answer_only_at_its_root(api: ApiClient) -> None:
    own = ApiClient(api.token)  # the same token, at Glimpse's root (``api`` speaks to /api/v1/)
    for path in ("notifications", "conversations"):
        listed = own.get(path)
        assert listed.status_code == 200, path
        assert listed.json()["items"] == []
        # At /api/v1/ the same token never reaches Glimpse's list (``items`` is its shape).
        assert "items" not in api.get(path).content.decode(), path


def test_glimpses_media_item_answers_only_at_its_root(api: ApiClient) -> None:
    own = ApiClient(api.token)
    assert own.get(f"media/{SOME_ID}").json()["error"]["code"] == "not_found"
    assert api.get(f"media/{SOME_ID}").status_code == 404
    assert namespace_of(f"/api/v1/media/{SOME_ID}") != "api"


@pytest.mark.parametrize(
    ("method", "path", "status", "error"),
    [
        ("get", "/api/v1/no/such/thing", 404, "Record not found"),
        ("get", "/api/v2/nothing-here", 404, "Record not found"),
        ("delete", "/api/v1/instance", 405, "This method is not allowed here."),
    ],
)
def test_what_no_endpoint_answers_takes_the_client_apis_shape(
    method: str, path: str, status: int, error: str
) -> None:
    response = getattr(Client(), method)(path)
    assert response.status_code == status
    assert response.json() == {"error": error}


def test_glimpses_own_root_keeps_its_shape() -> None:
    response = Client().get("/api/glimpse/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_request_limit_answers_in_the_client_apis_shape(settings: Any) -> None:
    settings.GLIMPSE_RATE_REQUESTS = (1, 300)
    Client().get("/api/v1/instance")
    refused = Client().get("/api/v1/instance")
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("Too many requests")
    assert refused["Retry-After"]
