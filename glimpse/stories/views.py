"""Web pages of stories: the viewer, highlights, posting a story, Close Friends.

Pages only render and call one service or selector. The viewer's script marks stories seen,
reacts and replies through the JSON API, so that the web and the apps share one write path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from glimpse.accounts.models import User
from glimpse.accounts.presenters import Avatar, account_view_of, avatar_of
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.graph import selectors as graph_selectors
from glimpse.graph import services as graph_services
from glimpse.media import selectors as media_selectors
from glimpse.media.models import MediaItem
from glimpse.media.presenters import media_view
from glimpse.stories import selectors, services
from glimpse.stories.models import Story, StoryReaction
from glimpse.stories.presenters import StoryView, TrayEntryView, story_view, tray_entry_view

PHOTO_SECONDS = 5.0
CLOSE_FRIENDS_SHOWN = 100


@dataclass(frozen=True)
class Slide:
    """What the viewer draws for one story."""

    story: StoryView
    src: str | None
    poster: str | None
    seconds: float
    avatar: Avatar


def tray_for(viewer: User) -> list[TrayEntryView]:
    """Return the story tray of the home page."""
    return [tray_entry_view(entry) for entry in selectors.story_tray(viewer=viewer)]


@login_required
@require_safe
def tray(request: HttpRequest) -> HttpResponse:
    """Draw the home page's story tray alone: the page redraws it when a story arrives."""
    viewer = request_viewer(request)
    context = {"story_tray": tray_for(viewer), "avatar": avatar_of(viewer, 150)}
    return render(request, "stories/tray.html", context)


@require_safe
def account_viewer(request: HttpRequest, username: str) -> HttpResponse:
    """Show an account's live stories, starting at the first one the viewer has not seen."""
    try:
        account, stories = selectors.account_stories(
            viewer=request_viewer_or_none(request), username=username
        )
    except NotFound as error:
        raise Http404(error.message) from error
    if not stories:
        messages.info(request, f"{account.username} has no story right now.")
        return redirect("home")
    return _viewer_page(
        request, account, stories, selectors.first_unseen(stories), title=account.username
    )


@require_safe
def highlight_viewer(request: HttpRequest, highlight_id: int) -> HttpResponse:
    """Show a highlight's stories in the same viewer."""
    try:
        view = selectors.highlight_get(
            viewer=request_viewer_or_none(request), highlight_id=highlight_id
        )
    except NotFound as error:
        raise Http404(error.message) from error
    owner = view.highlight.owner
    return _viewer_page(request, owner, view.stories, 0, title=view.highlight.title, highlight=True)


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    """Pick a ready photo or video of the viewer's uploads and post it as a story."""
    viewer = request_viewer(request)
    error: GlimpseError | None = None
    if request.method == "POST":
        try:
            services.story_create(
                author=viewer,
                media_id=int(request.POST.get("media_id") or 0),
                audience=request.POST.get("audience", "everyone"),
                caption=request.POST.get("caption", ""),
            )
        except (GlimpseError, ValueError) as exc:
            error = exc if isinstance(exc, GlimpseError) else NotFound("Pick a photo or video.")
        else:
            messages.success(request, "Your story is live for 24 hours.")
            return redirect("home")
    ready = media_selectors.media_list_own(viewer=viewer).filter(status=MediaItem.Status.READY)
    picks = [(item, media_view(item).picture("320")) for item in ready[:30]]
    context = {
        "picks": picks,
        "error": error,
        "media_api": reverse("api:media_upload"),
        "close_friend_count": len(selectors.close_friend_ids(viewer=viewer)),
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


def _viewer_page(
    request: HttpRequest,
    account: User,
    stories: list[Story],
    start: int,
    *,
    title: str,
    highlight: bool = False,
) -> HttpResponse:
    face = avatar_of(account)
    slides = [_slide(story_view(story), face) for story in stories]
    context: dict[str, Any] = {
        "account": account,
        "slides": slides,
        "start": start,
        "title": title,
        "highlight": highlight,
        "emojis": StoryReaction.EMOJIS,
        "is_own": request_viewer_or_none(request) is not None and request.user.pk == account.pk,
    }
    return render(request, "stories/viewer.html", context)


def _slide(story: StoryView, face: Avatar) -> Slide:
    media = story.media
    if media.is_video:
        video = next((r["url"] for r in media.renditions if r["format"] == "mp4"), None)
        poster = media.picture("poster-1080")
        return Slide(story, video, poster, float(media.duration or PHOTO_SECONDS), face)
    return Slide(story, media.picture("1080"), None, PHOTO_SECONDS, face)
