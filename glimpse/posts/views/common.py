"""What the post pages share: calling services and selectors, cursors, answers to htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_views
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.core.web import is_htmx, safe_next
from glimpse.posts import selectors
from glimpse.posts.models import Post
from glimpse.posts.presenters import PostView, liked_by_of, post_view_of

T = TypeVar("T")

GRID_PAGE_SIZE = 24
COMMENTS_PAGE_SIZE = 20
COLLECTIONS_SHOWN = 50


def call(function: Callable[..., T], **kwargs: Any) -> T:
    """Call a service or selector; what the viewer may not see is the site's 404 page.

    Other refusals (GlimpseError) reach the view, which shows them.
    """
    try:
        return function(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error


def cursor(request: HttpRequest, name: str = "max_id") -> int | None:
    """Return an id cursor from the query string; a malformed one is a missing page."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise Http404("No such page.") from None
    if not 0 < value < 2**63:
        raise Http404("No such page.")
    return value


def actions_context(viewer: User | None, post: PostView) -> dict[str, Any]:
    """Return what the action bar of a post needs besides the post itself."""
    context = {
        "post": post,
        "here": post_url(post.id),
        "can_repost": can_repost(viewer, post),
        "likers": liked_by(viewer, post),
        "collections": [],
        "in_collections": set(),
    }
    if viewer is not None:
        context["collections"] = selectors.collections_named(viewer=viewer, limit=COLLECTIONS_SHOWN)
        context["in_collections"] = set(
            selectors.post_collection_ids(viewer=viewer, post_id=post.id)
        )
    return context


def in_feed(request: HttpRequest) -> bool:
    """Tell whether a form was sent from a feed card (its answer is then drawn for the card)."""
    return request.POST.get("in_feed") == "1"


def feed_actions_context(request: HttpRequest, viewer: User, post: Post) -> dict[str, Any]:
    """Return what a feed card's action bar needs: the post, and the liker its likes line
    names (the one query the feed's state query makes for a whole page)."""
    view = post_view_of(post)
    liker = selectors.post_liker_named(viewer=viewer, post_id=post.pk)
    named = account_views([liker]).get(liker) if liker is not None else None
    return {
        "post": view,
        "here": (safe_next(request) or reverse("home")).split("#")[0],
        "in_feed": True,
        "can_repost": can_repost(viewer, view),
        "liked_by": liked_by_of(named, post.like_count),
    }


def liked_by(viewer: User | None, post: PostView) -> list[User]:
    """Return the latest likers a hidden like count still names ("Liked by ana and others")."""
    if post.like_count is not None:
        return []
    return list(call(selectors.post_likers, viewer=viewer, post_id=post.id, limit=2).items)


def can_repost(viewer: User | None, post: PostView) -> bool:
    """Tell whether to offer the viewer a repost button: public posts of others only."""
    return viewer is not None and not post.viewer.is_author and not post.author.is_private


def post_url(post_id: int) -> str:
    """Return the address of a post's page."""
    return reverse("posts:detail", args=[post_id])


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Go back where the form said, else to ``default``."""
    return redirect(safe_next(request) or default)


def error_text(error: GlimpseError) -> list[str]:
    """Return what a person should read of an error: its field messages, or its message."""
    return [text for texts in error.fields.values() for text in texts] or [error.message]


def refused(request: HttpRequest, error: GlimpseError, default: str) -> HttpResponse:
    """Answer a refusal: a short text for htmx to show, else a message on the page before."""
    text = " ".join(error_text(error))
    if is_htmx(request):
        status = 400 if error.status == 401 else error.status
        return HttpResponse(text, status=status, content_type="text/plain")
    messages.error(request, text)
    return back(request, default)


def author_action(
    request: HttpRequest,
    page: int,
    action: Callable[..., Any],
    done: str,
    **kwargs: Any,
) -> HttpResponse:
    """Do what the author asked, say how it went, and go back to the post (``page``)."""
    try:
        call(action, actor=request_viewer(request), **kwargs)
    except GlimpseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return back(request, post_url(page))
