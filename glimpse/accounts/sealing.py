"""Seal small secrets kept in the database (an authenticator's key) with the site's key.

A copy of the database alone then gives nobody the codes of an account. The key is derived
from ``SECRET_KEY``; the keys in ``SECRET_KEY_FALLBACKS`` still open what they sealed, so
that the site's key can be rotated the way Django rotates it for everything else.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"glimpse.accounts.sealing"


def seal(secret: bytes) -> str:
    """Return a secret encrypted and authenticated with the site's current key."""
    return _box().encrypt(secret).decode()


def unseal(sealed: str) -> bytes:
    """Return the secret a sealed text holds; raise ValueError if no known key opens it."""
    try:
        return _box().decrypt(sealed.encode())
    except InvalidToken:
        raise ValueError("The sealed secret cannot be opened with the site's keys.") from None


def _box() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_derive(key)) for key in keys])


def _derive(key: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(key.encode())
    return base64.urlsafe_b64encode(raw)
