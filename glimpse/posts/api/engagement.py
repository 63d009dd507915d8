"""Likes, likers, saves and reposts in the API."""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest
from ninja import Router

from glimpse.accounts.auth import api_auth, optional_viewer, request_user
from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountItemJson, account_item_json, account_view_of
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson, cursor_json
from glimpse.graph.visibility import relations
from glimpse.posts import selectors, services
from glimpse.posts.schemas import Id, LikerListOut, LikeStateOut, RepostStateOut, SaveStateOut

router = Router(tags=["posts"])

WRITE = errors(401, 403, 404, 409, 422)


class LikeStateJson(TypedDict):
    liked: bool
    like_count: int | None  # None when the author hides it from the viewer


class SaveStateJson(TypedDict):
    saved: bool
    collection_ids: list[str]


class RepostStateJson(TypedDict):
    reposted: bool
    repost_count: int


@router.post("/posts/{post_id}/like", auth=api_auth, response={200: LikeStateOut, **WRITE})
def like(request: HttpRequest, post_id: Id) -> LikeStateJson:
    """Like a post; liking it again changes nothing."""
    post = services.like_create(user=request_user(request), post_id=post_id)
    return {"liked": True, "like_count": post.shown_like_count}


@router.delete("/posts/{post_id}/like", auth=api_auth, response={200: LikeStateOut, **WRITE})
def unlike(request: HttpRequest, post_id: Id) -> LikeStateJson:
    """Take back a like."""
    post = services.like_delete(user=request_user(request), post_id=post_id)
    return {"liked": False, "like_count": post.shown_like_count}


@router.get("/posts/{post_id}/likes", response={200: LikerListOut, **errors(401, 404, 422)})
def likers(
    request: HttpRequest, post_id: Id, max_id: Id | None = None, limit: int | None = None
) -> PageJson[AccountItemJson]:
    """The accounts that liked a post, latest first, with the viewer's relation to each."""
    viewer = optional_viewer(request)
    page = selectors.post_likers(viewer=viewer, post_id=post_id, max_id=max_id, limit=limit)
    relation = relations(viewer, page.items)
    return {
        "items": [
            account_item_json(account_view_of(u), relation=relation[u.pk]) for u in page.items
        ],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.post("/posts/{post_id}/save", auth=api_auth, response={200: SaveStateOut, **WRITE})
def save(request: HttpRequest, post_id: Id, collection_id: Id | None = None) -> SaveStateJson:
    """Save a post, into one of the viewer's collections when `collection_id` is given."""
    viewer = request_user(request)
    services.save_create(user=viewer, post_id=post_id, collection_id=collection_id)
    return _save_state(viewer, post_id, saved=True)


@router.delete("/posts/{post_id}/save", auth=api_auth, response={200: SaveStateOut, **WRITE})
def unsave(request: HttpRequest, post_id: Id, collection_id: Id | None = None) -> SaveStateJson:
    """Take a post out of one collection, or, without `collection_id`, unsave it."""
    viewer = request_user(request)
    post = services.save_delete(user=viewer, post_id=post_id, collection_id=collection_id)
    return _save_state(viewer, post_id, saved=post.viewer_saved)


@router.post("/posts/{post_id}/repost", auth=api_auth, response={200: RepostStateOut, **WRITE})
def repost(request: HttpRequest, post_id: Id) -> RepostStateJson:
    """Repost a public post of another account to your followers, crediting its author."""
    post = services.repost_create(user=request_user(request), post_id=post_id)
    return {"reposted": True, "repost_count": post.repost_count}


@router.delete("/posts/{post_id}/repost", auth=api_auth, response={200: RepostStateOut, **WRITE})
def unrepost(request: HttpRequest, post_id: Id) -> RepostStateJson:
    """Take back a repost."""
    post = services.repost_delete(user=request_user(request), post_id=post_id)
    return {"reposted": False, "repost_count": post.repost_count}


def _save_state(viewer: User, post_id: int, *, saved: bool) -> SaveStateJson:
    ids = selectors.post_collection_ids(viewer=viewer, post_id=post_id)
    return {"saved": saved, "collection_ids": [str(i) for i in ids]}
