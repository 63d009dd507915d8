"""Helpers for websocket tests: connections to the real ASGI application."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from glimpse.accounts.models import User
from glimpse.realtime.buffers import get_buffer
from glimpse.realtime.slots import get_slots


@pytest.fixture(autouse=True)
def _fresh_buffers() -> Iterator[None]:
    """Give each test empty replay buffers and socket slots (in memory), fresh Redis clients."""
    get_buffer.cache_clear()
    get_slots.cache_clear()
    yield
    get_buffer.cache_clear()
    get_slots.cache_clear()


def session_cookie(user: User) -> str:
    """Log the user in through Django's test client; return the session id."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(
    query: str = "",
    *,
    session: str | None = None,
    subprotocols: list[str] | None = None,
    origin: bytes | None = b"http://testserver",
) -> WebsocketCommunicator:
    """Return a communicator to /ws/ on the whole ASGI stack (auth middleware included)."""
    headers: list[tuple[bytes, bytes]] = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    if session is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    path = "/ws/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(application, path, headers=headers, subprotocols=subprotocols)


async def open_ready(communicator: WebsocketCommunicator) -> dict[str, Any]:
    """Connect, assert the connection is accepted, and return its ready message."""
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    ready = await communicator.receive_json_from(timeout=5)
    assert ready["kind"] == "ready"
    return ready


async def closed_with(communicator: WebsocketCommunicator, timeout: float = 2) -> int | None:
    """Wait for the server to close the socket; return the close code."""
    while True:
        message = await communicator.receive_output(timeout=timeout)
        if message["type"] == "websocket.close":
            return message.get("code")
