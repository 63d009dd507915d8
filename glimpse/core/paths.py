"""Reversing a URL by name, fast: each name's pattern is reversed once, then filled in.

Django's ``reverse`` walks the URL patterns and checks the arguments on every call, and a
feed page names a few hundred links (every author, post, place and action of twenty
cards). The address of a name only differs by its arguments, so ``path_to`` reverses each
name once with marker arguments, remembers where the markers landed, and afterwards puts
the real arguments there. Only plain arguments take this way (ids, and words of letters,
digits, ``_``, ``.`` and ``-``, which every pattern's converter keeps as they are and no
quoting changes); anything else, keyword arguments, or a name whose markers do not come
back unchanged, goes through ``reverse`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "8675309142857"  # digits, so that an int converter takes them too
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]+")
_templates: dict[tuple[Any, ...], tuple[str, ...] | None] = {}


def path_to(view_name: str, args: Sequence[Any] = (), current_app: str | None = None) -> str:
    """Return the path of the view ``view_name`` with these positional arguments, as
    ``reverse`` would (raising its NoReverseMatch for a name that does not exist)."""
    if not all(_plain(arg) for arg in args):
        return reverse(view_name, args=args, current_app=current_app)
    key = (view_name, len(args), current_app, get_script_prefix(), get_urlconf())
    if key not in _templates:
        _templates[key] = _pieces(view_name, len(args), current_app)
    pieces = _templates[key]
    if pieces is None:
        return reverse(view_name, args=args, current_app=current_app)
    out = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        out.append(str(arg))
        out.append(piece)
    return "".join(out)


def _plain(arg: Any) -> bool:
    if isinstance(arg, int) and not isinstance(arg, bool):
        return arg >= 0
    return isinstance(arg, str) and _PLAIN.fullmatch(arg) is not None


def _pieces(view_name: str, count: int, current_app: str | None) -> tuple[str, ...] | None:
    """Return the text around each argument of the name's path, or None when the markers
    do not each come back once, in order (then ``reverse`` answers every call)."""
    markers = [f"{_MARKER}{n}" for n in range(count)]
    path = reverse(view_name, args=markers, current_app=current_app)
    pieces: list[str] = []
    for marker in markers:
        before, found, path = path.partition(marker)
        if not found or marker in path:
            return None
        pieces.append(before)
    pieces.append(path)
    return tuple(pieces)
