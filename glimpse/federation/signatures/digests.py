"""Body digests: the older `Digest` header (RFC 3230, used with draft-cavage signatures) and
`Content-Digest` (RFC 9530, used with RFC 9421), made for outgoing bodies, checked on incoming."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

import http_sf

from glimpse.federation.signatures.common import SignatureError

# Both headers name the same two hashes; weaker ones (MD5, SHA-1) are not accepted.
_HASHES: dict[str, Callable[[bytes], bytes]] = {
    "sha-256": lambda body: hashlib.sha256(body).digest(),
    "sha-512": lambda body: hashlib.sha512(body).digest(),
}


def digest_header(body: bytes) -> str:
    """Return the `Digest` value for a body: `SHA-256=<base64>`."""
    return "SHA-256=" + base64.b64encode(_HASHES["sha-256"](body)).decode("ascii")


def content_digest_header(body: bytes) -> str:
    """Return the `Content-Digest` value for a body: `sha-256=:<base64>:`."""
    return "sha-256=:" + base64.b64encode(_HASHES["sha-256"](body)).decode("ascii") + ":"


def check_digest(value: str, body: bytes) -> None:
    """Check a `Digest` header against the body: every SHA-256/512 entry in it must match."""
    checked = False
    for entry in value.split(","):
        name, sep, encoded = entry.strip().partition("=")
        hash_body = _HASHES.get(name.strip().lower())
        if not sep or hash_body is None:
            continue
        try:
            claimed = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as exc:
            raise SignatureError("bad digest: the Digest header is not base64") from exc
        if not hmac.compare_digest(claimed, hash_body(body)):
            raise SignatureError("bad digest: the Digest header does not match the body")
        checked = True
    if not checked:
        raise SignatureError("bad digest: the Digest header has no SHA-256 or SHA-512 entry")


def check_content_digest(value: str, body: bytes) -> None:
    """Check a `Content-Digest` header against the body: every sha-256/512 member must match."""
    try:
        members = http_sf.parse(value.encode("ascii"), tltype="dictionary")
    except (ValueError, UnicodeEncodeError) as exc:
        raise SignatureError("bad digest: the Content-Digest header is malformed") from exc
    if not isinstance(members, dict):
        raise SignatureError("bad digest: the Content-Digest header is malformed")
    checked = False
    entries: dict[str, Any] = members
    for name, (claimed, _params) in entries.items():
        hash_body = _HASHES.get(name)
        if hash_body is None:
            continue
        if not isinstance(claimed, bytes):
            raise SignatureError("bad digest: a Content-Digest member is not a byte sequence")
        if not hmac.compare_digest(claimed, hash_body(body)):
            raise SignatureError("bad digest: the Content-Digest header does not match the body")
        checked = True
    if not checked:
        raise SignatureError(
            "bad digest: the Content-Digest header has no sha-256 or sha-512 member"
        )
