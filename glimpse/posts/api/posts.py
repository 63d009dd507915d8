"""Posts in the API: publish, read, edit, delete, edit history, archive, pin, grids."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, optional_viewer, request_user
from glimpse.accounts.models import User
from glimpse.core.api import errors, json_response
from glimpse.core.event_bus import publish
from glimpse.core.events import PostsShown
from glimpse.core.pagination import Page, PageJson, cursor_json
from glimpse.posts import selectors, services
from glimpse.posts.api.answers import written_post_json
from glimpse.posts.api.drafts import DraftIn, DraftOut, draft_save
from glimpse.posts.api.inputs import item_edits, item_specs, place_input
from glimpse.posts.models import Draft, Post
from glimpse.posts.presenters import (
    PostJson,
    PostPageJson,
    post_json,
    post_page_json,
)
from glimpse.posts.schemas import EditListOut, Id, PostIn, PostListOut, PostOut, PostPatch
from glimpse.posts.services import UNSET
from glimpse.posts.shown import post_shown, posts_shown

router = Router(tags=["posts"])

WRITE = errors(401, 403, 404, 409, 422)


class PostEditJson(TypedDict):
    id: str
    created_at: datetime
    # The stored record of the edit: by field, its value before and after (a string for
    # the caption, a place or its absence, the list of items), so no one type fits.
    changes: dict[str, object]


@router.post("/posts", auth=api_auth, response={201: PostOut, 202: DraftOut, **WRITE})
def post_create(request: HttpRequest, payload: PostIn) -> Status[PostJson] | Status[Draft]:
    """Publish 1 to 20 ready media items (photos and videos mixed) as one post, or one video
    as a Reel; with `publish_at`, schedule it (202)."""
    if payload.publish_at is not None:
        return Status(202, draft_save(request, DraftIn(**payload.dict(exclude_unset=True))))
    viewer = request_user(request)
    given = payload.dict(exclude_unset=True)
    place = place_input(given, payload.place, payload.place_id)
    post = services.post_create(
        author=viewer,
        media_ids=payload.media_ids,
        caption=payload.caption,
        items=item_specs(payload.items),
        place=None if place is UNSET else place,
        comments_enabled=payload.comments_enabled,
        hide_like_count=payload.hide_like_count,
        kind=payload.kind,
    )
    return Status(201, written_post_json(viewer, post.pk))


@router.get("/posts/{post_id}", response={200: PostOut, **errors(401, 404, 422)})
def post_get(request: HttpRequest, post_id: Id) -> HttpResponse:
    """A post, as the viewer may see it (a hidden post answers 404 like a missing one)."""
    viewer = optional_viewer(request)
    post = post_shown(viewer=viewer, post_id=post_id)
    publish(PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=(post.id,), source="post"))
    return json_response(post_json(post))


@router.patch("/posts/{post_id}", auth=api_auth, response={200: PostOut, **WRITE})
def post_update(request: HttpRequest, post_id: Id, payload: PostPatch) -> PostJson:
    """Edit a post: caption, place, alt texts, people tags, order and removal of items."""
    viewer = request_user(request)
    given = payload.dict(exclude_unset=True)
    services.post_update(
        actor=viewer,
        post_id=post_id,
        caption=UNSET if payload.caption is None else payload.caption,
        place=place_input(given, payload.place, payload.place_id),
        media_ids=UNSET if payload.media_ids is None else payload.media_ids,
        items=item_edits(payload.items),
        comments_enabled=UNSET if payload.comments_enabled is None else payload.comments_enabled,
        hide_like_count=UNSET if payload.hide_like_count is None else payload.hide_like_count,
    )
    return written_post_json(viewer, post_id)


@router.delete(
    "/posts/{post_id}", auth=api_auth, response={204: None, **errors(401, 403, 404, 422)}
)
def post_delete(request: HttpRequest, post_id: Id) -> Status[None]:
    """Delete a post with its media, comments, likes and saves."""
    services.post_delete(actor=request_user(request), post_id=post_id)
    return Status(204, None)


@router.get(
    "/posts/{post_id}/edits",
    auth=api_auth,
    response={200: EditListOut, **errors(401, 403, 404, 422)},
)
def post_edits(
    request: HttpRequest, post_id: Id, max_id: Id | None = None, limit: int | None = None
) -> PageJson[PostEditJson]:
    """The edit history of one of the viewer's posts, newest first."""
    page = selectors.post_edits(
        viewer=request_user(request), post_id=post_id, max_id=max_id, limit=limit
    )
    items: list[PostEditJson] = [
        {"id": str(edit.pk), "created_at": edit.created_at, "changes": edit.changes}
        for edit in page.items
    ]
    return {"items": items, "next_max_id": cursor_json(page.next_max_id)}


