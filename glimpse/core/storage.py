"""Files on local disk with signed, expiring URLs, the way object storage hands them out.

A URL names one stored path, carries the second it expires at and an HMAC of both made with
a key derived from SECRET_KEY; the view that serves ``MEDIA_URL`` answers nothing else. The
lifetime is ``GLIMPSE_MEDIA_URL_SECONDS``, the same as the bucket's signed URLs. Expiry times
are rounded up to a step of a tenth of the lifetime, so that the pages rendered within one
step give the same URL (browsers cache it) and a URL always lives at least the lifetime.
"""

from __future__ import annotations

import math
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import checks, signing
from django.core.files.storage import FileSystemStorage

SALT = "glimpse.core.storage.media-url"
EXPIRES = "expires"
SIGNATURE = "signature"


class SignedFileSystemStorage(FileSystemStorage):
    """The local media folder: every URL it gives is signed for its path and expires."""

    def url(self, name: str | None) -> str:
        """Return the file's URL with its expiry and signature."""
        plain = super().url(name)
        expires = media_url_expiry(now=time.time())
        signature = media_url_signature(name=str(name), expires=expires)
        return f"{plain}?{urlencode({EXPIRES: expires, SIGNATURE: signature})}"


def media_url_expiry(*, now: float) -> int:
    """Return the expiry of a URL made at ``now``: at least the lifetime, on a step boundary."""
    lifetime = settings.GLIMPSE_MEDIA_URL_SECONDS
    step = max(1, lifetime // 10)
    return math.ceil((now + lifetime) / step) * step


def media_url_signature(*, name: str, expires: int) -> str:
    """Return the signature of a storage name with an expiry (URL-safe base64)."""
    return _signer().signature(_signed_value(name, expires))


def media_url_valid(*, name: str, expires: str, signature: str, now: float) -> bool:
    """Tell whether a URL's expiry and signature are this name's and it has not expired."""
    if not (expires.isascii() and expires.isdigit() and len(expires) <= 12) or int(expires) < now:
        return False
    try:
        # Compares in constant time, with the current key and each fallback key.
        _signer().unsign(f"{_signed_value(name, int(expires))}:{signature}")
    except signing.BadSignature:
        return False
    return True


def check_media_url_lifetime(**kwargs: Any) -> list[checks.CheckMessage]:
    """Report a media URL lifetime shorter than the cached cards that hold the URLs."""
    lifetime, card_ttl = settings.GLIMPSE_MEDIA_URL_SECONDS, settings.GLIMPSE_CARD_TTL
    if lifetime > card_ttl:
        return []
    message = (
        f"GLIMPSE_MEDIA_URL_SECONDS ({lifetime}) must be longer than GLIMPSE_CARD_TTL "
        f"({card_ttl}): cached cards would hand out media URLs that have expired."
    )
    return [checks.Error(message, id="glimpse.E010")]


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, algorithm="sha256")


def _signed_value(name: str, expires: int) -> str:
    # The expiry goes first: a name may hold any character, a number has no "/".
    return f"{expires}/{name}"
