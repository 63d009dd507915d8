"""Rendered pieces of pages kept by what they show: a piece whose inputs are the same as
last time is not rendered again.

A fragment names every value it shows (``{% fragment post=post ago=... %}``, in
``glimpse.core.templatetags.fragments``) and is rendered with those values alone, like an
include with ``only``: it cannot read anything else of the page, so its inputs are all it
can depend on, and the inputs are its key. The key is a digest of the inputs serialised in
full (every field of every presenter: counts, the viewer's own state, signed addresses),
so an edit, a like or a new avatar makes a new key and never serves an old piece; the old
one simply ages out of the process's bounded store (``GLIMPSE_FRAGMENTS_NEAR``).

A fragment never knows who is looking: it sees ``user.is_authenticated`` and nothing else
of the viewer, and its forms carry a stand-in for the CSRF token, replaced by the viewer's
own each time it is served. Two viewers who see the same thing share one piece.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import orjson
from django.conf import settings
from django.utils.functional import Promise

from glimpse.core.recent import Recent

# Stands for the CSRF token inside a kept fragment; random per process, so no text a user
# writes can name it.
TOKEN_STAND_IN = "csrf" + secrets.token_hex(16)

_KEPT: Recent[bytes, str] = Recent(lambda: settings.GLIMPSE_FRAGMENTS_NEAR)


class Unkeyable(TypeError):
    """An input that cannot be serialised in full: the fragment is rendered every time."""


def fragment_key(*parts: Any) -> bytes:
    """Return the digest of a fragment's identity and inputs, serialised in full."""
    try:
        serialised = orjson.dumps(parts, default=_plain, option=orjson.OPT_NON_STR_KEYS)
    except TypeError as error:
        raise Unkeyable(str(error)) from error
    return hashlib.blake2b(serialised, digest_size=20).digest()


def fragment_kept(key: bytes) -> str | None:
    """Return the fragment kept under this key, if any."""
    return _KEPT.get(key)


def fragment_keep(key: bytes, html: str) -> None:
    """Keep a rendered fragment under its key."""
    _KEPT.put(key, html)


def fragments_forget() -> None:
    """Forget every kept fragment (tests; keys alone already keep them from going stale)."""
    _KEPT.clear()


def with_token(html: str, token: object) -> str:
    """Return a fragment with the viewer's CSRF token in place of its stand-in."""
    if TOKEN_STAND_IN not in html:
        return html
    return html.replace(TOKEN_STAND_IN, "" if token is None else str(token))


def _plain(value: Any) -> Any:
    # Lazy strings are their text; anything else unknown cannot be keyed by what it shows.
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"a fragment's input cannot be a {type(value).__name__}")
