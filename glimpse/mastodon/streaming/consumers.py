"""The streaming connections: a websocket that multiplexes streams, and server-sent events
of one stream over a long HTTP response.

Both authenticate like Mastodon's streaming server (``auth``), join the channel-layer group
of each stream they hold (``streams``), and turn each id that reaches a group into an event
rendered for their own viewer (``render``), or into nothing when the viewer may not see it.
Each connection marks its account present, so that a followed account's new post reaches
it (``publish``), and checks its token again every ``GLIMPSE_REALTIME_RECHECK_SECONDS``:
a revoked token's connection ends within that time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.http import AsyncHttpConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from glimpse.accounts.models import User
from glimpse.accounts.oauth.credentials import Credential
from glimpse.mastodon.streaming import render
from glimpse.mastodon.streaming.auth import credential_lookup, offered_secret
from glimpse.mastodon.streaming.streams import (
    ANY_STREAM_SCOPES,
    DELETE,
    INVALID_TOKEN,
    MISSING_TOKEN,
    NOTIFICATION,
    OUTSIDE_SCOPES,
    USER_REQUIRED,
    Stream,
    StreamError,
    stream_for,
)
from glimpse.realtime.auth import query_params
from glimpse.realtime.presence import get_presence
from glimpse.realtime.sockets import serving_loop_set

# The HTTP paths of the server-sent events, by the stream each serves.
SSE_STREAMS = {
    "user": "user",
    "user/notification": "user:notification",
    "public": "public",
    "public/local": "public:local",
    "public/remote": "public:remote",
    "hashtag": "hashtag",
    "hashtag/local": "hashtag:local",
}
MAX_MESSAGE_BYTES = 4096
CLOSE_POLICY = 1008  # the websocket close code of a connection whose token ended


class Streaming:
    """What both kinds of connection share: the token, the streams held, the events sent."""

    credential: Credential
    secret: str
    streams: dict[tuple[str, ...], Stream]
    watcher: asyncio.Task[None] | None = None
    channel_layer: Any
    channel_name: str
    scope: dict[str, Any]

    @property
    def viewer(self) -> User:
        """Return the account the connection streams for."""
        user = self.credential.user
        assert user is not None
        return user

    async def authenticate(self) -> StreamError | None:
        """Find the connection's token; return why it is refused, or None once it is let in."""
        self.streams = {}
        secret, _ = offered_secret(self.scope)
        if secret is None:
            return StreamError(401, MISSING_TOKEN)
        credential = await credential_lookup(secret)
        if credential is None:
            return StreamError(401, INVALID_TOKEN)
        if credential.user is None:
            return StreamError(401, USER_REQUIRED)
        if not any(credential.allows(scope) for scope in ANY_STREAM_SCOPES):
            return StreamError(401, OUTSIDE_SCOPES)
        self.credential, self.secret = credential, secret
        serving_loop_set(asyncio.get_running_loop())
        with contextlib.suppress(Exception):  # unmarked, it only misses followed accounts' posts
            await self.mark_present()
        interval = float(settings.GLIMPSE_REALTIME_RECHECK_SECONDS)
        self.watcher = asyncio.ensure_future(self.watch(interval))
        return None

    async def stream_add(self, stream: Stream) -> None:
        """Hold a stream (again: nothing changes), joining its group."""
        key = tuple(stream.key)
        if key in self.streams:
            return
        if stream.group is not None and not self.holds_group(stream.group):
            await self.channel_layer.group_add(stream.group, self.channel_name)
        self.streams[key] = stream

    async def stream_remove(self, stream: Stream) -> None:
        """Stop holding a stream, leaving its group unless another stream still needs it."""
        if self.streams.pop(tuple(stream.key), None) is None:
            return
        if stream.group is not None and not self.holds_group(stream.group):
            await self.channel_layer.group_discard(stream.group, self.channel_name)

    def holds_group(self, group: str) -> bool:
        """Tell whether a stream the connection holds listens to this group."""
        return any(held.group == group for held in self.streams.values())

    async def streams_end(self) -> None:
        """Leave every group and stop the token check (the connection is over)."""
        if self.watcher is not None:
            self.watcher.cancel()
        for group in {s.group for s in getattr(self, "streams", {}).values() if s.group}:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.streams = {}

    async def mastodon_post(self, message: dict[str, Any]) -> None:
        """Send a post's event to each held stream it concerns, as this viewer sees it."""
        event = message["event"]
        wanted = [s for s in self.streams.values() if s.group == message["group"]]
        wanted = [s for s in wanted if event in s.events]
        if not wanted:
            return
        shown = render.delete_payload if event == DELETE else render.status_payload
        payload = await database_sync_to_async(shown)(
            viewer=self.viewer, post_id=int(message["post_id"]), author_id=int(message["author_id"])
        )
        if payload is not None:
            for stream in wanted:
                await self.emit(stream, event, payload)

    async def mastodon_notification(self, message: dict[str, Any]) -> None:
        """Send a notification to each held stream that carries notifications."""
        wanted = [s for s in self.streams.values() if s.group == message["group"]]
        wanted = [s for s in wanted if NOTIFICATION in s.events]
        if not wanted:
            return
        payload = await database_sync_to_async(render.notification_payload)(
            viewer=self.viewer, notification_id=int(message["notification_id"])
        )
        if payload is not None:
            for stream in wanted:
                await self.emit(stream, NOTIFICATION, payload)

    async def emit(self, stream: Stream, event: str, payload: str) -> None:
        """Send one event of a stream to the client."""
        raise NotImplementedError

    async def end(self) -> None:
        """End the connection from the server's side (its token no longer works)."""
        raise NotImplementedError

    async def watch(self, interval: float) -> None:
        """End the connection once its token no longer works; renew its presence meanwhile."""
        while True:
            await asyncio.sleep(interval)
            with contextlib.suppress(Exception):  # a database hiccup is no reason to close
                found = await credential_lookup(self.secret)
                if found is None or found.user is None or found.user.pk != self.viewer.pk:
                    await self.end()
                    return
                await self.mark_present()

    async def mark_present(self) -> None:
        """Mark the account present, so that its followed accounts' posts are sent to it."""
        mark = sync_to_async(get_presence().mark, thread_sensitive=False)
        await mark(self.viewer.pk)


