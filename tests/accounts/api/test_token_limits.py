"""API tokens: at most so many active per account, and so many new ones an hour."""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.services import token_create
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db


def test_the_token_past_the_cap_is_refused_and_nothing_is_created(
    api: ApiClient, user: User, settings: Any
) -> None:
    assert settings.GLIMPSE_MAX_TOKENS_PER_ACCOUNT == 50
    settings.GLIMPSE_RATE_TOKEN_CREATE = (1000, 3600)
    for n in range(49):  # the fixture's own token is the first
        token_create(user=user, name=f"script {n}")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 50

    refused = api.post("accounts/me/tokens", {"name": "one too many"})

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "too_many_tokens"
    assert "Revoke one" in error["message"]
    # Logging in mints a token too: refused the same way, after the right password.
    login = ApiClient().post("auth/token", {"username": "ana", "password": PASSWORD})
    assert login.status_code == 409
    assert ApiToken.objects.filter(user=user).count() == 50
    assert not ApiToken.objects.filter(name="one too many").exists()
    # Revoked tokens do not count: revoking one makes room for one.
    unused = ApiToken.objects.get(user=user, name="script 0")
    assert api.delete(f"accounts/me/tokens/{unused.pk}").status_code == 204
    assert api.post("accounts/me/tokens", {"name": "room again"}).status_code == 201
    assert api.post("accounts/me/tokens", {"name": "and full"}).status_code == 409


def test_token_creation_is_rate_limited_per_account(
    api: ApiClient, user: User, make_user: Any, settings: Any
) -> None:
    limit, _ = settings.GLIMPSE_RATE_TOKEN_CREATE
    assert limit == 10
    for n in range(limit - 2):  # the fixture's token was the first
        assert api.post("accounts/me/tokens", {"name": f"t{n}"}).status_code == 201
    login = ApiClient().post("auth/token", {"username": "ana", "password": PASSWORD})
    assert login.status_code == 200
    assert ApiToken.objects.filter(user=user).count() == limit

    refused = api.post("accounts/me/tokens", {"name": "one more"})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "rate_limited"
    again = ApiClient().post("auth/token", {"username": "ana", "password": PASSWORD})
    assert again.status_code == 429
    assert ApiToken.objects.filter(user=user).count() == limit
    # Another account is not concerned.
    make_user("ben")
    assert (
        ApiClient().post("auth/token", {"username": "ben", "password": PASSWORD}).status_code == 200
    )
