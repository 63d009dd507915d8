"""The fields of a client API request, as Mastodon's clients send them: in the query, a JSON
body, or a form whose names nest Rails-style (``subscription[keys][auth]``, ``media_ids[]``)."""

from __future__ import annotations

import re
from typing import Any

import orjson
from django.http import HttpRequest

from glimpse.mastodon.errors import MastodonError

_PARTS = re.compile(r"\[([^\[\]]*)\]")
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def request_fields(request: HttpRequest) -> dict[str, Any]:
    """Return the request's fields: its query, then its JSON or form body over it, nested."""
    fields: dict[str, Any] = {}
    for key in request.GET:
        _put(fields, key, request.GET.getlist(key))
    if request.content_type == "application/json":
        try:
            body = orjson.loads(request.body or b"{}")
        except orjson.JSONDecodeError as error:
            raise MastodonError(400, "The body is not valid JSON") from error
        if not isinstance(body, dict):
            raise MastodonError(400, "The body must be a JSON object")
        fields.update(body)
        return fields
    request_form_load(request)
    for key in request.POST:
        _put(fields, key, request.POST.getlist(key))
    return fields


def request_form_load(request: HttpRequest) -> None:
    """Read a form body into ``request.POST`` and ``request.FILES`` whatever the method:
    Django reads one only for POST, and clients send forms with PUT too."""
    if request.method == "POST" or request.content_type not in _FORMS:
        return
    method = request.method
    for cached in ("_post", "_files"):
        if hasattr(request, cached):
            delattr(request, cached)
    request.method = "POST"
    try:
        request._load_post_and_files()
    finally:
        request.method = method


def _put(fields: dict[str, Any], key: str, values: list[str]) -> None:
    """Set one form field: ``a[b][c]`` in nested objects, ``a[]`` (or a repeated name) as a
    list, anything else as its one value."""
    name, _, rest = key.partition("[")
    path = [name, *_PARTS.findall("[" + rest)] if rest else [name]
    is_list = path[-1] == "" or len(values) > 1
    if path[-1] == "":
        path = path[:-1]
    target = fields
    for part in path[:-1]:
        inner = target.get(part)
        if not isinstance(inner, dict):
            inner = target[part] = {}
        target = inner
    target[path[-1]] = values if is_list else values[0]