class StreamingSocketConsumer(Streaming, AsyncWebsocketConsumer):
    """``/api/v1/streaming``: Mastodon's websocket, any number of streams on one connection."""

    async def connect(self) -> None:
        """Refuse a bad token before accepting (401); hold the stream the URL names, if any."""
        refused = await self.authenticate()
        if refused is not None:
            await self.refuse(refused)
            return
        secret, as_subprotocol = offered_secret(self.scope)
        await self.accept(subprotocol=secret if as_subprotocol else None)
        params = query_params(self.scope)
        if "stream" in params:
            await self.subscribe(params["stream"], params.get("tag"))

    async def disconnect(self, code: int) -> None:
        """Leave the groups of the streams held."""
        await self.streams_end()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Subscribe or unsubscribe; like Mastodon, anything else is ignored."""
        if text_data is None or len(text_data.encode()) > MAX_MESSAGE_BYTES:
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        if not isinstance(content, dict):
            return
        kind, name, tag = content.get("type"), content.get("stream"), content.get("tag")
        if kind == "subscribe":
            await self.subscribe(name, tag)
        elif kind == "unsubscribe":
            try:
                stream = stream_for(name, tag, self.credential)
            except StreamError as error:
                await self.send_error(error, name, tag)
                return
            await self.stream_remove(stream)

    async def subscribe(self, name: object, tag: object) -> None:
        """Hold a stream, or tell the client why it cannot."""
        try:
            stream = stream_for(name, tag, self.credential)
        except StreamError as error:
            await self.send_error(error, name, tag)
            return
        await self.stream_add(stream)

    async def send_error(self, error: StreamError, name: object, tag: object) -> None:
        """Tell the client a stream was refused, as Mastodon does."""
        body: dict[str, Any] = {"error": error.error, "status": error.status}
        if isinstance(name, str):
            body["stream"] = [name, tag] if isinstance(tag, str) else [name]
        await self.send(text_data=json.dumps(body, separators=(",", ":")))

    async def emit(self, stream: Stream, event: str, payload: str) -> None:
        """Send one event as Mastodon's websocket message (the payload is JSON text)."""
        message = {"stream": stream.key, "event": event, "payload": payload}
        await self.send(text_data=json.dumps(message, separators=(",", ":")))

    async def end(self) -> None:
        """Close the socket: its token ended."""
        await self.close(code=CLOSE_POLICY)

    async def refuse(self, error: StreamError) -> None:
        """Answer the handshake with Mastodon's status and error where the server lets us
        (an ASGI server with the denial extension), else close it before accepting."""
        if "websocket.http.response" in (self.scope.get("extensions") or {}):
            body = json.dumps({"error": error.error}).encode()
            await self.base_send(
                {
                    "type": "websocket.http.response.start",
                    "status": error.status,
                    "headers": [(b"content-type", b"application/json; charset=utf-8")],
                }
            )
            await self.base_send({"type": "websocket.http.response.body", "body": body})
            return
        await self.close()


