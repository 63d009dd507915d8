"""Web pages to post a story (the full-screen composer) and to keep the Close Friends list.

The composer's script uploads the photo or video and posts the story with its stickers
through the JSON API; the page's own form takes the same fields, for a plain POST.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from glimpse.accounts.presenters import account_view_of
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, InvalidInput
from glimpse.graph import selectors as graph_selectors
from glimpse.graph import services as graph_services
from glimpse.stories import selectors, services
from glimpse.stories.stickers import COLORS, LIGHT_COLORS, STICKERS_MAX, STYLES, TEXT_MAX

CLOSE_FRIENDS_SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    """Show the composer; on a POST, share a ready upload of the viewer's as a story."""
    viewer = request_viewer(request)
    error: GlimpseError | None = None
    if request.method == "POST":
        try:
            services.story_create(
                author=viewer,
                media_id=_media_id(request.POST.get("media_id", "")),
                audience=request.POST.get("audience", "everyone"),
                caption=request.POST.get("caption", ""),
                stickers=_stickers(request.POST.get("stickers", "")),
            )
        except GlimpseError as exc:
            error = exc
        else:
            messages.success(request, "Your story is live for 24 hours.")
            return redirect("home")
    context = {
        "error": error,
        "error_messages": _messages(error) if error else [],
        "media_api": reverse("api:media_upload"),
        "story_api": reverse("api:story_create"),
        "places_api": reverse("api:place_search"),
        "search_api": reverse("api:search"),
        "close_friend_count": len(selectors.close_friend_ids(viewer=viewer)),
        "styles": STYLES,
        "colors": [
            (name, paint, "#111111" if name in LIGHT_COLORS else "#ffffff")
            for name, paint in COLORS.items()
        ],
        "stickers_max": STICKERS_MAX,
        "text_max": TEXT_MAX,
    }
    return render(request, "stories/new.html", context, status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def close_friends(request: HttpRequest) -> HttpResponse:
    """Show and edit the viewer's Close Friends list (the settings page's section)."""
    viewer = request_viewer(request)
    if request.method == "POST":
        username = request.POST.get("username", "").strip().lstrip("@")
        try:
            account = graph_selectors.account_get(viewer=viewer, username=username)
            if request.POST.get("action") == "remove":
                graph_services.close_friend_remove(owner=viewer, friend=account)
            else:
                graph_services.close_friend_add(owner=viewer, friend=account)
        except GlimpseError as exc:
            messages.error(request, exc.message)
        return redirect("stories:close_friends")
    page = selectors.close_friends_list(viewer=viewer, limit=CLOSE_FRIENDS_SHOWN)
    friends = [account_view_of(row.friend) for row in page.items]
    return render(request, "stories/close_friends.html", {"friends": friends})


# --- Helpers --------------------------------------------------------------------------------


def _media_id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(fields={"media_id": ["Pick a photo or video."]}) from None


def _stickers(raw: str) -> Any:
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidInput(fields={"stickers": ["The stickers could not be read."]}) from None


def _messages(error: GlimpseError) -> list[str]:
    """Return an error's message and its field problems, for the form's alert."""
    problems = [problem for field in error.fields.values() for problem in field]
    return problems or [error.message]
