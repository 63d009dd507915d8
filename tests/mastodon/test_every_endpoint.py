"""Every endpoint of the client API checks its scope: a token without it is refused, whatever
the endpoint (new endpoints are covered as they are added)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.oauth.scopes import scope_allows
from glimpse.mastodon.api import api, api_v2
from glimpse.mastodon.auth import TokenAuth
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db

# The only endpoint that takes no token at all: an app must register before it has one.
PUBLIC = {("POST", "/api/v1/apps")}
# What Mastodon serves to anyone: a token is optional (and checked when sent).
ANYONE = {
    ("GET", "/api/v1/instance"),
    ("GET", "/api/v1/instance/peers"),
    ("GET", "/api/v1/instance/rules"),
    ("GET", "/api/v2/instance"),
    ("GET", "/api/v2/search"),
    ("GET", "/api/v1/custom_emojis"),
    ("GET", "/api/v1/trends/tags"),
    ("GET", "/api/v1/trends/statuses"),
    ("GET", "/api/v1/trends/links"),
    ("GET", "/api/v1/timelines/public"),
    ("GET", "/api/v1/timelines/tag/{hashtag}"),
    ("GET", "/api/v1/accounts/lookup"),
    ("GET", "/api/v1/accounts/{snowflake:account_id}"),
    ("GET", "/api/v1/accounts/{snowflake:account_id}/statuses"),
    ("GET", "/api/v1/accounts/{snowflake:account_id}/featured_tags"),
    ("GET", "/api/v1/accounts/{snowflake:account_id}/followers"),
    ("GET", "/api/v1/accounts/{snowflake:account_id}/following"),
    ("GET", "/api/v1/statuses/{status_id}"),
    ("GET", "/api/v1/statuses/{status_id}/context"),
    ("GET", "/api/v1/statuses/{status_id}/favourited_by"),
    ("GET", "/api/v1/statuses/{status_id}/reblogged_by"),
}
# A path parameter as a client sends it: ids are snowflakes (an account's path needs one).
SOME_ID = "123456789012345678"
# Tokens holding one narrow scope each, to find one outside any endpoint's scopes.
NARROW = ("profile", "push", "read:lists", "write:lists")


def operations() -> Iterator[tuple[str, str, TokenAuth | None]]:
    """Yield each operation of the client API: its method, its path, and its token check."""
    for root, served in (("/api/v1", api), ("/api/v2", api_v2)):
        for prefix, router in served._routers:
            for path, path_view in router.path_operations.items():
                for operation in path_view.operations:
                    full = root + (prefix.rstrip("/") + path).replace("//", "/")
                    checks = [c for c in operation.auth_callbacks if isinstance(c, TokenAuth)]
                    for method in operation.methods:
                        yield method, full, checks[0] if checks else None


def test_every_endpoint_but_registration_checks_a_token() -> None:
    unguarded = {(method, path) for method, path, check in operations() if check is None}
    assert unguarded == PUBLIC


def test_only_what_mastodon_serves_to_anyone_takes_no_token() -> None:
    optional = {(method, path) for method, path, check in operations() if check and check.optional}
    assert optional == ANYONE
    for method, path in optional:
        url = re.sub(r"\{[^}]+\}", SOME_ID, path)
        response = getattr(Client(), method.lower())(url + "?acct=nobody&q=nobody")
        # Anonymous callers get in: an answer, or what a missing record answers.
        assert response.status_code in (200, 404), (path, response.content)
        if response.status_code == 404:
            assert response.json() == {"error": "Record not found"}


def test_every_other_endpoint_refuses_a_request_without_a_token() -> None:
    checked = 0
    for method, path, check in operations():
        if check is None or check.optional:
            continue
        url = re.sub(r"\{[^}]+\}", SOME_ID, path)
        response = getattr(Client(), method.lower())(url)
        assert response.status_code == 401, path
        assert response.json() == {"error": "The access token is invalid"}
        checked += 1
    assert checked >= 10


def test_every_scoped_endpoint_refuses_a_token_without_its_scope(user: User) -> None:
    browser = Client()
    browser.force_login(user)
    app = register_app(" ".join(("read write follow push profile", *NARROW)))
    tokens = {scope: user_token(browser, app, scope=scope) for scope in NARROW}
    checked = 0
    for method, path, check in operations():
        if check is None or not check.scopes:
            continue
        outside = next(
            scope
            for scope in NARROW
            if not any(scope_allows({scope}, needed) for needed in check.scopes)
        )
        url = re.sub(r"\{[^}]+\}", SOME_ID, path)
        call = getattr(Client(), method.lower())
        response = call(url, **bearer(tokens[outside]))
        assert response.status_code == 403, (method, path)
        assert response.json() == {"error": "This action is outside the authorized scopes"}
        checked += 1
    assert checked >= 1
