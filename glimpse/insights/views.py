"""The insights pages, under the ``insights`` namespace: only ever the viewer's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from glimpse.accounts.viewers import request_viewer
from glimpse.insights import pages, selectors
from glimpse.posts.views.common import call

DEFAULT_DAYS = 30


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """Show the viewer's insights over 7, 30 or 90 days, with charts drawn on the server."""
    viewer = request_viewer(request)
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and int(raw) in selectors.WINDOWS else DEFAULT_DAYS
    found = selectors.account_insights(viewer=viewer, days=days)
    context = {**pages.account_page(viewer, found), "windows": selectors.WINDOWS}
    return render(request, "insights/account.html", context)


@login_required
@require_safe
def post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Show one of the viewer's posts' insights; anyone else's post is the site's 404."""
    viewer = request_viewer(request)
    found = call(selectors.post_insights, viewer=viewer, post_id=post_id)
    return render(request, "insights/post.html", pages.post_page(viewer, found))
