"""Time-based one-time passwords (RFC 6238): 30-second steps, 6 digits, HMAC-SHA-1.

These are the parameters every authenticator app uses by default, so a QR code needs to
name none of them. A code is accepted one step early or late (a phone's clock drifts, a
person types slowly), and a step already used is refused: the caller keeps the last one.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

from glimpse.core import clock

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA-1


def totp_secret_new() -> bytes:
    """Return a new random secret."""
    return secrets.token_bytes(SECRET_BYTES)


def totp_secret_text(secret: bytes) -> str:
    """Return a secret as apps take it typed in: base32, grouped by four, without padding."""
    text = base64.b32encode(secret).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_step(at: float | None = None) -> int:
    """Return the number of the 30-second step a moment (now by default) falls in."""
    return int((clock.now() if at is None else at) // STEP_SECONDS)


def totp_code(secret: bytes, step: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """Return the code of a step (HOTP of RFC 4226 over the step counter)."""
    mac = hmac.new(secret, struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def totp_match(secret: bytes, code: str, *, at: float | None = None, after: int = -1) -> int | None:
    """Return the step a typed code belongs to (within one step of now), or None.

    Steps up to ``after`` (the last one used) are never matched, so that a code cannot be
    replayed, nor an older one used after a newer one.
    """
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    now = totp_step(at)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        # Every candidate is compared, in constant time, so timing tells nothing.
        if hmac.compare_digest(totp_code(secret, step), typed) and step > after:
            found = step
    return found


def totp_uri(secret: bytes, *, account: str, issuer: str) -> str:
    """Return the otpauth:// address a QR code carries for authenticator apps."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": totp_secret_text(secret).replace(" ", ""), "issuer": issuer})
    return f"otpauth://totp/{label}?{query}"
