"""What the comment buttons of a post page do: write, reply, like, delete and pin.

Like every action of a post page, each is a POST form that works without JavaScript;
htmx sends the same forms and gets back only the part of the page that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import GlimpseError, InvalidInput
from glimpse.core.web import is_htmx
from glimpse.posts import selectors, services
from glimpse.posts.presenters import comment_view_of, post_view_of
from glimpse.posts.views.common import (
    COMMENTS_PAGE_SIZE,
    author_action,
    back,
    call,
    cursor,
    error_text,
    in_feed,
    post_url,
    refused,
)
from glimpse.posts.views.pages import REPLIES_PAGE_SIZE


@require_http_methods(["GET", "HEAD", "POST"])
def comments(request: HttpRequest, post_id: int) -> HttpResponse:
    """GET: the next page of comments (for htmx); POST: comment or reply."""
    if request.method == "POST":
        return _comment_create(request, post_id)
    return _comments_more(request, post_id)


def _comments_more(request: HttpRequest, post_id: int) -> HttpResponse:
    max_id = cursor(request)
    if not is_htmx(request) or max_id is None:
        url = post_url(post_id) + (f"?comments_max_id={max_id}" if max_id else "")
        return redirect(url)
    viewer = request_viewer_or_none(request)
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    page = call(
        selectors.comment_list,
        viewer=viewer,
        post_id=post.pk,
        max_id=max_id,
        limit=COMMENTS_PAGE_SIZE,
    )
    context = {
        "post": post_view_of(post),
        "comments": [comment_view_of(comment) for comment in page.items],
        "comments_next": page.next_max_id,
    }
    return render(request, "posts/partials/comments_more.html", context)


@login_required
def _comment_create(request: HttpRequest, post_id: int) -> HttpResponse:
    viewer = request_viewer(request)
    text = request.POST.get("text", "")
    try:
        parent_id = _optional_id(request.POST.get("parent_id", ""))
        comment = call(
            services.comment_create,
            author=viewer,
            post_id=post_id,
            text=text,
            parent_id=parent_id,
        )
    except GlimpseError as error:
        if not is_htmx(request):
            return refused(request, error, post_url(post_id))
        problems = error_text(error)
        post = call(selectors.post_get, viewer=viewer, post_id=post_id)
        context = {
            "post": post_view_of(post),
            "text": text,
            "parent_id": request.POST.get("parent_id", ""),
            "errors": problems,
            "comment_max": settings.GLIMPSE_COMMENT_MAX,
            "in_feed": in_feed(request),
        }
        return render(request, "posts/partials/comment_form.html", context, status=422)
    if not is_htmx(request):
        return redirect(f"{post_url(post_id)}#comment-{comment.pk}")
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    shown = call(selectors.comment_get, viewer=viewer, comment_id=comment.pk)
    context = {
        "post": post_view_of(post),
        "comment": comment_view_of(shown),
        "comment_max": settings.GLIMPSE_COMMENT_MAX,
        "fresh": True,
        "in_feed": in_feed(request),
    }
    return render(request, "posts/partials/comment_created.html", context)


def _optional_id(raw: str) -> int | None:
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 0 < value < 2**63:
        raise InvalidInput(fields={"parent_id": ["This is not a comment of this post."]})
    return value


@require_safe
def replies(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """Show the replies of a comment's thread: in place for htmx, else on the post's page."""
    max_id = cursor(request)
    if not is_htmx(request):
        return redirect(f"{post_url(post_id)}?thread={comment_id}#comment-{comment_id}")
    viewer = request_viewer_or_none(request)
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    page = call(
        selectors.comment_list,
        viewer=viewer,
        post_id=post.pk,
        parent_id=comment_id,
        max_id=max_id,
        limit=REPLIES_PAGE_SIZE,
    )
    thread = call(selectors.comment_get, viewer=viewer, comment_id=comment_id)
    context = {
        "post": post_view_of(post),
        "thread": comment_view_of(thread),
        "replies": [comment_view_of(reply) for reply in reversed(page.items)],
        "replies_more": page.next_max_id,
        "earlier": max_id is not None,
    }
    return render(request, "posts/partials/replies.html", context)


@login_required
@require_POST
def comment_like(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """Like a comment."""
    return _comment_like(request, post_id, comment_id, services.comment_like_create)


@login_required
@require_POST
def comment_unlike(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """Take back a like of a comment."""
    return _comment_like(request, post_id, comment_id, services.comment_like_delete)


def _comment_like(
    request: HttpRequest, post_id: int, comment_id: int, action: Callable[..., Any]
) -> HttpResponse:
    viewer = request_viewer(request)
    try:
        call(action, user=viewer, comment_id=comment_id)
    except GlimpseError as error:
        return refused(request, error, post_url(post_id))
    if not is_htmx(request):
        return back(request, f"{post_url(post_id)}#comment-{comment_id}")
    comment = call(selectors.comment_get, viewer=viewer, comment_id=comment_id)
    context = {"comment": comment_view_of(comment), "post_id": post_id}
    return render(request, "posts/partials/comment_like.html", context)


@login_required
@require_POST
def comment_delete(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """Delete a comment (its author or the post's author)."""
    try:
        call(services.comment_delete, actor=request_viewer(request), comment_id=comment_id)
    except GlimpseError as error:
        return refused(request, error, post_url(post_id))
    if is_htmx(request):
        return HttpResponse("")
    messages.success(request, "The comment is deleted.")
    return back(request, post_url(post_id))


@login_required
@require_POST
def comment_pin(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """Pin a comment above the others on the viewer's post."""
    return author_action(
        request, post_id, services.comment_pin, "The comment is pinned.", comment_id=comment_id
    )


@login_required
@require_POST
def comment_unpin(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """Unpin a comment of the viewer's post."""
    return author_action(
        request, post_id, services.comment_unpin, "The comment is unpinned.", comment_id=comment_id
    )
