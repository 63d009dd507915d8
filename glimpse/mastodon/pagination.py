"""Mastodon's pagination: ``max_id``, ``since_id``, ``min_id`` and ``limit`` in, a ``Link``
header out.

Lists are newest first. ``max_id`` asks for what is older than an id, ``since_id`` for the
newest items above one, ``min_id`` for the items just above one (the page that follows it
going up). The ``Link`` header names the next page (``max_id`` of the oldest item shown)
and the previous one (``min_id`` of the newest), as Mastodon writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import orjson
from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel, ConfigDict, Field

DEFAULT_LIMIT = 20
MAX_LIMIT = 40
_CURSORS = ("max_id", "since_id", "min_id")


class PageQuery(BaseModel):
    """A page of a list as Mastodon's clients ask for it; a bad value is a 422."""

    model_config = ConfigDict(extra="ignore")

    max_id: int | None = Field(default=None, ge=0)
    since_id: int | None = Field(default=None, ge=0)
    min_id: int | None = Field(default=None, ge=0)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1)

    @property
    def size(self) -> int:
        """Return the page size: what was asked, at most Mastodon's 40."""
        return min(self.limit, MAX_LIMIT)

    def window(self) -> dict[str, int | None]:
        """Return the page as the keyword arguments of Glimpse's list selectors."""
        return {
            "max_id": self.max_id,
            "since_id": self.since_id,
            "min_id": self.min_id,
            "limit": self.size,
        }


def page_response(
    request: HttpRequest, entities: Sequence[Any] | dict[str, Any], ids: Sequence[int]
) -> HttpResponse:
    """Answer a page of entities (or an object holding them) with its ``Link`` header (none
    for an empty page).

    ``ids`` are the cursors of the page's entries, newest first: a status's id, or the id of
    the follow or like that put an account in the list.
    """
    shown = entities if isinstance(entities, dict) else list(entities)
    body = orjson.dumps(shown, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
    response = HttpResponse(body, content_type="application/json")
    if ids:
        links = [
            f'<{_page_url(request, "max_id", ids[-1])}>; rel="next"',
            f'<{_page_url(request, "min_id", ids[0])}>; rel="prev"',
        ]
        response["Link"] = ", ".join(links)
    return response


def _page_url(request: HttpRequest, cursor: str, value: int) -> str:
    # The same list with its other parameters kept (limit, only_media...), the cursor replaced.
    kept = [(key, item) for key, item in request.GET.items() if key not in _CURSORS]
    query = urlencode([*kept, (cursor, str(value))])
    return request.build_absolute_uri(request.path) + "?" + query
