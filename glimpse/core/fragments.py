"""Rendered pieces of pages kept by what they show: a piece whose inputs are the same as
last time is not rendered again.

A fragment names every value it shows (``{% fragment post=post ago=... %}``, in
``glimpse.core.templatetags.fragments``) and is rendered with those values alone, like an
include with ``only``: it cannot read anything else of the page, so its inputs are all it
can depend on, and the inputs are its key. The key is a digest of the inputs serialised in
full (every field of every presenter: counts, the viewer's own state, signed addresses),
so an edit, a like or a new avatar makes a new key and never serves an old piece. A piece
is kept in the process (the last ``GLIMPSE_FRAGMENTS_NEAR``) and in the shared cache for
``GLIMPSE_FRAGMENTS_TTL`` seconds, so that every web process serves what one rendered; old
pieces simply age out. A fragment's identity is the source of its body, and the shared
cache's keys also carry a digest of every template and template tag module the process
loaded them from: a deploy that changes how a piece is drawn never serves the old drawing.

A fragment never knows who is looking: it sees ``user.is_authenticated`` and nothing else
of the viewer, and its forms carry a stand-in for the CSRF token, replaced by the viewer's
own each time it is served. Two viewers who see the same thing share one piece.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
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
    """Return the fragment kept under this key by this process or another, if any."""
    return fragments_kept([key]).get(key)


def fragments_kept(keys: Iterable[bytes]) -> dict[bytes, str]:
    """Return the fragments kept under these keys, by key: this process's first, then the
    shared cache's in one round trip."""
    found: dict[bytes, str] = {}
    wanted: dict[str, bytes] = {}
    for key in keys:
        html = _KEPT.get(key)
        if html is None:
            wanted[_shared_key(key)] = key
        else:
            found[key] = html
    if wanted:
        for shared, html in cache.get_many(list(wanted)).items():
            _KEPT.put(wanted[shared], html)
            found[wanted[shared]] = html
    return found


def fragment_keep(key: bytes, html: str) -> None:
    """Keep a rendered fragment under its key, here and in the shared cache."""
    fragments_keep({key: html})


def fragments_keep(drawn: dict[bytes, str]) -> None:
    """Keep rendered fragments under their keys, here and in the shared cache (one round
    trip)."""
    for key, html in drawn.items():
        _KEPT.put(key, html)
    if drawn:
        shared = {_shared_key(key): html for key, html in drawn.items()}
        cache.set_many(shared, settings.GLIMPSE_FRAGMENTS_TTL)


def fragments_forget() -> None:
    """Forget every kept fragment (tests; keys alone already keep them from going stale)."""
    _KEPT.clear()


def with_token(html: str, token: object) -> str:
    """Return a fragment with the viewer's CSRF token in place of its stand-in."""
    if TOKEN_STAND_IN not in html:
        return html
    return html.replace(TOKEN_STAND_IN, "" if token is None else str(token))


def _shared_key(key: bytes) -> str:
    return f"fragment:{drawing_digest()}:{key.hex()}"


@functools.cache
def drawing_digest() -> str:
    """Return a digest of every template and template tag module of the installed apps and
    the project's template folders: what a fragment's body is drawn with, besides itself."""
    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(folder) for engine in engines for folder in engine["DIRS"]]
    for app in apps.get_app_configs():
        folders += [Path(app.path) / "templates", Path(app.path) / "templatetags"]
    digest = hashlib.blake2b(digest_size=8)
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.suffix in {".html", ".txt", ".py"} and path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    # Lazy strings are their text; anything else unknown cannot be keyed by what it shows.
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"a fragment's input cannot be a {type(value).__name__}")
