"""Codes as an authenticator app makes them, from the secret the setup page shows."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

from django.test import Client

from tests.conftest import PASSWORD


def rfc_totp(secret: bytes, at: float | None = None, *, digits: int = 6) -> str:
    """Return the code of a moment after RFC 6238 (T0 = 0, X = 30 s, HMAC-SHA-1)."""
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[19] & 0xF
    binary = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def shown_secret(html: str) -> bytes:
    """Return the secret the setup page shows for typing into an app."""
    found = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert found is not None, "the setup page shows no secret"
    text = found.group(1).replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def recovery_codes(html: str) -> list[str]:
    """Return the recovery codes a page shows."""
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", html)


def turn_on_app(client: Client) -> tuple[bytes, list[str]]:
    """Set up an authenticator app through the settings pages; return its secret and codes."""
    page = client.get("/accounts/settings/two-factor/app/")
    assert page.status_code == 200
    secret = shown_secret(page.content.decode())
    done = client.post(
        "/accounts/settings/two-factor/app/", {"password": PASSWORD, "code": rfc_totp(secret)}
    )
    assert done.status_code == 200, done.content.decode()[:500]
    return secret, recovery_codes(done.content.decode())


def password_step(client: Client, login: str, next_url: str = "") -> str:
    """Give the password at the log-in; return where the answer sends the browser."""
    body = {"login": login, "password": PASSWORD}
    if next_url:
        body["next"] = next_url
    answer = client.post("/accounts/login/", body)
    assert answer.status_code == 302, answer.content.decode()[:500]
    return str(answer["Location"])
