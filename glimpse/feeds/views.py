"""The home page (the feed, or the landing page for visitors) and the Explore page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from glimpse.accounts.presenters import account_view_of, avatar_of
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import InvalidInput
from glimpse.core.web import is_htmx
from glimpse.feeds import explore as explore_selectors
from glimpse.feeds import explore_grid
from glimpse.feeds.presenters import feed_views
from glimpse.feeds.selectors import feed_page
from glimpse.feeds.suggestions import accounts_suggested
from glimpse.graph import visibility
from glimpse.graph.selectors import account_newest
from glimpse.insights.services import impressions_record
from glimpse.posts.views.common import call, cursor
from glimpse.posts.views.mosaic import mosaic

FEED_PAGE_SIZE = 20
EXPLORE_PAGE_SIZE = 25  # five blocks of four posts and a Reel
SUGGESTED_AFTER = 3  # the suggestions show after this many posts of the feed


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page to visitors and the home feed to logged-in accounts.

    The feed is drawn from the same cached cards and state query as the API's feed (which
    here also reads each card's latest comments and the liker to name); the story tray comes
    from its template tag, and the suggestions load in their own request once their place in
    the feed (after the third post) scrolls into view. The next page loads as the end of the
    feed scrolls into view (its "Load more" link, which also works without JavaScript).
    """
    viewer = request_viewer_or_none(request)
    if viewer is None:
        return render(request, "landing.html")
    max_id = cursor(request)
    page = call(feed_page, viewer=viewer, max_id=max_id, limit=FEED_PAGE_SIZE, preview=True)
    impressions_record(viewer=viewer, post_ids=[i.post_id for i in page.items], source="feed")
    context: dict[str, Any] = {
        "feed": feed_views(page.items),
        "next_max_id": page.next_max_id,
        "comment_max": settings.GLIMPSE_COMMENT_MAX,
    }
    if max_id is not None and is_htmx(request):
        return render(request, "feeds/more.html", context)
    context["first_page"] = max_id is None
    if max_id is None and not page.items:
        newest = list(account_newest(viewer=viewer))
        rels = visibility.relations(viewer, newest)  # for their follow buttons, one query
        context["newest"] = [(account_view_of(a), rels[a.pk]) for a in newest]
    context["avatar"] = avatar_of(viewer, 150)
    context["suggested_after"] = min(SUGGESTED_AFTER, len(page.items))
    return render(request, "home.html", context)


@require_safe
@login_required
def suggested(request: HttpRequest) -> HttpResponse:
    """Draw the "Suggested for you" card alone (nothing when there is no one to suggest):
    the home page loads it when its place in the feed scrolls into view."""
    viewer = request_viewer(request)
    accounts = accounts_suggested(viewer=viewer)
    rels = visibility.relations(viewer, accounts)
    people = [
        (account_view_of(a), a.mutual_count, rels[a.pk])  # type: ignore[attr-defined]
        for a in accounts
    ]
    return render(request, "feeds/suggested.html", {"suggested": people})


@require_safe
@login_required
def explore(request: HttpRequest) -> HttpResponse:
    """Show Explore as a mosaic of posts and tall Reels; the next tiles load as its end
    scrolls into view ("Load more" without JavaScript), in the same session, so no post
    shows twice."""
    viewer = request_viewer(request)
    session = request.GET.get("session") or None
    try:
        page = explore_grid.explore_page(viewer=viewer, session=session, limit=EXPLORE_PAGE_SIZE)
    except InvalidInput:
        page = explore_grid.explore_page(viewer=viewer, limit=EXPLORE_PAGE_SIZE)
    post_ids = [post.id for post in page.items]
    impressions_record(viewer=viewer, post_ids=post_ids, source="explore")
    context = {
        "mosaic": mosaic(page.items),
        "session": page.session,
        "more": urlencode({"session": page.session}) if page.has_more else "",
        "grid_id": "grid-main",
    }
    if session is not None and is_htmx(request):
        return render(request, "posts/partials/mosaic_more.html", context)
    context["tags"] = explore_selectors.trending_tags(viewer=viewer)
    context["places"] = explore_selectors.trending_places(viewer=viewer)
    return render(request, "feeds/explore.html", context)
