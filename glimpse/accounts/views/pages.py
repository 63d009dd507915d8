"""The home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from glimpse.accounts import selectors
from glimpse.accounts.viewers import request_viewer_or_none
from glimpse.accounts.views.common import avatar_of
from glimpse.feeds.selectors import feed_page, feed_posts
from glimpse.feeds.suggestions import accounts_suggested
from glimpse.graph import visibility
from glimpse.insights.services import impressions_record
from glimpse.posts.views import common as post_views
from glimpse.stories.views import tray_for

FEED_PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page to visitors and the home page to logged-in accounts."""
    viewer = request_viewer_or_none(request)
    if viewer is None:
        return render(request, "landing.html")
    max_id = post_views.cursor(request)
    page = post_views.call(feed_page, viewer=viewer, max_id=max_id, limit=FEED_PAGE_SIZE)
    feed = feed_posts(viewer=viewer, items=page.items)
    impressions_record(viewer=viewer, post_ids=[i.post_id for i in page.items], source="feed")
    context: dict[str, Any] = {"feed": feed, "next_max_id": page.next_max_id}
    if max_id is not None and post_views.is_htmx(request):
        return render(request, "feeds/more.html", context)
    if max_id is None and not page.items:
        newest = selectors.account_newest(viewer=viewer)
        context["newest"] = [(account, avatar_of(account)) for account in newest]
    context["avatar"] = avatar_of(viewer, 150)
    context["story_tray"] = tray_for(viewer)
    suggested = accounts_suggested(viewer=viewer)
    rels = visibility.relations(viewer, suggested)
    context["suggested"] = [(a, avatar_of(a), rels[a.pk]) for a in suggested]
    return render(request, "home.html", context)
