"""Sockets close (4401) as soon as their token is revoked or their session logs out."""

from __future__ import annotations

import time
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client

from glimpse.accounts.services import password_change, token_create, token_revoke
from glimpse.realtime.sockets import disconnect_account
from tests.conftest import PASSWORD
from tests.realtime.conftest import closed_with, open_ready, session_cookie, socket


def run(scenario: Any) -> Any:
    return async_to_sync(scenario)()


async def still_open(communicator: Any) -> bool:
    """Tell whether the socket still answers a ping."""
    await communicator.send_json_to({"type": "ping"})
    return (await communicator.receive_json_from(timeout=2)) == {"kind": "pong"}


@pytest.mark.django_db(transaction=True)
def test_revoking_a_token_closes_its_live_socket_within_a_second(user) -> None:
    token, secret = token_create(user=user, name="phone")
    _, other_secret = token_create(user=user, name="laptop")

    async def scenario() -> tuple[int | None, float, bool]:
        revoked = socket(subprotocols=["bearer", secret])
        kept = socket(f"token={other_secret}")
        await open_ready(revoked)
        await open_ready(kept)
        started = time.monotonic()
        await sync_to_async(token_revoke)(user=user, token_id=token.pk)
        code = await closed_with(revoked, timeout=1)
        elapsed = time.monotonic() - started
        alive = await still_open(kept)
        await kept.disconnect()
        return code, elapsed, alive

    code, elapsed, alive = run(scenario)
    assert code == 4401
    assert elapsed < 1
    assert alive


@pytest.mark.django_db(transaction=True)
def test_logging_out_a_session_closes_its_sockets_only(user) -> None:
    browser = Client()
    browser.force_login(user)
    cookie = browser.cookies["sessionid"].value
    other_cookie = session_cookie(user)

    async def scenario() -> tuple[list[int | None], float, bool]:
        sockets = [socket(session=cookie), socket(session=cookie)]
        other = socket(session=other_cookie)
        for communicator in [*sockets, other]:
            await open_ready(communicator)
        response = await sync_to_async(browser.post)("/accounts/logout/")
        assert response.status_code == 302
        # The session has ended once the response is back: time the closing from there.
        started = time.monotonic()
        codes = [await closed_with(c, timeout=1) for c in sockets]
        elapsed = time.monotonic() - started
        alive = await still_open(other)
        await other.disconnect()
        return codes, elapsed, alive

    codes, elapsed, alive = run(scenario)
    assert codes == [4401, 4401]
    assert elapsed < 1
    assert alive


@pytest.mark.django_db(transaction=True)
def test_password_change_closes_the_other_tokens_sockets(user) -> None:
    kept_token, kept_secret = token_create(user=user, name="this one")
    _, other_secret = token_create(user=user, name="old phone")

    async def scenario() -> tuple[int | None, bool]:
        kept = socket(f"token={kept_secret}")
        other = socket(f"token={other_secret}")
        await open_ready(kept)
        await open_ready(other)
        await sync_to_async(password_change)(
            user=user,
            current_password=PASSWORD,
            new_password="another-long-passphrase-2",
            keep_token=kept_token,
        )
        code = await closed_with(other, timeout=1)
        alive = await still_open(kept)
        await kept.disconnect()
        return code, alive

    assert run(scenario) == (4401, True)


@pytest.mark.django_db(transaction=True)
def test_disconnect_account_closes_all_its_sockets_and_no_others(user, make_user) -> None:
    other = make_user("bruno")
    _, secret = token_create(user=user, name="phone")
    _, other_secret = token_create(user=other, name="phone")
    cookie = session_cookie(user)

    async def scenario() -> tuple[list[int | None], bool]:
        mine = [socket(session=cookie), socket(f"token={secret}")]
        theirs = socket(f"token={other_secret}")
        for communicator in [*mine, theirs]:
            await open_ready(communicator)
        await sync_to_async(disconnect_account)(user.pk)
        codes = [await closed_with(c, timeout=1) for c in mine]
        alive = await still_open(theirs)
        await theirs.disconnect()
        return codes, alive

    assert run(scenario) == ([4401, 4401], True)


@pytest.mark.django_db(transaction=True)
def test_periodic_recheck_closes_a_socket_whose_token_ended(user, settings) -> None:
    settings.GLIMPSE_REALTIME_RECHECK_SECONDS = 0.2
    token, secret = token_create(user=user, name="phone")

    async def scenario() -> int | None:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        # Revoked behind the services' back (no control message): only the re-check sees it.
        await sync_to_async(type(token).objects.filter(pk=token.pk).update)(
            revoked_at=token.created_at
        )
        return await closed_with(communicator, timeout=2)

    assert run(scenario) == 4401
