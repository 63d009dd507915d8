"""``/api/v1/trends``: the hashtags and posts trending on the network, as Explore ranks
them (the last 24 hours' engagement, decayed), each checked against the viewer's policy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, ConfigDict, Field

from glimpse.feeds import explore
from glimpse.feeds.explore_lists import network_lists
from glimpse.mastodon.auth import TokenAuth, request_viewer
from glimpse.mastodon.shown import statuses_of_ids, tags_json

router = Router(tags=["trends"])

ANYONE = TokenAuth(optional=True)


class TrendsQuery(BaseModel):
    """A page of a trend list: ``limit`` and ``offset``, as Mastodon takes them."""

    model_config = ConfigDict(extra="ignore")

    limit: int | None = Field(default=None, ge=1)
    offset: int = Field(default=0, ge=0)


@router.get("/trends/tags", auth=ANYONE)
def trending_tags(request: HttpRequest, page: Query[TrendsQuery]) -> list[dict[str, Any]]:
    """Return the trending hashtags with a week of use each (default 10, at most 20)."""
    viewer = request_viewer(request)
    size = min(page.limit or 10, 20)
    tags = explore.trending_tags(viewer=viewer, limit=page.offset + size)[page.offset :]
    return tags_json(viewer, tags)


@router.get("/trends/statuses", auth=ANYONE)
def trending_statuses(request: HttpRequest, page: Query[TrendsQuery]) -> list[dict[str, Any]]:
    """Return the trending posts the viewer may see, best first (default 20, at most 40)."""
    size = min(page.limit or 20, 40)
    ranked = network_lists().trending
    shown = statuses_of_ids(request_viewer(request), ranked[: page.offset + size])
    return shown[page.offset :]


@router.get("/trends/links", auth=ANYONE)
def trending_links(request: HttpRequest) -> list[Any]:
    """Return the trending links: Glimpse's posts carry no link cards."""
    return []
