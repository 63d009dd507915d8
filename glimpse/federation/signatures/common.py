"""What signing and verifying share: the error, the key a lookup answers, the verified result,
the clock window, the origin rule and header lookup by lowercase name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from django.conf import settings

_DEFAULT_PORTS = {"http": 80, "https": 443}


class SignatureError(Exception):
    """A request's signature is missing, malformed, stale, unverifiable or does not verify."""


@dataclass(frozen=True, slots=True)
class PublicKeyInfo:
    """A public key (SubjectPublicKeyInfo PEM) and the id of the actor that owns it."""

    public_key_pem: str
    actor_id: str


@dataclass(frozen=True, slots=True)
class VerifiedSignature:
    """Who signed a request: the key, its owner, and the scheme of the signature."""

    key_id: str
    actor_id: str
    scheme: Literal["cavage", "rfc9421"]


# key_lookup(key_id, refresh) -> the key and its owner, or None when it cannot be found;
# refresh=True asks to fetch it again rather than trust a copy kept from before.
KeyLookup = Callable[[str, bool], PublicKeyInfo | None]


def same_origin(a_url: str, b_url: str) -> bool:
    """Tell whether two URLs share scheme, host and port (default ports made explicit)."""
    a, b = _origin(a_url), _origin(b_url)
    return a is not None and a == b


def authority(url: str) -> str:
    """Return a URL's host, with its port only where it is not the scheme's default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets in a Host header
        host = f"[{host}]"
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def request_target(url: str) -> str:
    """Return the path and query of a URL, as the request line carries them."""
    parts = urlsplit(url)
    target = parts.path or "/"
    return f"{target}?{parts.query}" if parts.query else target


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return the headers keyed by lowercase name, repeated names joined with ", "."""
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        key, value = name.lower(), value.strip()
        lowered[key] = f"{lowered[key]}, {value}" if key in lowered else value
    return lowered


def current_time(now: dt.datetime | None) -> dt.datetime:
    """Return the moment to judge a signature at: the one given, else now (in UTC)."""
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ValueError("the time to judge a signature at must carry a time zone")
    return moment


def check_within_window(moment: dt.datetime, *, now: dt.datetime, what: str) -> None:
    """Refuse a time further than the allowed clock skew from now, either way."""
    skew = dt.timedelta(seconds=settings.GLIMPSE_FEDERATION_SIGNATURE_SKEW)
    if abs(moment - now) > skew:
        raise SignatureError(f"clock skew: {what} is more than {skew} away from this server's time")


def check_not_expired(expires: dt.datetime, *, now: dt.datetime) -> None:
    """Refuse a signature whose expiry time has passed."""
    if expires < now:
        raise SignatureError("expired: the signature's expires time has passed")


def from_timestamp(value: int | str, *, what: str) -> dt.datetime:
    """Read a Unix time (seconds) into an aware datetime, refusing what is not one."""
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise SignatureError(f"malformed signature: {what} is not a Unix time") from exc


@lru_cache(maxsize=512)
def load_private_key(pem: str) -> PrivateKeyTypes:
    """Read a private key (PKCS#8 PEM), kept for the signatures that follow.

    Reading an RSA private key checks the whole key, some 80 ms of CPU: a worker that signs
    a delivery for each of an account's followers' servers reads its key once.
    """
    return load_pem_private_key(pem.encode("ascii"), password=None)


def load_public_key(pem: str) -> PublicKeyTypes:
    """Read a SubjectPublicKeyInfo PEM, refusing one that cannot be read."""
    try:
        return load_pem_public_key(pem.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError, UnsupportedAlgorithm) as exc:
        raise SignatureError("unusable key: its public key cannot be read") from exc


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """Return (scheme, host, port) of an absolute http(s) URL, or None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[scheme]
