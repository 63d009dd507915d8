"""Reels in the API: the Reels feed, and counting a play."""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors, json_response
from glimpse.core.pagination import cursor_json
from glimpse.feeds.presenters import reel_views
from glimpse.feeds.reels import reels_page
from glimpse.feeds.schemas import ReelViewsOut
from glimpse.insights.services import impressions_record
from glimpse.posts.presenters import PostPageJson, post_json
from glimpse.posts.schemas import Id, PostListOut
from glimpse.posts.services import reel_view_record

router = Router(tags=["reels"])


class ReelViewsJson(TypedDict):
    view_count: int


@router.get("/reels", auth=api_auth, response={200: PostListOut, **errors(401, 422)})
def reels(request: HttpRequest, max_id: Id | None = None, limit: int | None = None) -> HttpResponse:
    """The viewer's Reels feed, newest first: reels of the accounts it follows and of public
    accounts (never its own), each a post with `kind: "reel"` and its `view_count`."""
    viewer = request_user(request)
    page = reels_page(viewer=viewer, max_id=max_id, limit=limit)
    impressions_record(
        viewer=viewer, post_ids=[item.post_id for item in page.items], source="reels"
    )
    body = PostPageJson(
        items=[post_json(view) for view in reel_views(page.items)],
        next_max_id=cursor_json(page.next_max_id),
    )
    return json_response(body)


@router.post(
    "/reels/{post_id}/views", auth=api_auth, response={200: ReelViewsOut, **errors(401, 404, 422)}
)
def reel_view(request: HttpRequest, post_id: Id) -> ReelViewsJson:
    """Count the viewer's play of a reel: once per account whatever the replays, never the
    author's own. A reel the viewer may not see, or a post that is not a reel, is a 404."""
    count = reel_view_record(viewer=request_user(request), post_id=post_id)
    return {"view_count": count}
