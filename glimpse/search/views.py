"""The search page: results of every kind for `q`, or of one kind with `type`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_view_of
from glimpse.core.errors import GlimpseError
from glimpse.posts.presenters import place_view, post_views_of
from glimpse.search import selectors

TYPES = ("top", "accounts", "hashtags", "places", "posts")


def search_page(request: HttpRequest) -> HttpResponse:
    """Show the search box and, for a query, the results the viewer may see."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "top")
    kind = kind if kind in TYPES else "top"
    viewer = request.user if isinstance(request.user, User) else None
    results: dict[str, Any] = {}
    error = ""
    if q:
        try:
            results = _search(viewer, q, kind)
        except GlimpseError as exc:
            problems = [message for messages in exc.fields.values() for message in messages]
            error = problems[0] if problems else exc.message
    context = {"q": q, "type": kind, "types": TYPES, "results": results, "error": error}
    return render(request, "search/page.html", context)


def _search(viewer: User | None, q: str, kind: str) -> dict[str, Any]:
    found: dict[str, Any]
    if kind == "accounts":
        found = {"accounts": selectors.search_accounts(viewer=viewer, q=q)}
    elif kind == "hashtags":
        found = {"hashtags": selectors.search_hashtags(viewer=viewer, q=q)}
    elif kind == "places":
        found = {"places": selectors.search_places(viewer=viewer, q=q)}
    elif kind == "posts":
        found = {"posts": selectors.search_posts(viewer=viewer, q=q)}
    else:
        found = selectors.search_top(viewer=viewer, q=q)
    return {
        **found,
        "accounts": [account_view_of(account) for account in found.get("accounts", [])],
        "places": [place_view(place) for place in found.get("places", [])],
        "posts": post_views_of(found.get("posts", [])),
    }
