"""Client messages: ping is answered, anything malformed gets an error and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync

from glimpse.accounts.services import token_create
from glimpse.realtime.buffers import get_buffer
from tests.realtime.conftest import open_ready, socket


@pytest.mark.django_db(transaction=True)
def test_ping_is_answered_with_pong(user) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> dict:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        await communicator.send_json_to({"type": "ping"})
        reply = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return reply

    assert async_to_sync(scenario)() == {"kind": "pong"}


MALFORMED: list[tuple[Any, str]] = [
    ("not json at all", "invalid_json"),
    ("[1, 2, 3]", "invalid_message"),
    ('"ping"', "invalid_message"),
    ('{"no": "type"}', "unknown_type"),
    ('{"type": "subscribe"}', "unknown_type"),
    ('{"type": "ping", "pad": "' + "x" * 5000 + '"}', "too_large"),
    ('{"type": "resume"}', "invalid_event_id"),
    ('{"type": "resume", "last_event_id": "abc"}', "invalid_event_id"),
    ('{"type": "resume", "last_event_id": "-5"}', "invalid_event_id"),
    ('{"type": "resume", "last_event_id": true}', "invalid_event_id"),
    ('{"type": "resume", "last_event_id": "' + "9" * 40 + '"}', "invalid_event_id"),
    (b"\x00\x01binary", "invalid_message"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("message", "code"), MALFORMED)
def test_malformed_message_gets_an_error_and_the_socket_stays_open(
    user, message: Any, code: str
) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[dict, bool, dict]:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        if isinstance(message, bytes):
            await communicator.send_to(bytes_data=message)
        else:
            await communicator.send_to(text_data=message)
        error = await communicator.receive_json_from(timeout=2)
        nothing_else = await communicator.receive_nothing(timeout=0.2)
        await communicator.send_json_to({"type": "ping"})
        pong = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return error, nothing_else, pong

    error, nothing_else, pong = async_to_sync(scenario)()
    assert error["kind"] == "error"
    assert error["data"]["code"] == code
    assert error["data"]["message"]
    assert nothing_else
    assert pong == {"kind": "pong"}
    # Nothing was written: the account has no buffered event.
    buffer: Any = get_buffer()
    if hasattr(buffer, "client"):
        assert buffer.client.exists(buffer.key(user.pk)) == 0
    else:
        assert user.pk not in buffer._events
