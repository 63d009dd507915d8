"""The pages of posts: a post, its likers, its editor, hashtags, places, saved and archived.

Each view parses the request, calls the posts selectors (and at most one service), and
renders. Whatever the viewer may not see is the site's ordinary 404 page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_view_of
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import GlimpseError
from glimpse.core.event_bus import publish
from glimpse.core.events import PostsShown, ShownFrom
from glimpse.core.opengraph import picture_redirect
from glimpse.core.pagination import Page
from glimpse.core.web import is_htmx
from glimpse.graph import visibility
from glimpse.posts import selectors, services
from glimpse.posts.models import Comment, Post
from glimpse.posts.opengraph import post_open_graph, post_preview_image_url
from glimpse.posts.presenters import CommentView, comment_view_of, post_view_of, post_views_of
from glimpse.posts.shown import post_shown
from glimpse.posts.views import display
from glimpse.posts.views.common import (
    COLLECTIONS_SHOWN,
    COMMENTS_PAGE_SIZE,
    GRID_PAGE_SIZE,
    actions_context,
    call,
    cursor,
    post_url,
)
from glimpse.posts.views.forms import PostEditForm
from glimpse.posts.views.mosaic import mosaic

LIKERS_PAGE_SIZE = 30
REPLIES_PAGE_SIZE = 50


@require_safe
def post_preview_image(request: HttpRequest, post_id: int) -> HttpResponse:
    """Send a link preview on to the picture of a post anyone may see (anyone: the preview
    is read by other sites, whoever asks)."""
    post = call(selectors.post_get, viewer=None, post_id=post_id)
    url = post_preview_image_url(view=post_view_of(post))
    if url is None:
        raise Http404("This post has no picture.")
    return picture_redirect(url)


@require_safe
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    """Show a post: its carousel, caption, likes, comments with replies, and the forms."""
    viewer = request_viewer_or_none(request)
    view = call(post_shown, viewer=viewer, post_id=post_id)  # from its card, one state query
    publish(PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=(view.id,), source="post"))
    comments = call(
        selectors.comment_list,
        viewer=viewer,
        post_id=view.id,
        max_id=cursor(request, "comments_max_id"),
        limit=COMMENTS_PAGE_SIZE,
    )
    shown = [comment_view_of(comment) for comment in comments.items]
    thread = _open_thread(request, viewer, view.id, shown)
    reply_to = _reply_to(request, viewer, view.id)
    slides = display.slides_of(view)
    width, height = display.frame_ratio(slides, reel=view.is_reel)
    context = {
        **actions_context(viewer, view),
        "slides": slides,
        "ratio_w": width,
        "ratio_h": height,
        "author_avatar": view.author.avatar(150),
        "rel": visibility.relation_to(viewer, view.author.id),
        "pinned": [c for c in shown if c.is_pinned],
        "comments": [c for c in shown if not c.is_pinned],
        "comments_next": comments.next_max_id,
        **thread,
        "comment_max": settings.GLIMPSE_COMMENT_MAX,
        "og": post_open_graph(view=view),
    }
    if reply_to is not None:
        context["reply_parent"] = reply_to.parent_id or reply_to.pk
        context["reply_name"] = reply_to.author.username
        context["reply_text"] = f"@{reply_to.author.username} "
    return render(request, "posts/detail.html", context)


def _open_thread(
    request: HttpRequest, viewer: User | None, post_id: int, comments: list[CommentView]
) -> dict[str, Any]:
    """Load the replies of the thread the address names (``?thread=``), for pages without JS."""
    thread_id = cursor(request, "thread")
    if thread_id is None or thread_id not in {comment.id for comment in comments}:
        return {"open_thread": None}
    page = call(
        selectors.comment_list,
        viewer=viewer,
        post_id=post_id,
        parent_id=thread_id,
        limit=REPLIES_PAGE_SIZE,
    )
    # Oldest first inside a thread, as a conversation reads.
    replies = [comment_view_of(reply) for reply in reversed(page.items)]
    return {"open_thread": thread_id, "thread_replies": replies, "thread_more": page.next_max_id}


def _reply_to(request: HttpRequest, viewer: User | None, post_id: int) -> Comment | None:
    """Return the comment the form replies to (``?reply_to=``), for pages without JS."""
    comment_id = cursor(request, "reply_to")
    if comment_id is None or viewer is None:
        return None
    comment = call(selectors.comment_get, viewer=viewer, comment_id=comment_id)
    return comment if comment.post_id == post_id else None


@require_safe
def post_likers(request: HttpRequest, post_id: int) -> HttpResponse:
    """List the accounts that liked a post, each with a follow button."""
    viewer = request_viewer_or_none(request)
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    page = call(
        selectors.post_likers,
        viewer=viewer,
        post_id=post.pk,
        max_id=cursor(request),
        limit=LIKERS_PAGE_SIZE,
    )
    relations = visibility.relations(viewer, page.items)
    views = [account_view_of(person) for person in page.items]
    rows = [(view, view.avatar(150), relations[view.id]) for view in views]
    context = {
        "post": post_view_of(post),
        "rows": rows,
        "next_max_id": page.next_max_id,
        "here": request.get_full_path(),
    }
    return render(request, "posts/likers.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """Edit one of the viewer's posts, and read its edit history."""
    viewer = request_viewer(request)
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    if not post.viewer_is_author:
        return redirect(post_url(post.pk))
    form = PostEditForm(request.POST if request.method == "POST" else None, post=post)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            call(
                services.post_update,
                actor=viewer,
                post_id=post.pk,
                caption=form.cleaned_data["caption"],
                place=form.place_input(),
                items=form.item_specs(),
                comments_enabled=form.cleaned_data["comments_enabled"],
                hide_like_count=form.cleaned_data["hide_like_count"],
            )
        except GlimpseError as error:
            form.apply_error(error)
        else:
            messages.success(request, "Your post is updated.")
            return redirect(post_url(post.pk))
    if form.is_bound:
        status = 422
    edits = call(selectors.post_edits, viewer=viewer, post_id=post.pk, limit=50)
    context = {
        "post": post,
        "form": form,
        "edits": edits.items,
        "tile": display.tile_of(post_view_of(post)),
        "caption_max": settings.GLIMPSE_CAPTION_MAX,
    }
    return render(request, "posts/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    """Ask before deleting one of the viewer's posts, then delete it."""
    viewer = request_viewer(request)
    post = call(selectors.post_get, viewer=viewer, post_id=post_id)
    if not post.viewer_is_author:
        return redirect(post_url(post.pk))
    if request.method == "POST":
        try:
            call(services.post_delete, actor=viewer, post_id=post.pk)
        except GlimpseError as error:
            messages.error(request, error.message)
            return redirect(post_url(post.pk))
        messages.success(request, "Your post is deleted.")
        return redirect("profile", username=viewer.username)
    context = {"post": post, "tile": display.tile_of(post_view_of(post))}
    return render(request, "posts/delete.html", context)


# --- Grids -----------------------------------------------------------------------------------


def grid_response(
    request: HttpRequest, template: str, context: dict[str, Any], page: Page[Post]
) -> HttpResponse:
    """Render a grid page, or only its next tiles when htmx asks for more."""
    context = {**context, "posts": post_views_of(page.items), "next_max_id": page.next_max_id}
    if is_htmx(request) and cursor(request) is not None:
        return render(request, "posts/partials/grid_more.html", context)
    return render(request, template, context)


@require_safe
def tag(request: HttpRequest, name: str) -> HttpResponse:
    """Show a hashtag's top posts, then its most recent ones, as Explore's mosaic.

    Every well-formed name has a page: with no post the viewer may see, it is the empty
    page, the same whether hidden posts use the tag or none ever did.
    """
    viewer = request_viewer_or_none(request)
    hashtag = call(selectors.hashtag_get, viewer=viewer, name=name)
    if hashtag.name != name:
        return redirect("posts:tag", name=hashtag.name)
    max_id = cursor(request)
    top = [] if max_id else call(selectors.hashtag_top_posts, viewer=viewer, hashtag=hashtag)
    page = call(
        selectors.hashtag_recent_posts,
        viewer=viewer,
        hashtag=hashtag,
        max_id=max_id,
        limit=GRID_PAGE_SIZE,
    )
    _shown(viewer, top, page, "hashtag")
    context = {"hashtag": hashtag, "count": getattr(hashtag, "visible_count", 0)}
    return _mosaic_response(request, "posts/tag.html", context, top, page)


@require_safe
def place(request: HttpRequest, place_id: int) -> HttpResponse:
    """Show a place's top posts, then its most recent ones, as Explore's mosaic."""
    viewer = request_viewer_or_none(request)
    found = call(selectors.place_get, viewer=viewer, place_id=place_id)
    max_id = cursor(request)
    top = [] if max_id else call(selectors.place_top_posts, viewer=viewer, place=found)
    page = call(
        selectors.place_recent_posts,
        viewer=viewer,
        place=found,
        max_id=max_id,
        limit=GRID_PAGE_SIZE,
    )
    _shown(viewer, top, page, "place")
    context = {"place": found, "count": getattr(found, "visible_count", 0)}
    return _mosaic_response(request, "posts/place.html", context, top, page)


def _shown(viewer: User | None, top: list[Post], page: Page[Post], source: ShownFrom) -> None:
    shown = list(dict.fromkeys(post.pk for post in [*top, *page.items]))
    publish(
        PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=tuple(shown), source=source)
    )


