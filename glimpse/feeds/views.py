"""The Explore page: a grid of posts to discover, trending hashtags and places."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from glimpse.core.errors import InvalidInput
from glimpse.core.web import is_htmx
from glimpse.feeds import explore as explore_selectors
from glimpse.insights.services import impressions_record

EXPLORE_PAGE_SIZE = 24


@require_safe
@login_required
def explore(request: HttpRequest) -> HttpResponse:
    """Show Explore; "Load more" continues the same session, so no post shows twice."""
    session = request.GET.get("session") or None
    try:
        page = explore_selectors.explore_page(
            viewer=request.user,  # type: ignore[arg-type]
            session=session,
            limit=EXPLORE_PAGE_SIZE,
        )
    except InvalidInput:
        page = explore_selectors.explore_page(
            viewer=request.user,  # type: ignore[arg-type]
            limit=EXPLORE_PAGE_SIZE,
        )
    post_ids = [post.pk for post in page.items]
    impressions_record(viewer=request.user, post_ids=post_ids, source="explore")  # type: ignore[arg-type]
    context = {"posts": page.items, "session": page.session, "has_more": page.has_more}
    if session is not None and is_htmx(request):
        return render(request, "feeds/explore_more.html", context)
    context["tags"] = explore_selectors.trending_tags(viewer=request.user)  # type: ignore[arg-type]
    context["places"] = explore_selectors.trending_places(viewer=request.user)  # type: ignore[arg-type]
    return render(request, "feeds/explore.html", context)
