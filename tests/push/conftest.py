"""A real push service on 127.0.0.1 and real browser keys, to receive and read our pushes.

``push_service`` is an HTTP server in a thread that takes each push (as a browser's push
service would), keeps it, and answers the status a test sets. ``FakeBrowser`` holds what a
browser makes when it subscribes: a P-256 key pair and a 16-byte authentication secret; it
decrypts a received push (aes128gcm, RFC 8291) and checks its VAPID token (RFC 8292)
against the server's public key. Nothing is mocked: pywebpush posts over real sockets.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from glimpse.accounts.models import User
from glimpse.push import services
from glimpse.push.keys import server_key
from glimpse.push.models import PushSubscription
from tests.notifications.conftest import Run, ana, bo, cy, post_by, run
from tests.posts.conftest import client_for, media_for

__all__ = ["ana", "bo", "client_for", "cy", "media_for", "post_by", "run"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    """One push as the push service got it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """A push service on 127.0.0.1: it keeps every push and answers ``status``."""

    origin: str = ""
    status: int = 201
    extra_headers: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def endpoint(self, name: str) -> str:
        """Return the URL this service would give one browser."""
        return f"{self.origin}/push/{name}"


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushService]:
    """Run a push service on a free local port; only it is a known push service."""
    service = PushService()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                service.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            self.send_response(service.status)
            for name, value in service.extra_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.GLIMPSE_PUSH_SERVICES = ["http://127.0.0.1"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class FakeBrowser:
    """What a browser makes when it subscribes, and what it does with a push."""

    endpoint: str
    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def subscription_json(self) -> dict[str, Any]:
        """Return what ``PushSubscription.toJSON()`` gives in a browser."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }

    def subscribe(self, user: User) -> PushSubscription:
        """Save this browser for an account through the real service."""
        return services.push_subscription_save(
            user=user,
            endpoint=self.endpoint,
            p256dh=self.p256dh,
            auth=b64url(self.auth),
            user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36",
        )

    def read(self, push: Received) -> dict[str, Any]:
        """Decrypt a push with this browser's keys, as the browser would; return its JSON."""
        assert push.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            push.body, private_key=self.private, auth_secret=self.auth, version="aes128gcm"
        )
        data: dict[str, Any] = json.loads(plain)
        return data


def vapid_claims(push: Received, *, audience: str) -> dict[str, Any]:
    """Check a push's VAPID token as a push service does; return its claims.

    The header is ``vapid t=<JWT>,k=<public key>``: the key must be the server's, the token
    an ES256 JWT signed by it, for this service (``aud``), not expired, with a contact.
    """
    scheme, _, params = push.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.split("=", 1) for part in params.split(","))
    assert parts["k"] == server_key().public_key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    head, payload, signature = parts["t"].split(".")
    raw = unb64url(signature)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    # Raises InvalidSignature unless our private key signed exactly this header and payload.
    public.verify(der, f"{head}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    claims: dict[str, Any] = json.loads(unb64url(payload))
    assert claims["aud"] == audience
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert claims["sub"].startswith(("mailto:", "https://"))
    return claims


@pytest.fixture
def browser_for(push_service: PushService) -> Callable[[str], FakeBrowser]:
    """Return a new browser whose endpoint is on the local push service."""

    def make(name: str) -> FakeBrowser:
        return FakeBrowser(endpoint=push_service.endpoint(name))

    return make


__all__ += ["Run"]