class StreamingEventsConsumer(Streaming, AsyncHttpConsumer):
    """``/api/v1/streaming/<stream>``: one stream as server-sent events, with heartbeats."""

    heart: asyncio.Task[None] | None = None
    open = False

    async def http_request(self, message: dict[str, Any]) -> None:
        """Handle the request once its body is in; unlike a plain HTTP consumer, stay on
        (receiving the groups' messages) while the event stream is open."""
        if "body" in message:
            self.body.append(message["body"])
        if message.get("more_body"):
            return
        try:
            await self.handle(b"".join(self.body))
        finally:
            if not self.open:
                await self.disconnect()
        if not self.open:
            raise StopConsumer()

    async def handle(self, body: bytes) -> None:
        """Answer a refusal as Mastodon's JSON error, or open the event stream and hold it."""
        refused = await self.authenticate()
        stream: Stream | None = None
        if refused is None:
            name = SSE_STREAMS[self.scope["url_route"]["kwargs"]["name"]]
            try:
                stream = stream_for(name, query_params(self.scope).get("tag"), self.credential)
            except StreamError as error:
                refused = error
        if refused is not None or stream is None:
            assert refused is not None
            await self.streams_end()
            body = json.dumps({"error": refused.error}).encode()
            headers = [(b"Content-Type", b"application/json; charset=utf-8")]
            await self.send_response(refused.status, body, headers=headers)
            return
        headers = [
            (b"Content-Type", b"text/event-stream"),
            (b"Cache-Control", b"no-store"),
            (b"X-Accel-Buffering", b"no"),  # proxies must pass each event on at once
        ]
        await self.send_headers(status=200, headers=headers)
        # Something at once, so that the client sees the stream open before any event.
        await self.send_body(b":)\n", more_body=True)
        await self.stream_add(stream)
        self.open = True
        interval = float(settings.GLIMPSE_STREAMING_HEARTBEAT_SECONDS)
        self.heart = asyncio.ensure_future(self.beat(interval))

    async def beat(self, interval: float) -> None:
        """Send a comment line every interval, so that clients and proxies keep the line open."""
        while True:
            await asyncio.sleep(interval)
            await self.send_body(b":thump\n", more_body=True)

    async def emit(self, stream: Stream, event: str, payload: str) -> None:
        """Send one event as a server-sent event."""
        await self.send_body(f"event: {event}\ndata: {payload}\n\n".encode(), more_body=True)

    async def end(self) -> None:
        """End the response: the token ended."""
        if self.heart is not None:
            self.heart.cancel()
        await self.streams_end()
        self.open = False
        # The server then reports the request over (``http.disconnect``): the consumer stops.
        await self.send_body(b"", more_body=False)

    async def disconnect(self) -> None:
        """Stop the heartbeat and leave the stream's group: the client went away."""
        if self.heart is not None:
            self.heart.cancel()
        await self.streams_end()


class StreamingHealthConsumer(AsyncHttpConsumer):
    """``/api/v1/streaming/health``: the streaming server answers."""

    async def handle(self, body: bytes) -> None:
        """Answer ``OK``."""
        await self.send_response(
            200, b"OK", headers=[(b"Content-Type", b"text/plain; charset=utf-8")]
        )
