"""Insights in the API: an account's and a post's numbers, for their owner only; shares.

The router is mounted at the API's root; every path is under ``insights``, ``shares`` or
``profile-visits``. Anyone but the author asking for a post's insights, staff included,
gets the 404 of a missing post.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.insights import selectors, services
from glimpse.insights.counting import POST_FIELDS
from glimpse.insights.schemas import AccountInsightsOut, PostInsightsOut, PostRef, ShareOut
from glimpse.posts.schemas import Id
from glimpse.posts.selectors import post_permalink

router = Router(tags=["insights"], auth=api_auth)


class ShareJson(TypedDict):
    url: str


# Insights answer the selectors' counts: plain dicts keyed by the field lists of counting.py
# (built in loops over those names, so no TypedDict can follow them); AccountInsightsOut and
# PostInsightsOut check what is answered.
@router.get("/insights/account", response={200: AccountInsightsOut, **errors(401, 422)})
def account_insights(request: HttpRequest, days: int = 30) -> dict[str, Any]:
    """The viewer's own insights over the last `days` days (UTC): 7, 30 or 90."""
    return _account_body(selectors.account_insights(viewer=request_user(request), days=days))


@router.get("/insights/post/{post_id}", response={200: PostInsightsOut, **errors(401, 404, 422)})
def post_insights(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    """The numbers of one of the viewer's own posts since it was published."""
    return _post_body(selectors.post_insights(viewer=request_user(request), post_id=post_id))


@router.post("/shares", response={200: ShareOut, **errors(401, 404, 422)})
def share(request: HttpRequest, payload: PostRef) -> ShareJson:
    """Record that the viewer copied or sent a post's link; answers the link."""
    return {"url": services.share_create(user=request_user(request), post_id=payload.post_id)}


@router.post("/profile-visits", response={204: None, **errors(401, 422)})
def profile_visit(request: HttpRequest, payload: PostRef) -> HttpResponse:
    """Record that the viewer opened the author's profile from a post (apps call this)."""
    services.profile_visit_record(visitor=request_user(request), post_id=payload.post_id)
    return HttpResponse(status=204)


# The selectors count into plain dicts (the pages chart them too); the API adds ids and links.


def _account_body(found: dict[str, Any]) -> dict[str, Any]:
    return {**found, "top_posts": [_top_post_body(row) for row in found["top_posts"]]}


def _post_body(found: dict[str, Any]) -> dict[str, Any]:
    post = found["post"]
    return {
        "id": str(post.pk),
        "created_at": post.created_at.isoformat(),
        **{name: found[name] for name in POST_FIELDS},
        "engagement_rate": found["engagement_rate"],
        "sources": found["sources"],
    }


def _top_post_body(row: dict[str, Any]) -> dict[str, Any]:
    post = row["post"]
    return {
        "id": str(post.pk),
        "permalink": post_permalink(post_id=post.pk),
        **{name: row[name] for name in POST_FIELDS},
        "engagement_rate": row["engagement_rate"],
    }