@router.post("/posts/{post_id}/archive", auth=api_auth, response={200: PostOut, **WRITE})
def post_archive(request: HttpRequest, post_id: Id) -> PostJson:
    """Archive a post: hidden from everyone but its author, and unpinned."""
    viewer = request_user(request)
    services.post_archive(actor=viewer, post_id=post_id)
    return written_post_json(viewer, post_id)


@router.delete("/posts/{post_id}/archive", auth=api_auth, response={200: PostOut, **WRITE})
def post_unarchive(request: HttpRequest, post_id: Id) -> PostJson:
    """Unarchive a post: shown again where it was."""
    viewer = request_user(request)
    services.post_unarchive(actor=viewer, post_id=post_id)
    return written_post_json(viewer, post_id)


@router.post("/posts/{post_id}/pin", auth=api_auth, response={200: PostOut, **WRITE})
def post_pin(request: HttpRequest, post_id: Id) -> PostJson:
    """Pin a post to the top of the profile (at most 3; 409 beyond)."""
    viewer = request_user(request)
    services.post_pin(actor=viewer, post_id=post_id)
    return written_post_json(viewer, post_id)


@router.delete("/posts/{post_id}/pin", auth=api_auth, response={200: PostOut, **WRITE})
def post_unpin(request: HttpRequest, post_id: Id) -> PostJson:
    """Unpin a post."""
    viewer = request_user(request)
    services.post_unpin(actor=viewer, post_id=post_id)
    return written_post_json(viewer, post_id)


@router.get("/accounts/me/archive", auth=api_auth, response={200: PostListOut, **errors(401, 422)})
def archived(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PostPageJson:
    """The viewer's archived posts, newest first."""
    page = selectors.archived_posts(viewer=request_user(request), max_id=max_id, limit=limit)
    return post_page_json(page)


@router.get("/accounts/{username}/posts", response={200: PostListOut, **errors(401, 404, 422)})
def account_posts(
    request: HttpRequest, username: str, max_id: Id | None = None, limit: int | None = None
) -> HttpResponse:
    """A profile grid: pinned posts first (first page only), then newest first."""
    viewer = optional_viewer(request)
    page = selectors.account_post_ids(viewer=viewer, username=username, max_id=max_id, limit=limit)
    posts = posts_shown(viewer=viewer, post_ids=page.items, listed=True)
    shown = tuple(post.id for post in posts)
    publish(PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=shown, source="profile"))
    body = {
        "items": [post_json(post) for post in posts],
        "next_max_id": cursor_json(page.next_max_id),
    }
    return json_response(body)


@router.get("/accounts/{username}/reels", response={200: PostListOut, **errors(401, 404, 422)})
def account_reels(
    request: HttpRequest, username: str, max_id: Id | None = None, limit: int | None = None
) -> PostPageJson:
    """A profile's Reels tab: the account's reels, newest first."""
    viewer = optional_viewer(request)
    page = selectors.account_reels(viewer=viewer, username=username, max_id=max_id, limit=limit)
    return _profile_page_json(viewer, page)


def _profile_page_json(viewer: User | None, page: Page[Post]) -> PostPageJson:
    """Count a profile tab's posts as shown on the profile, and answer them."""
    shown = tuple(post.pk for post in page.items)
    publish(PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=shown, source="profile"))
    return post_page_json(page)
