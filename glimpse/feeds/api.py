"""The home feed in the API: a page of it, and how many entries are new."""

from __future__ import annotations

from typing import Literal, TypedDict

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors, json_response
from glimpse.core.pagination import cursor_json
from glimpse.feeds import ranking, selectors
from glimpse.feeds.presenters import feed_entry_json, feed_views
from glimpse.feeds.schemas import FeedOut, NewCountOut
from glimpse.insights.services import impressions_record
from glimpse.posts.schemas import Id

router = Router(tags=["feed"])


class NewCountJson(TypedDict):
    count: int


@router.get("/feed", auth=api_auth, response={200: FeedOut, **errors(401, 422)})
def feed(
    request: HttpRequest,
    max_id: Id | None = None,
    limit: int | None = None,
    order: Literal["chronological", "ranked"] = "chronological",
    cursor: str | None = None,
) -> HttpResponse:
    """The viewer's home feed: posts and reposts of followed accounts and own.

    Newest first by default (pages continue with ``max_id``); ``order=ranked`` re-orders the
    newest few hundred by the score of docs/feeds.md (pages continue with ``cursor``).
    """
    viewer = request_user(request)
    if order == "ranked":
        ranked = ranking.feed_ranked_page(viewer=viewer, cursor=cursor, limit=limit)
        items, next_max_id, next_cursor = ranked.items, None, ranked.next_cursor
    else:
        page = selectors.feed_page(viewer=viewer, max_id=max_id, limit=limit)
        items, next_cursor = page.items, None
        next_max_id = cursor_json(page.next_max_id)
    impressions_record(viewer=viewer, post_ids=[item.post_id for item in items], source="feed")
    body = {
        "items": [feed_entry_json(view) for view in feed_views(items)],
        "next_max_id": next_max_id,
        "next_cursor": next_cursor,
    }
    return json_response(body)


@router.get("/feed/new-count", auth=api_auth, response={200: NewCountOut, **errors(401, 422)})
def feed_new_count(request: HttpRequest, since_id: Id) -> NewCountJson:
    """How many entries arrived in the viewer's feed since ``since_id`` (for a banner)."""
    return {"count": selectors.feed_new_count(viewer=request_user(request), since_id=since_id)}
