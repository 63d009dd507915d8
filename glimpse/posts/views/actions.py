"""What the post pages' buttons do: like, save, repost, collections, and the author's menu.

Every action is a POST form that works without JavaScript (it goes back to the page);
htmx sends the same forms and gets back only the part of the page that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.core.web import is_htmx
from glimpse.posts import selectors, services
from glimpse.posts.presenters import post_view_of
from glimpse.posts.views.common import (
    actions_context,
    author_action,
    back,
    call,
    feed_actions_context,
    in_feed,
    post_url,
    refused,
)

# --- Likes, saves and reposts: htmx gets the action bar back ---------------------------------


def _engage(
    request: HttpRequest, post_id: int, action: Callable[..., Any], **kwargs: Any
) -> HttpResponse:
    viewer = request_viewer(request)
    try:
        call(action, user=viewer, post_id=post_id, **kwargs)
    except GlimpseError as error:
        return refused(request, error, post_url(post_id))
    return _engaged(request, post_id)


def _engaged(request: HttpRequest, post_id: int) -> HttpResponse:
    """Answer an action done: the page before, or for htmx the post's new action bar (a
    feed card's, when the form came from one)."""
    viewer = request_viewer(request)
    if not is_htmx(request):
        return back(request, post_url(post_id))
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    if in_feed(request):
        context = feed_actions_context(request, viewer, post)
    else:
        context = actions_context(viewer, post_view_of(post))
    return render(request, "posts/partials/actions.html", context)


@login_required
@require_POST
def like(request: HttpRequest, post_id: int) -> HttpResponse:
    """Like a post."""
    return _engage(request, post_id, services.like_create)


@login_required
@require_POST
def unlike(request: HttpRequest, post_id: int) -> HttpResponse:
    """Take back a like."""
    return _engage(request, post_id, services.like_delete)


@login_required
@require_POST
def save(request: HttpRequest, post_id: int) -> HttpResponse:
    """Save a post."""
    return _engage(request, post_id, services.save_create)


@login_required
@require_POST
def unsave(request: HttpRequest, post_id: int) -> HttpResponse:
    """Unsave a post."""
    return _engage(request, post_id, services.save_delete)


@login_required
@require_POST
def repost(request: HttpRequest, post_id: int) -> HttpResponse:
    """Repost a public post to the viewer's followers."""
    return _engage(request, post_id, services.repost_create)


@login_required
@require_POST
def unrepost(request: HttpRequest, post_id: int) -> HttpResponse:
    """Take back a repost."""
    return _engage(request, post_id, services.repost_delete)


# --- Collections ----------------------------------------------------------------------------


@login_required
@require_POST
def collection_add(request: HttpRequest, post_id: int, collection_id: int) -> HttpResponse:
    """Save a post into one of the viewer's collections."""
    return _engage(request, post_id, services.save_create, collection_id=collection_id)


@login_required
@require_POST
def collection_remove(request: HttpRequest, post_id: int, collection_id: int) -> HttpResponse:
    """Take a post out of one of the viewer's collections (it stays saved)."""
    return _engage(request, post_id, services.save_delete, collection_id=collection_id)


@login_required
@require_POST
def collection_new(request: HttpRequest, post_id: int) -> HttpResponse:
    """Create a collection and save the post into it (one service: both or neither)."""
    try:
        call(
            services.collection_create_with_post,
            owner=request_viewer(request),
            name=request.POST.get("name", ""),
            post_id=post_id,
        )
    except GlimpseError as error:
        return refused(request, error, post_url(post_id))
    return _engaged(request, post_id)


# --- The author's menu -----------------------------------------------------------------------


@login_required
@require_POST
def post_archive(request: HttpRequest, post_id: int) -> HttpResponse:
    """Archive one of the viewer's posts."""
    done = "Archived. Only you can see this post now; it is listed in your archive."
    return author_action(request, post_id, services.post_archive, done, post_id=post_id)


@login_required
@require_POST
def post_unarchive(request: HttpRequest, post_id: int) -> HttpResponse:
    """Show an archived post again."""
    done = "Shown on your profile again."
    return author_action(request, post_id, services.post_unarchive, done, post_id=post_id)


@login_required
@require_POST
def post_pin(request: HttpRequest, post_id: int) -> HttpResponse:
    """Pin one of the viewer's posts to the top of their profile."""
    done = "Pinned to the top of your profile."
    return author_action(request, post_id, services.post_pin, done, post_id=post_id)


@login_required
@require_POST
def post_unpin(request: HttpRequest, post_id: int) -> HttpResponse:
    """Unpin a post from the viewer's profile."""
    done = "Unpinned from your profile."
    return author_action(request, post_id, services.post_unpin, done, post_id=post_id)


@login_required
@require_POST
def commenting_off(request: HttpRequest, post_id: int) -> HttpResponse:
    """Turn comments off on one of the viewer's posts."""
    return author_action(
        request,
        post_id,
        services.post_update,
        "Commenting is turned off.",
        post_id=post_id,
        comments_enabled=False,
    )


@login_required
@require_POST
def commenting_on(request: HttpRequest, post_id: int) -> HttpResponse:
    """Turn comments back on."""
    return author_action(
        request,
        post_id,
        services.post_update,
        "Commenting is turned on.",
        post_id=post_id,
        comments_enabled=True,
    )


@login_required
@require_POST
def like_count_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    """Hide a post's like count from everyone but its author."""
    return author_action(
        request,
        post_id,
        services.post_update,
        "The like count is hidden from others.",
        post_id=post_id,
        hide_like_count=True,
    )


@login_required
@require_POST
def like_count_show(request: HttpRequest, post_id: int) -> HttpResponse:
    """Show a post's like count to everyone again."""
    return author_action(
        request,
        post_id,
        services.post_update,
        "The like count is shown again.",
        post_id=post_id,
        hide_like_count=False,
    )
