"""The one websocket of Glimpse: events for the connected account, pushed by the server.

A connection joins its account's group first, then replays what the client missed (when it
names the last event it saw), then forwards live events, dropping any at or below the last
replayed id: the group already holds events published during the replay, and they would
otherwise arrive twice. Control messages on the same group close connections whose token or
session ended, and a periodic re-check of the credentials backs them up.

Each connection holds one of its account's socket slots (``slots``) while it is open: past
``GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT`` the next one is accepted only to be closed at once
with the code 4429 and a reason, before it joins anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections import deque
from typing import Any

from asgiref.sync import sync_to_async
from channels.auth import get_user
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.module_loading import import_string

from glimpse.core import metrics
from glimpse.realtime.auth import BEARER, query_params, token_lookup
from glimpse.realtime.buffers import Refetch, get_buffer
from glimpse.realtime.presence import get_presence
from glimpse.realtime.slots import get_slots
from glimpse.realtime.sockets import account_group, serving_loop_set

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY_SOCKETS = 4429
MAX_MESSAGE_BYTES = 4096
SENT_IDS_KEPT = 256


class EventsConsumer(AsyncWebsocketConsumer):
    """Accept an authenticated account, join its group and forward its events."""

    account_id: int | None = None
    group: str | None = None
    token_id: str | None = None
    session_key: str | None = None
    # Highest id a replay sent: live events at or below it were replayed already.
    replayed_upto: int = 0
    sent_ids: deque[int] | None = None
    recheck_task: asyncio.Task[None] | None = None
    holds_slot = False

    async def connect(self) -> None:
        """Refuse unauthenticated connections; join, replay and start the re-check otherwise."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.account_id = user.pk
        serving_loop_set(asyncio.get_running_loop())
        subprotocol = BEARER if self.scope.get("bearer_subprotocol") else None
        if not await self.take_slot():
            await self.refuse_too_many(subprotocol)
            return
        token = self.scope.get("api_token")
        if token is not None:
            self.token_id = str(token.pk)
        elif (session := self.scope.get("session")) is not None:
            self.session_key = session.session_key
        self.group = account_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(subprotocol=subprotocol)
        metrics.websocket_opened(self)
        await self.send_json({"kind": "ready", "data": {"account_id": str(user.pk)}})
        with contextlib.suppress(Exception):  # unmarked, it only misses broadcasts
            await self.mark_present()
        last_event_id = query_params(self.scope).get("last_event_id")
        if last_event_id is not None:
            await self.resume(last_event_id)
        interval = float(settings.GLIMPSE_REALTIME_RECHECK_SECONDS)
        self.recheck_task = asyncio.ensure_future(self.recheck_every(interval))

    async def disconnect(self, code: int) -> None:
        """Leave the account's group, stop the re-check and give the socket's slot back."""
        metrics.websocket_closed(self)
        if self.recheck_task is not None:
            self.recheck_task.cancel()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.holds_slot and self.account_id is not None:
            self.holds_slot = False
            give_back = sync_to_async(get_slots().give_back, thread_sensitive=False)
            with contextlib.suppress(Exception):  # unreturned, the slot runs out by itself
                await give_back(self.account_id, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Answer a client message; a malformed one gets an error and changes nothing."""
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_MESSAGE_BYTES:
            await self.error("too_large", f"Messages have at most {MAX_MESSAGE_BYTES} bytes.")
            return
        if text_data is None:
            await self.error("invalid_message", "Messages are JSON text, not binary.")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.error("invalid_json", "This message is not valid JSON.")
            return
        if not isinstance(content, dict):
            await self.error("invalid_message", "A message is a JSON object with a type.")
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"kind": "pong"})
        elif kind == "resume":
            await self.resume(content.get("last_event_id"))
        else:
            await self.error("unknown_type", "Known message types are ping and resume.")

    async def resume(self, raw_id: Any) -> None:
        """Send the events after the client's last one, oldest first, or ask it to refetch."""
        if isinstance(raw_id, int) and not isinstance(raw_id, bool):
            raw_id = str(raw_id)
        if not isinstance(raw_id, str) or not raw_id.isdigit() or len(raw_id) > 20:
            await self.error("invalid_event_id", "last_event_id is an event id (digits).")
            return
        assert self.account_id is not None
        try:
            since = sync_to_async(get_buffer().since, thread_sensitive=False)
            missed = await since(self.account_id, int(raw_id))
        except Refetch:
            await self.send_json({"kind": "refetch"})
            return
        for event in missed:
            await self.forward(event)
        if missed:
            self.replayed_upto = max(self.replayed_upto, int(missed[-1]["id"]))

    async def account_event(self, message: dict[str, Any]) -> None:
        """Forward a live event of the account's group, unless a replay already sent it."""
        event = message["event"]
        if int(event["id"]) <= self.replayed_upto:
            return
        await self.forward(event)

    async def account_control(self, message: dict[str, Any]) -> None:
        """Close this connection when its credentials ended; re-check them when asked."""
        if (
            message.get("all")
            or (self.token_id is not None and self.token_id in message.get("token_ids", ()))
            or (self.session_key is not None and message.get("session_key") == self.session_key)
        ) or (message.get("recheck") and not await self.credentials_valid()):
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def forward(self, event: dict[str, Any]) -> None:
        """Send an event once: an id already sent on this connection is not sent again."""
        event_id = int(event["id"])
        if self.sent_ids is None:
            self.sent_ids = deque(maxlen=SENT_IDS_KEPT)
        elif event_id in self.sent_ids:
            return
        self.sent_ids.append(event_id)
        await self.send_json(event)

    async def error(self, code: str, message: str) -> None:
        """Reply to a malformed client message; the connection stays open."""
        await self.send_json({"kind": "error", "data": {"code": code, "message": message}})

    async def send_json(self, content: dict[str, Any]) -> None:
        """Send one JSON message."""
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def recheck_every(self, interval: float) -> None:
        """Close the connection once its token or session no longer authenticates it, and
        renew the account's presence mark while it still does."""
        # The first wait is spread over the interval, so that sockets that connected
        # together (after a restart) do not all query the database in the same second.
        delay = interval * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not a secret
        while True:
            await asyncio.sleep(delay)
            delay = interval
            with contextlib.suppress(Exception):  # a database hiccup is no reason to close
                if not await self.credentials_valid():
                    await self.close(code=CLOSE_UNAUTHENTICATED)
                    return
                await self.mark_present()
                await self.renew_slot()

    async def take_slot(self) -> bool:
        """Take one of the account's socket slots; False when they are all taken.

        A store that cannot be reached lets the socket in (without a slot): real time
        working matters more than the cap while Redis is down.
        """
        assert self.account_id is not None
        take = sync_to_async(get_slots().take, thread_sensitive=False)
        try:
            self.holds_slot = await take(self.account_id, self.channel_name)
        except Exception:
            logger.warning("realtime: socket slots unreadable; socket let in uncounted")
            return True
        return self.holds_slot

    async def renew_slot(self) -> None:
        """Push back the end of this socket's slot, so that it does not run out while open."""
        if self.holds_slot and self.account_id is not None:
            renew = sync_to_async(get_slots().renew, thread_sensitive=False)
            await renew(self.account_id, self.channel_name)

    async def refuse_too_many(self, subprotocol: str | None) -> None:
        """Tell a socket past the account's cap why, and close it (nothing was joined)."""
        cap = int(settings.GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT)
        reason = f"Too many open sockets for this account (at most {cap}). Close one first."
        await self.accept(subprotocol=subprotocol)
        await self.send_json(
            {"kind": "error", "data": {"code": "too_many_sockets", "message": reason}}
        )
        await self.close(code=CLOSE_TOO_MANY_SOCKETS, reason=reason)

    async def mark_present(self) -> None:
        """Mark the account present, so that broadcasts (new posts, stories) reach it."""
        assert self.account_id is not None
        mark = sync_to_async(get_presence().mark, thread_sensitive=False)
        await mark(self.account_id)

    async def credentials_valid(self) -> bool:
        """Tell whether the connection's token or session still authenticates its account."""
        secret = self.scope.get("api_token_secret")
        if secret is not None:
            found = await token_lookup(secret)
            return found is not None and found.user is not None and found.user.pk == self.account_id
        if self.session_key is None:
            # Authenticated without a token or session (tests set the user directly).
            return True
        store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
        fresh: SessionBase = store_class(self.session_key)
        user = await get_user({"session": fresh})
        return bool(user.is_authenticated and user.pk == self.account_id)
