"""Mastodon's streaming API: the websocket at ``/api/v1/streaming`` and its server-sent
events under ``/api/v1/streaming/...``, served by the ASGI server (docs/clients.md)."""
