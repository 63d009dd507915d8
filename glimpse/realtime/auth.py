"""Websocket authentication: a bearer token, or else the web session.

A token is a personal API token, or an app's OAuth token for an account that holds the
whole ``read`` scope (the socket carries everything the account may read: notifications,
messages, counts); an app's own token (no account) cannot open one.

Browsers cannot set headers on a websocket, so a token comes as the subprotocol pair
``bearer, <token>`` (answered with the subprotocol ``bearer``) or, for other clients, as
``?token=`` in the query string. A connection with a token skips the origin check: the
token is not an ambient credential a foreign page could borrow, unlike the session cookie,
so only session connections go through the origin validation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from glimpse.accounts.oauth.credentials import Credential, credential_find

BEARER = "bearer"

Scope = dict[str, Any]
Receive = Any
Send = Any


def query_params(scope: Scope) -> dict[str, str]:
    """Return the query string of a connection as single values (the first of each)."""
    raw = scope.get("query_string", b"").decode("latin-1")
    return {key: values[0] for key, values in parse_qs(raw).items()}


def offered_token(scope: Scope) -> tuple[str | None, bool]:
    """Return the token the client offers and whether it came as a subprotocol."""
    protocols = [p.strip() for p in scope.get("subprotocols") or []]
    if len(protocols) >= 2 and protocols[0].lower() == BEARER:
        return protocols[1], True
    token = query_params(scope).get("token")
    return (token, False) if token else (None, False)


@database_sync_to_async
def token_lookup(secret: str) -> Credential | None:
    """Return what an active token stands for, if it may open a socket (see above)."""
    found = credential_find(secret=secret)
    if found is None or found.user is None:
        return None
    if found.access_token is not None and not found.allows("read"):
        return None
    return found


class TokenAuthMiddleware:
    """Send token connections to ``token_app`` with their account, the rest to ``session_app``."""

    def __init__(self, session_app: Any, token_app: Any) -> None:
        self.session_app = session_app
        self.token_app = token_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        """Authenticate a websocket by its token when it offers one."""
        secret, as_subprotocol = offered_token(scope)
        if secret is None:
            return await self.session_app(scope, receive, send)
        token = await token_lookup(secret)
        scope = dict(scope)
        # A bad token is refused even if a session cookie came along: the client asked for
        # the token's account, not the browser's.
        scope["user"] = token.user if token is not None else AnonymousUser()
        scope["api_token"] = token.api_token if token is not None else None
        scope["api_token_secret"] = secret if token is not None else None
        scope["bearer_subprotocol"] = as_subprotocol
        return await self.token_app(scope, receive, send)
