"""Who opens a stream: the bearer token Mastodon's clients send, in any of its three places.

``Authorization: Bearer <token>`` first, then ``?access_token=<token>``, then (websockets
only, for browsers that cannot set headers) the token as the whole
``Sec-WebSocket-Protocol``, which the server then answers with. Both kinds of token work
(``glimpse.accounts.oauth.credentials``): a personal API token, or an OAuth access token
within its scopes.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from glimpse.accounts.oauth.credentials import Credential, credential_find
from glimpse.realtime.auth import query_params


def offered_secret(scope: dict[str, Any]) -> tuple[str | None, bool]:
    """Return the token a connection offers and whether it came as its subprotocol."""
    for name, value in scope.get("headers") or []:
        if name.lower() == b"authorization":
            scheme, _, secret = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and secret.strip():
                return secret.strip(), False
    secret = query_params(scope).get("access_token", "").strip()
    if secret:
        return secret, False
    protocols = [p.strip() for p in scope.get("subprotocols") or [] if p.strip()]
    if scope.get("type") == "websocket" and len(protocols) == 1:
        return protocols[0], True
    return None, False


@database_sync_to_async
def credential_lookup(secret: str) -> Credential | None:
    """Return what an active token stands for (None for an unknown, expired or revoked one)."""
    return credential_find(secret=secret)
