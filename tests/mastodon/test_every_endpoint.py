"""Every endpoint of the client API checks its scope: a token without it is refused, whatever
the endpoint (new endpoints are covered as they are added)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.oauth.scopes import scope_allows
from glimpse.mastodon.api import api
from glimpse.mastodon.auth import TokenAuth
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db

# The only endpoints anyone may call without a token: an app must register before it has one.
PUBLIC = {("POST", "/api/v1/apps")}
# Tokens holding one narrow scope each, to find one outside any endpoint's scopes.
NARROW = ("profile", "push", "read:lists", "write:lists")


def operations() -> Iterator[tuple[str, str, TokenAuth | None]]:
    """Yield each operation of the client API: its method, its path, and its token check."""
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                full = "/api/v1" + (prefix.rstrip("/") + path).replace("//", "/")
                checks = [c for c in operation.auth_callbacks if isinstance(c, TokenAuth)]
                for method in operation.methods:
                    yield method, full, checks[0] if checks else None


def test_every_endpoint_but_registration_needs_a_token() -> None:
    unguarded = {(method, path) for method, path, check in operations() if check is None}
    assert unguarded == PUBLIC


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
        url = re.sub(r"\{[^}]+\}", "1", path)
        call = getattr(Client(), method.lower())
        response = call(url, **bearer(tokens[outside]))
        assert response.status_code == 403, (method, path)
        assert response.json() == {"error": "This action is outside the authorized scopes"}
        checked += 1
    assert checked >= 1
