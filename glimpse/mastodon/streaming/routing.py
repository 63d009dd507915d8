"""Which connections the streaming API takes: the websocket at ``/api/v1/streaming``, the
server-sent events under it and its health check; everything else goes on to the app the
project had (Django for HTTP, Glimpse's own websocket stack)."""

from __future__ import annotations

import re
from typing import Any

from channels.routing import URLRouter
from django.urls import path, re_path

from glimpse.mastodon.streaming.consumers import (
    SSE_STREAMS,
    StreamingEventsConsumer,
    StreamingHealthConsumer,
    StreamingSocketConsumer,
)

_NAMES = "|".join(re.escape(name) for name in sorted(SSE_STREAMS, key=len, reverse=True))
SOCKET_PATH = re.compile(r"^/api/v1/streaming/?$")
HTTP_PATH = re.compile(rf"^/api/v1/streaming/(?:health|{_NAMES})/?$")

websocket_routes = URLRouter([re_path(r"^api/v1/streaming/?$", StreamingSocketConsumer.as_asgi())])
http_routes = URLRouter(
    [
        path("api/v1/streaming/health", StreamingHealthConsumer.as_asgi()),
        re_path(rf"^api/v1/streaming/(?P<name>{_NAMES})/?$", StreamingEventsConsumer.as_asgi()),
    ]
)


class StreamingRouter:
    """Send the streaming API's connections to its consumers, the others to ``app``."""

    def __init__(self, app: Any, *, protocol: str) -> None:
        self.app = app
        self.protocol = protocol

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        """Route one connection by its path."""
        if self.protocol == "websocket" and SOCKET_PATH.match(scope["path"]):
            return await websocket_routes(scope, receive, send)
        if self.protocol == "http" and HTTP_PATH.match(scope["path"]):
            return await http_routes(scope, receive, send)
        return await self.app(scope, receive, send)
