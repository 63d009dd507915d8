"""Helpers that walk the OAuth 2 flow the way a phone app and its user would."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client

APP_REDIRECT = "com.example.app:/oauth"
OOB = "urn:ietf:wg:oauth:2.0:oob"
VERIFIER = "a-long-random-verifier-of-the-app-0123456789-abcdefghijklmnop"


def s256(verifier: str) -> str:
    """Return the S256 code challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def register_app(
    scopes: str = "read write follow push", redirect_uris: str = f"{APP_REDIRECT} {OOB}"
) -> dict[str, Any]:
    """Register an app through the client API and return its Application entity."""
    response = Client().post(
        "/api/v1/apps",
        json.dumps({"client_name": "Pocket", "redirect_uris": redirect_uris, "scopes": scopes}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def authorize_params(
    app: dict[str, Any],
    *,
    scope: str = "read write",
    redirect_uri: str = APP_REDIRECT,
    challenge: str | None = None,
    method: str | None = "S256",
) -> dict[str, str]:
    """Return the query of an authorization request."""
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": "the-state",
    }
    if challenge is not None:
        params["code_challenge"] = challenge
        if method is not None:
            params["code_challenge_method"] = method
    return params


def consent(client: Client, params: dict[str, str], *, approve: bool = True) -> Any:
    """Open the consent page and press Approve (or Deny); return the answer to the press."""
    page = client.get("/oauth/authorize", params)
    assert page.status_code == 200, page.content
    fields = {name: value for name, value in page.context["form"].initial.items() if value}
    if approve:
        fields["allow"] = "on"
    return client.post("/oauth/authorize", fields)


def code_from(response: Any) -> str:
    """Return the code of a redirect back to the app."""
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["the-state"]
    return query["code"][0]


def exchange(
    app: dict[str, Any],
    code: str,
    *,
    verifier: str | None = VERIFIER,
    redirect_uri: str = APP_REDIRECT,
) -> Any:
    """Exchange a code for a token at the token endpoint."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "redirect_uri": redirect_uri,
    }
    if verifier is not None:
        data["code_verifier"] = verifier
    return Client().post("/oauth/token", data)


def user_token(client: Client, app: dict[str, Any], scope: str = "read write") -> str:
    """Walk the whole flow (PKCE S256) for the signed-in ``client`` and return its token."""
    params = authorize_params(app, scope=scope, challenge=s256(VERIFIER))
    response = exchange(app, code_from(consent(client, params)))
    assert response.status_code == 200, response.content
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, Any]:
    """Return the header arguments of a test client request with this token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