def _mosaic_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    top: list[Post],
    page: Page[Post],
) -> HttpResponse:
    """Render a hashtag or place page, or only its next tiles when htmx asks for more."""
    more = f"max_id={page.next_max_id}" if page.next_max_id else ""
    recent = mosaic(post_views_of(page.items))
    context = {**context, "mosaic": recent, "more": more, "grid_id": "grid-main"}
    if is_htmx(request) and cursor(request) is not None:
        return render(request, "posts/partials/mosaic_more.html", context)
    context["top"] = mosaic(post_views_of(_worth_showing(top, page)))
    context["first_page"] = cursor(request) is None
    return render(request, template, context)


def _worth_showing(top: list[Post], recent: Page[Post]) -> list[Post]:
    """Return the top posts, unless there are so few posts that the recent ones are the same."""
    if recent.next_max_id is None and len(recent.items) <= len(top):
        return []
    return top


@login_required
@require_safe
def saved(request: HttpRequest) -> HttpResponse:
    """Show the posts the viewer saved, latest saved first, and their collections."""
    viewer = request_viewer(request)
    page = call(selectors.saved_posts, viewer=viewer, max_id=cursor(request), limit=GRID_PAGE_SIZE)
    collections = call(selectors.collection_list, viewer=viewer, limit=COLLECTIONS_SHOWN)
    context = {"kind": "saved", "collections": collections.items}
    return grid_response(request, "posts/own_grid.html", context, page)


@login_required
@require_safe
def collection(request: HttpRequest, collection_id: int) -> HttpResponse:
    """Show one of the viewer's collections."""
    viewer = request_viewer(request)
    found = call(selectors.collection_get, viewer=viewer, collection_id=collection_id)
    page = call(
        selectors.collection_posts,
        viewer=viewer,
        collection=found,
        max_id=cursor(request),
        limit=GRID_PAGE_SIZE,
    )
    collections = call(selectors.collection_list, viewer=viewer, limit=COLLECTIONS_SHOWN)
    context = {"kind": "saved", "collection": found, "collections": collections.items}
    return grid_response(request, "posts/own_grid.html", context, page)


@login_required
@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    """Show the viewer's archived posts, which only they can see."""
    viewer = request_viewer(request)
    page = call(
        selectors.archived_posts, viewer=viewer, max_id=cursor(request), limit=GRID_PAGE_SIZE
    )
    return grid_response(request, "posts/own_grid.html", {"kind": "archive"}, page)
