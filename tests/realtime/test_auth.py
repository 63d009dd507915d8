"""Who may open /ws/: the web session from our origin, or a bearer token; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from glimpse.accounts.services import token_create, token_revoke
from tests.oauth_flow import register_app, user_token
from tests.realtime.conftest import open_ready, session_cookie, socket


def run(scenario: Any, *args: Any) -> Any:
    return async_to_sync(scenario)(*args)


async def refused(communicator: Any) -> tuple[bool, int | None]:
    connected, code = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected, code


@pytest.mark.django_db(transaction=True)
def test_session_connection_joins_its_account(user) -> None:
    cookie = session_cookie(user)

    async def scenario() -> dict:
        communicator = socket(session=cookie)
        ready = await open_ready(communicator)
        await communicator.disconnect()
        return ready

    assert run(scenario) == {"kind": "ready", "data": {"account_id": str(user.pk)}}


@pytest.mark.django_db(transaction=True)
def test_session_from_a_foreign_origin_is_refused(user) -> None:
    cookie = session_cookie(user)
    connected, _ = run(refused, socket(session=cookie, origin=b"https://evil.example"))
    assert not connected


@pytest.mark.django_db(transaction=True)
def test_anonymous_connection_is_refused_with_4401() -> None:
    assert run(refused, socket()) == (False, 4401)


@pytest.mark.django_db(transaction=True)
def test_token_as_subprotocol_is_answered_with_bearer(user) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[Any, dict]:
        communicator = socket(subprotocols=["bearer", secret], origin=None)
        connected, subprotocol = await communicator.connect(timeout=5)
        assert connected
        ready = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return subprotocol, ready

    subprotocol, ready = run(scenario)
    assert subprotocol == "bearer"
    assert ready["data"] == {"account_id": str(user.pk)}


@pytest.mark.django_db(transaction=True)
def test_token_in_the_query_string_is_accepted_without_origin(user) -> None:
    _, secret = token_create(user=user, name="script")

    async def scenario() -> dict:
        communicator = socket(f"token={secret}", origin=None)
        ready = await open_ready(communicator)
        await communicator.disconnect()
        return ready

    assert run(scenario)["data"] == {"account_id": str(user.pk)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["subprotocol", "query"])
def test_bad_token_is_refused_with_4401(how: str) -> None:
    bad = "glp_not-a-real-token"
    communicator = (
        socket(subprotocols=["bearer", bad]) if how == "subprotocol" else socket(f"token={bad}")
    )
    assert run(refused, communicator) == (False, 4401)


@pytest.mark.django_db(transaction=True)
def test_revoked_token_is_refused_with_4401(user) -> None:
    token, secret = token_create(user=user, name="old")
    token_revoke(user=user, token_id=token.pk)
    assert run(refused, socket(f"token={secret}")) == (False, 4401)


@pytest.mark.django_db(transaction=True)
def test_bad_token_is_refused_even_with_a_valid_session(user) -> None:
    cookie = session_cookie(user)
    communicator = socket("token=glp_wrong", session=cookie)
    assert run(refused, communicator) == (False, 4401)


@pytest.mark.django_db(transaction=True)
def test_inactive_account_token_is_refused(user) -> None:
    _, secret = token_create(user=user, name="phone")
    user.is_active = False
    user.save(update_fields=["is_active"])

    async def scenario() -> tuple[bool, int | None]:
        return await refused(socket(f"token={secret}"))

    assert run(scenario) == (False, 4401)


def _oauth_token(user: Any, scope: str) -> str:
    """Walk the OAuth flow for the account and return an app's token with these scopes."""
    client = Client()
    client.force_login(user)
    return user_token(client, register_app(), scope=scope)


@pytest.mark.django_db(transaction=True)
def test_an_apps_token_with_the_whole_read_scope_opens_a_socket(user) -> None:
    secret = _oauth_token(user, "read write")

    async def scenario() -> dict:
        communicator = socket(f"token={secret}", origin=None)
        ready = await open_ready(communicator)
        await communicator.disconnect()
        return ready

    assert run(scenario)["data"] == {"account_id": str(user.pk)}


@pytest.mark.django_db(transaction=True)
def test_an_apps_token_with_a_narrower_scope_or_no_account_is_refused(user) -> None:
    narrow = _oauth_token(user, "read:statuses write")
    assert run(refused, socket(f"token={narrow}")) == (False, 4401)
    app = register_app()
    own = Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read",
        },
    )
    assert run(refused, socket(f"token={own.json()['access_token']}")) == (False, 4401)
