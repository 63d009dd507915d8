"""The search page: results of every kind for `q`, or of one kind with `type`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
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
    if kind == "accounts":
        return {"accounts": selectors.search_accounts(viewer=viewer, q=q)}
    if kind == "hashtags":
        return {"hashtags": selectors.search_hashtags(viewer=viewer, q=q)}
    if kind == "places":
        return {"places": selectors.search_places(viewer=viewer, q=q)}
    if kind == "posts":
        return {"posts": selectors.search_posts(viewer=viewer, q=q)}
    return selectors.search_top(viewer=viewer, q=q)
