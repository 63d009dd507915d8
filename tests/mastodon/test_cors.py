"""Apps that run in a browser call the client API from their own origin: preflights are
answered, answers readable by any origin (no cookie ever authenticates there); Glimpse's own
API and pages stay same-origin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from tests.oauth_flow import bearer

pytestmark = pytest.mark.django_db

ORIGIN: dict[str, Any] = {"HTTP_ORIGIN": "https://phanpy.example"}


@pytest.mark.parametrize(
    "path", ["/api/v1/timelines/home", "/api/v2/notifications", "/oauth/token"]
)
def test_a_preflight_is_answered_for_any_origin(path: str) -> None:
    answer = Client().options(
        path,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, idempotency-key",
        **ORIGIN,
    )
    assert answer.status_code == 204
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "POST" in answer["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in answer["Access-Control-Allow-Headers"]
    assert "Authorization" in answer["Access-Control-Allow-Headers"]


def test_answers_and_errors_are_readable_with_their_link_header(user: User) -> None:
    _, secret = token_create(user=user, name="web app")
    listed = Client().get("/api/v1/timelines/public", **ORIGIN, **bearer(secret))
    assert listed["Access-Control-Allow-Origin"] == "*"
    assert "Link" in listed["Access-Control-Expose-Headers"]
    refused: Any = Client().get("/api/v1/timelines/home", **ORIGIN)
    assert refused.status_code == 401
    assert refused["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/api/glimpse/v1/accounts/me", "/", "/accounts/login/"])
def test_glimpses_own_api_and_pages_stay_same_origin(path: str) -> None:
    answer = Client().get(path, **ORIGIN)
    assert not answer.has_header("Access-Control-Allow-Origin")
