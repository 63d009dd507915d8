"""The home feed in the API: a page of it, and how many entries are new."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.feeds import selectors
from glimpse.feeds.schemas import FeedOut, NewCountOut
from glimpse.posts.api.render import account_out, post_out
from glimpse.posts.schemas import Id

router = Router(tags=["feed"])


@router.get("/feed", auth=api_auth, response={200: FeedOut, **errors(401, 422)})
def feed(request: HttpRequest, max_id: Id | None = None, limit: int | None = None) -> dict:
    """The viewer's home feed: posts and reposts of followed accounts and own, newest first."""
    page = selectors.feed_page(viewer=request_user(request), max_id=max_id, limit=limit)
    items: list[dict[str, Any]] = [
        {
            **post_out(item.post),
            "feed_id": str(item.entry_id),
            "reposted_by": account_out(item.reposted_by) if item.reposted_by else None,
        }
        for item in page.items
    ]
    next_max_id = str(page.next_max_id) if page.next_max_id else None
    return {"items": items, "next_max_id": next_max_id}


@router.get("/feed/new-count", auth=api_auth, response={200: NewCountOut, **errors(401, 422)})
def feed_new_count(request: HttpRequest, since_id: Id) -> dict:
    """How many entries arrived in the viewer's feed since ``since_id`` (for a banner)."""
    return {"count": selectors.feed_new_count(viewer=request_user(request), since_id=since_id)}
