"""The client API's scope checks (``TokenAuth``), through GET /api/v1/preferences."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db

PREFERENCES = "/api/v1/preferences"


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("scope", ["read", "read:accounts", "read:accounts write"])
def test_a_token_whose_scopes_cover_the_endpoint_gets_in(browser: Client, scope: str) -> None:
    token = user_token(browser, register_app(), scope=scope)
    response = Client().get(PREFERENCES, **bearer(token))
    assert response.status_code == 200
    assert response.json()["posting:default:visibility"] == "public"


@pytest.mark.parametrize("scope", ["write", "read:statuses", "follow", "profile", "push"])
def test_a_token_without_the_scope_is_a_403(browser: Client, scope: str) -> None:
    token = user_token(browser, register_app("read write follow push profile"), scope=scope)
    response = Client().get(PREFERENCES, **bearer(token))
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_a_personal_token_holds_every_scope(user: User) -> None:
    user.is_private = True
    user.save()
    _, secret = token_create(user=user, name="script")
    response = Client().get(PREFERENCES, **bearer(secret))
    assert response.status_code == 200
    assert response.json()["posting:default:visibility"] == "private"


def test_an_app_token_is_refused_where_an_account_is_needed() -> None:
    app = register_app()
    token = (
        Client()
        .post(
            "/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "scope": "read",
            },
        )
        .json()["access_token"]
    )
    response = Client().get(PREFERENCES, **bearer(token))
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer glp_nope"])
def test_no_valid_token_is_a_401(header: str | None) -> None:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get(PREFERENCES, **extra)
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_a_token_of_a_suspended_account_is_refused(browser: Client, user: User) -> None:
    token = user_token(browser, register_app(), scope="read")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().get(PREFERENCES, **bearer(token)).status_code == 401


def test_glimpse_api_answers_under_its_own_root_only(browser: Client) -> None:
    # The client API has /api/v1/ to itself: Glimpse's API and its errors live elsewhere.
    assert Client().get("/api/glimpse/v1/openapi.json").status_code == 200
    assert Client().get("/api/v1/openapi.json").status_code == 404
    missing = Client().get("/api/glimpse/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
