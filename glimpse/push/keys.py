"""The server's VAPID key pair: from the environment, or made on first use and kept.

Browsers subscribe with the public key (``applicationServerKey``) and push services accept
a push only when it is signed by the matching private key, so the pair must stay the same
for as long as the subscriptions made with it. On the embedded default it is made the first
time it is needed and kept in the database (every process and worker reads the same row);
at scale ``GLIMPSE_VAPID_PRIVATE_KEY`` may give it instead. Nothing is ever downloaded.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import IntegrityError, transaction

from glimpse.push.models import VapidKey

SCALAR_BYTES = 32
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ServerKey:
    """The VAPID key pair: the private key object, and the public key as browsers take it."""

    private: ec.EllipticCurvePrivateKey
    public_key: str  # base64url of the uncompressed P-256 point (65 bytes)


def server_key() -> ServerKey:
    """Return the server's VAPID key pair, making and storing it the first time."""
    configured = settings.GLIMPSE_VAPID_PRIVATE_KEY.strip()
    if configured:
        return key_from_private(configured)
    row = VapidKey.objects.filter(pk=1).first()
    if row is None:
        made = ec.generate_private_key(ec.SECP256R1())
        try:
            with transaction.atomic():
                row = VapidKey.objects.create(
                    pk=1, private_key=private_text(made), public_key=public_text(made)
                )
        except IntegrityError:  # another process made it first: use theirs
            row = VapidKey.objects.get(pk=1)
    return key_from_private(row.private_key)


def key_from_private(text: str) -> ServerKey:
    """Return the key pair of a base64url raw private scalar (raise ValueError if bad)."""
    raw = b64url_decode(text)
    if len(raw) != SCALAR_BYTES:
        raise ValueError("A VAPID private key is 32 bytes, base64url-encoded.")
    private = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    return ServerKey(private=private, public_key=public_text(private))


def private_text(key: ec.EllipticCurvePrivateKey) -> str:
    """Return a private key as its base64url raw scalar."""
    return b64url_encode(key.private_numbers().private_value.to_bytes(SCALAR_BYTES, "big"))


def public_text(key: ec.EllipticCurvePrivateKey) -> str:
    """Return the public half of a key as base64url of its uncompressed point."""
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(point)


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url, as the Web Push specifications write keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without its padding (raise ValueError if it is not)."""
    text = text.rstrip("=")
    if not _BASE64URL.fullmatch(text):
        raise ValueError("Not base64url.")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError("Not base64url.") from error
