"""One token system: OAuth tokens in Glimpse's own API, and the scope hierarchy."""

from __future__ import annotations

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from glimpse.accounts.models import User
from glimpse.accounts.oauth.scopes import scope_allows, scopes_parse
from glimpse.core.errors import InvalidInput
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_glimpse_api_reads_with_an_oauth_token_holding_read(browser: Client) -> None:
    token = user_token(browser, register_app(), scope="read")
    response = Client().get("/api/glimpse/v1/feed", **bearer(token))
    assert response.status_code == 200
    assert "items" in response.json()


def test_glimpse_api_refuses_a_change_without_write_and_changes_nothing(
    browser: Client, user: User
) -> None:
    token = user_token(browser, register_app(), scope="read")
    response = Client().patch(
        "/api/glimpse/v1/accounts/me",
        {"bio": "changed"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    user.refresh_from_db()
    assert user.bio == ""


def test_glimpse_api_changes_with_write(browser: Client, user: User) -> None:
    token = user_token(browser, register_app(), scope="write")
    response = Client().patch(
        "/api/glimpse/v1/accounts/me",
        {"bio": "changed"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "changed"
    # Without read, this token cannot read.
    assert Client().get("/api/glimpse/v1/feed", **bearer(token)).status_code == 403


def test_glimpse_api_refuses_an_app_token() -> None:
    app = register_app()
    token = (
        Client()
        .post(
            "/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
            },
        )
        .json()["access_token"]
    )
    assert Client().get("/api/glimpse/v1/feed", **bearer(token)).status_code == 401


@pytest.mark.parametrize(
    ("granted", "needed", "allowed"),
    [
        ({"read"}, "read:statuses", True),
        ({"read"}, "write:statuses", False),
        ({"write"}, "write:media", True),
        ({"read:statuses"}, "read", False),
        ({"read:statuses"}, "read:accounts", False),
        ({"follow"}, "read:follows", True),
        ({"follow"}, "write:blocks", True),
        ({"follow"}, "write:statuses", False),
        ({"follow"}, "read:statuses", False),
        ({"profile"}, "read:accounts", False),
        ({"profile"}, "profile", True),
        ({"push"}, "push", True),
    ],
)
def test_the_scope_hierarchy(granted: set[str], needed: str, allowed: bool) -> None:
    assert scope_allows(granted, needed) is allowed


def test_scopes_parse_keeps_order_defaults_to_read_and_refuses_unknown_ones() -> None:
    assert scopes_parse("write read write") == ("write", "read")
    assert scopes_parse("") == ("read",)
    with pytest.raises(InvalidInput) as refused:
        scopes_parse("read admin:read")
    assert "admin:read" in refused.value.message


def test_logging_out_with_an_oauth_token_revokes_it(browser: Client, user: User) -> None:
    token = user_token(browser, register_app(), scope="read write")
    response = Client().delete("/api/glimpse/v1/auth/token", **bearer(token))
    assert response.status_code == 204
    assert not AccessToken.objects.filter(user=user).exists()
    assert not RefreshToken.objects.filter(user=user).exists()
    assert Client().get("/api/glimpse/v1/feed", **bearer(token)).status_code == 401
