"""Comments in the API: list and write on a post, delete, like, pin."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, optional_viewer, request_user
from glimpse.accounts.models import User
from glimpse.core.api import errors
from glimpse.posts import selectors, services
from glimpse.posts.api.engagement import LikeStateJson
from glimpse.posts.presenters import (
    CommentJson,
    CommentPageJson,
    comment_json,
    comment_page_json,
    comment_view_of,
)
from glimpse.posts.schemas import CommentIn, CommentListOut, CommentOut, Id, LikeStateOut

router = Router(tags=["comments"])

WRITE = errors(401, 403, 404, 409, 422)


@router.get("/posts/{post_id}/comments", response={200: CommentListOut, **errors(401, 404, 422)})
def comment_list(
    request: HttpRequest,
    post_id: Id,
    parent_id: Id | None = None,
    max_id: Id | None = None,
    limit: int | None = None,
) -> CommentPageJson:
    """A post's comments, newest first with the pinned one on top; or, with `parent_id`,
    the replies in that comment's thread."""
    page = selectors.comment_list(
        viewer=optional_viewer(request),
        post_id=post_id,
        parent_id=parent_id,
        max_id=max_id,
        limit=limit,
    )
    return comment_page_json(page)


@router.post("/posts/{post_id}/comments", auth=api_auth, response={201: CommentOut, **WRITE})
def comment_create(request: HttpRequest, post_id: Id, payload: CommentIn) -> Status[CommentJson]:
    """Comment on a post, or reply in a thread with `parent_id` (a reply's thread is its own)."""
    viewer = request_user(request)
    comment = services.comment_create(
        author=viewer, post_id=post_id, text=payload.text, parent_id=payload.parent_id
    )
    return Status(201, _comment_json(viewer, comment.pk))


@router.delete("/comments/{comment_id}", auth=api_auth, response={204: None, **WRITE})
def comment_delete(request: HttpRequest, comment_id: Id) -> Status[None]:
    """Delete a comment and its replies (its author or the post's author)."""
    services.comment_delete(actor=request_user(request), comment_id=comment_id)
    return Status(204, None)


@router.post("/comments/{comment_id}/like", auth=api_auth, response={200: LikeStateOut, **WRITE})
def comment_like(request: HttpRequest, comment_id: Id) -> LikeStateJson:
    """Like a comment; liking it again changes nothing."""
    comment = services.comment_like_create(user=request_user(request), comment_id=comment_id)
    return {"liked": True, "like_count": comment.like_count}


@router.delete("/comments/{comment_id}/like", auth=api_auth, response={200: LikeStateOut, **WRITE})
def comment_unlike(request: HttpRequest, comment_id: Id) -> LikeStateJson:
    """Take back a like of a comment."""
    comment = services.comment_like_delete(user=request_user(request), comment_id=comment_id)
    return {"liked": False, "like_count": comment.like_count}


@router.post("/comments/{comment_id}/pin", auth=api_auth, response={200: CommentOut, **WRITE})
def comment_pin(request: HttpRequest, comment_id: Id) -> CommentJson:
    """Pin a comment on your post above the others (one per post: it replaces the last)."""
    viewer = request_user(request)
    services.comment_pin(actor=viewer, comment_id=comment_id)
    return _comment_json(viewer, comment_id)


@router.delete("/comments/{comment_id}/pin", auth=api_auth, response={200: CommentOut, **WRITE})
def comment_unpin(request: HttpRequest, comment_id: Id) -> CommentJson:
    """Unpin a comment."""
    viewer = request_user(request)
    services.comment_unpin(actor=viewer, comment_id=comment_id)
    return _comment_json(viewer, comment_id)


def _comment_json(viewer: User, comment_id: int) -> CommentJson:
    return comment_json(
        comment_view_of(selectors.comment_get(viewer=viewer, comment_id=comment_id))
    )
