"""Publishing from synchronous code whose thread runs an event loop.

Playwright's sync API (the browser tests) and sync code called from a coroutine both run
an event loop in the caller's thread, where ``async_to_sync`` refuses to run.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from glimpse.accounts.services import token_create
from glimpse.realtime import sockets
from glimpse.realtime.sockets import publish_now
from tests.realtime.conftest import open_ready, socket


@pytest.mark.django_db(transaction=True)
def test_an_event_published_beside_a_running_loop_arrives(user, monkeypatch) -> None:
    # The browser tests' setting (their conftest sets it for the whole run): the case under
    # test is theirs, and on PostgreSQL the event's id is read from the database.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        communicator = socket(f"token={secret}", origin=None)
        await open_ready(communicator)
        asyncio.get_running_loop()  # this thread runs a loop: the case under test
        # A plain synchronous call, as a service's after-commit hook makes it.
        event = publish_now(user.pk, "unread_count", {"count": 4})
        received = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return event, received

    event, received = async_to_sync(scenario)()
    assert received == event
    assert received["kind"] == "unread_count"
    assert received["data"] == {"count": 4}


def test_a_failed_send_beside_a_running_loop_is_raised_to_the_caller(monkeypatch) -> None:
    class BrokenLayer:
        async def group_send(self, group: str, message: dict[str, Any]) -> None:
            raise ConnectionError("the channel layer is down")

    monkeypatch.setattr(sockets, "get_channel_layer", BrokenLayer)
    callers: list[threading.Thread] = []

    async def scenario() -> None:
        callers.append(threading.current_thread())
        sockets._group_send(1, {"type": "account.control", "all": True})

    with pytest.raises(ConnectionError, match="the channel layer is down"):
        asyncio.run(scenario())
    assert callers == [threading.main_thread()]
