"""``/api/v1/markers``: where the account stopped reading its home timeline and its
notifications, kept for all its apps (moving the notifications one marks them read)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.errors import MastodonError
from glimpse.mastodon.markers import markers_get, markers_set
from glimpse.mastodon.models import Timeline
from glimpse.mastodon.params import request_fields

router = Router(tags=["markers"])


@router.get("/markers", auth=TokenAuth("read:statuses"))
def markers(request: HttpRequest) -> dict[str, Any]:
    """Return the account's markers of the timelines asked for (``timeline[]``)."""
    asked = request_fields(request).get("timeline") or []
    names = asked if isinstance(asked, list) else [asked]
    return markers_get(user=request_account(request), timelines=names)


@router.post("/markers", auth=TokenAuth("write:statuses"))
def markers_save(request: HttpRequest) -> dict[str, Any]:
    """Move the account's markers: ``home[last_read_id]``, ``notifications[last_read_id]``."""
    fields = request_fields(request)
    positions = {}
    for name in Timeline.values:
        given = fields.get(name)
        if given is None:
            continue
        last_read_id = given.get("last_read_id") if isinstance(given, dict) else None
        if not isinstance(last_read_id, (str, int)) or not str(last_read_id).isdigit():
            raise MastodonError(422, f"Validation failed: {name}[last_read_id] must be an id")
        positions[name] = int(last_read_id)
    if not positions:
        raise MastodonError(422, "Validation failed: give home or notifications [last_read_id]")
    return markers_set(user=request_account(request), positions=positions)
