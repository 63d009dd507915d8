"""Pages that assemble several apps: a profile shows an account, its relation and its posts,
or on its Reels tab its reels; the menu under it leads to the settings, insights, saved posts,
moderation and log out."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from glimpse.accounts.models import User
from glimpse.accounts.presenters import avatar_of
from glimpse.accounts.viewers import request_viewer_or_none
from glimpse.core.errors import NotFound
from glimpse.core.opengraph import picture_redirect
from glimpse.core.web import is_htmx
from glimpse.federation import views as federation_views
from glimpse.federation.negotiation import wants_activity_json
from glimpse.federation.switch import federation_enabled
from glimpse.graph import selectors as graph_selectors
from glimpse.graph import visibility
from glimpse.insights.services import impressions_record, profile_visit_record
from glimpse.posts import selectors as post_selectors
from glimpse.posts.models import Post
from glimpse.posts.views import common as post_views
from glimpse.web.opengraph import profile_open_graph, profile_picture_url


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """Show an account's profile: picture, names, bio, counts and its grid of posts; to a
    server asking for ActivityPub, the account's actor instead."""
    if federation_enabled() and wants_activity_json(request):
        return federation_views.person(request, username)
    response = _profile_tab(request, username, tab="posts")
    # The same address answers a page or an actor, by the Accept header.
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def profile_reels(request: HttpRequest, username: str) -> HttpResponse:
    """Show an account's profile on its Reels tab: its reels, tall, with their view counts."""
    return _profile_tab(request, username, tab="reels")


@require_safe
def profile_picture(request: HttpRequest, username: str) -> HttpResponse:
    """Send a link preview on to the picture of a profile anyone may see (anyone: the
    preview is read by other sites, whoever asks)."""
    try:
        account = graph_selectors.account_get(viewer=None, username=username)
    except NotFound as error:
        raise Http404(error.message) from error
    url = profile_picture_url(account=account)
    if url is None:
        raise Http404("This profile has no public picture.")
    return picture_redirect(url)


def _profile_tab(request: HttpRequest, username: str, *, tab: str) -> HttpResponse:
    viewer = request_viewer_or_none(request)
    try:
        account = graph_selectors.account_get(viewer=viewer, username=username)
    except NotFound as error:
        raise Http404(error.message) from error
    if account.username != username:
        name = "profile" if tab == "posts" else "profile_reels"
        return redirect(name, username=account.username)
    if viewer is not None and request.GET.get("from", "").isdigit():  # came from a post
        profile_visit_record(visitor=viewer, profile=account, post_id=int(request.GET["from"]))
    is_own = viewer is not None and viewer.pk == account.pk
    can_see_content = visibility.content_visible(viewer, account)
    grid = None
    if can_see_content:
        # The selector applies the policy itself; the check above only spares a query.
        grid = post_views.call(
            post_selectors.account_posts if tab == "posts" else post_selectors.account_reels,
            viewer=viewer,
            username=account.username,
            max_id=post_views.cursor(request),
            limit=post_views.GRID_PAGE_SIZE,
        )
        post_ids = [post.pk for post in grid.items]
        impressions_record(viewer=viewer, post_ids=post_ids, source="profile")
        if is_htmx(request) and post_views.cursor(request) is not None:
            return _more(request, tab, grid.items, grid.next_max_id)
    context = {
        "account": account,
        "avatar": avatar_of(account, 320),
        "tab": tab,
        "is_own": is_own,
        "rel": visibility.relation(viewer, account),
        # The grid and the lists follow the one policy: a private account's are for followers.
        "can_see_content": can_see_content,
        "posts": grid.items if grid else [],
        "next_max_id": grid.next_max_id if grid else None,
        "grid_page": post_views.cursor(request) is not None,
        "pending_requests": graph_selectors.follow_request_count(owner=account) if is_own else 0,
        "og": profile_open_graph(account=account),
        "moved_to": _moved_to(viewer, account),
    }
    return render(request, "web/profile.html", context)


def _moved_to(viewer: User | None, account: User) -> User | None:
    """Return the account this one moved to, when it moved and the viewer may see it."""
    if account.moved_to_id is None:
        return None
    found = graph_selectors.accounts_by_id(viewer=viewer, ids=[account.moved_to_id])
    return found.get(account.moved_to_id)


def _more(
    request: HttpRequest, tab: str, posts: Sequence[Post], next_max_id: int | None
) -> HttpResponse:
    """Answer "Load more" under a profile's grid: the next tiles of its tab."""
    more = {"posts": posts, "next_max_id": next_max_id}
    template = "posts/partials/grid_more.html" if tab == "posts" else "web/partials/reels_more.html"
    return render(request, template, more)


@login_required
@require_safe
def menu(request: HttpRequest) -> HttpResponse:
    """Show what sits under the profile: settings, insights, saved posts, moderation, log out."""
    return render(request, "web/menu.html")
