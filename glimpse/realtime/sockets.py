"""Publish events to an account's open websockets, after the transaction commits.

``publish_on_commit`` is the entry point: services of the write layer call it once
their change is made, and nothing is sent if the transaction rolls back. Each event gets a
time-ordered snowflake id, is appended to the account's replay buffer (see
``glimpse.realtime.buffers``) and is sent to the account's channel-layer group, where every
open connection of the account forwards it. The buffer lets a client that reconnects get
what it missed. Broadcasts to many accounts, which jobs make after the commit, go through
``publish_to_present``: only accounts with a socket open get them (see ``presence``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction

from glimpse.realtime.buffers import get_buffer
from glimpse.realtime.presence import get_presence

SEND_TIMEOUT = 5.0  # seconds a send may take before the caller sees an error
_serving_loop: asyncio.AbstractEventLoop | None = None
_own_loop: asyncio.AbstractEventLoop | None = None
_own_loop_lock = threading.Lock()


def account_group(account_id: int) -> str:
    """Return the channel-layer group every connection of an account joins."""
    return f"account.{account_id}"


def publish_on_commit(account_id: int, kind: str, data: dict[str, Any]) -> None:
    """Send an event to the account's connections once the current transaction commits."""
    transaction.on_commit(lambda: publish_now(account_id, kind, data))


def publish_now(account_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Number, buffer and send an event right away; return it (only for after commit)."""
    event = get_buffer().append(account_id, kind, data)
    _group_send(account_id, {"type": "account.event", "event": event})
    return event


def publish_to_present(account_ids: Sequence[int], kind: str, data: dict[str, Any]) -> int:
    """Send an event to those of the accounts that have a socket open; return how many.

    For broadcasts (a new post for every follower): the others read the same state from the
    API when they next look, so their events would only fill buffers. Call it after commit,
    from a job.
    """
    present = get_presence().present(account_ids)
    for account_id in present:
        publish_now(account_id, kind, data)
    return len(present)


def tokens_revoked_on_commit(account_id: int, token_ids: list[int]) -> None:
    """Close the account's sockets authenticated by these tokens once the transaction commits."""
    if not token_ids:
        return
    message = {"type": "account.control", "token_ids": [str(pk) for pk in token_ids]}
    transaction.on_commit(lambda: _group_send(account_id, message))


def end_session_on_commit(account_id: int, session_key: str) -> None:
    """Close the account's sockets opened with this session once the transaction commits."""
    message = {"type": "account.control", "session_key": session_key}
    transaction.on_commit(lambda: _group_send(account_id, message))


def recheck_on_commit(account_id: int) -> None:
    """Make the account's sockets re-check their token or session once the transaction commits."""
    message = {"type": "account.control", "recheck": True}
    transaction.on_commit(lambda: _group_send(account_id, message))


def disconnect_account(account_id: int) -> None:
    """Close every open socket of the account (suspension, deletion), after commit."""
    message = {"type": "account.control", "all": True}
    transaction.on_commit(lambda: _group_send(account_id, message))


def serving_loop_set(loop: asyncio.AbstractEventLoop) -> None:
    """Note the event loop this process serves websockets on (each connection calls it).

    Sends from this process then run on that loop: the in-memory channel layer of the
    embedded default only wakes consumers from their own loop, and the Redis layer reuses
    the loop's connections.
    """
    global _serving_loop
    _serving_loop = loop


def _group_send(account_id: int, message: dict[str, Any]) -> None:
    """Send a message to the account's group from synchronous code, and wait until it is."""
    group_send(account_group(account_id), message)


def group_send(group: str, message: dict[str, Any]) -> None:
    """Send a message to any channel-layer group from synchronous code, and wait until it is.

    For the apps above this one that keep groups of their own (the client API's streams);
    call it after commit.
    """
    layer = get_channel_layer()
    if layer is None:  # channels not configured: nobody can be listening
        return
    loop = _send_loop()
    sending = layer.group_send(group, message)
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        # Synchronous code called from a coroutine of that very loop cannot wait for it:
        # the send runs as soon as the caller yields.
        loop.create_task(sending)
        return
    asyncio.run_coroutine_threadsafe(sending, loop).result(timeout=SEND_TIMEOUT)


def _send_loop() -> asyncio.AbstractEventLoop:
    """Return the loop to send on: the serving loop if it runs, else one of our own.

    Our own loop (in a daemon thread, made once per process) serves processes without
    websockets (Celery workers, WSGI web workers): one loop keeps the channel layer's Redis
    connections open between sends, where ``async_to_sync`` would make a loop and
    connections for each one.
    """
    global _own_loop
    serving = _serving_loop
    if serving is not None and serving.is_running():
        return serving
    with _own_loop_lock:
        if _own_loop is None or _own_loop.is_closed():
            _own_loop = asyncio.new_event_loop()
            threading.Thread(
                target=_own_loop.run_forever, name="glimpse-realtime-send", daemon=True
            ).start()
        return _own_loop


def session_logged_out(
    sender: object, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    """Close the sockets of a session that logs out (receiver of ``user_logged_out``)."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if user is not None and user.pk is not None and key:
        end_session_on_commit(user.pk, key)
