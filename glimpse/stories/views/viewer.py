"""The full-screen story viewer: an account's live stories, a highlight, an archived story.

Opened from the tray or a highlights row, the viewer's script asks for the viewer alone
(the ``X-Story-Viewer: fragment`` header) and lays it over the page; opened by its address,
the same viewer comes inside a page. It marks stories seen, reacts and replies through the
JSON API, so that the web and the apps share one write path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from glimpse.accounts.models import User
from glimpse.accounts.presenters import avatar_of
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import NotFound
from glimpse.stories import selectors
from glimpse.stories.models import Story, StoryReaction
from glimpse.stories.presenters import StoryView, TrayEntryView, story_view, tray_entry_view

PHOTO_SECONDS = 5.0
FRAGMENT_HEADER = "X-Story-Viewer"
GONE = "This story is no longer available."


@dataclass(frozen=True)
class Slide:
    """What the viewer draws for one story."""

    story: StoryView
    src: str | None
    poster: str | None
    seconds: float


@dataclass(frozen=True)
class Reel:
    """One run of stories in the viewer, and where the viewer goes after it."""

    account: User
    stories: list[Story]
    start: int
    title: str
    next_url: str | None
    done_url: str
    highlight_id: int | None = None


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
@vary_on_headers(FRAGMENT_HEADER)
def account_viewer(request: HttpRequest, username: str) -> HttpResponse:
    """Show an account's live stories, starting at the first one the viewer has not seen
    (or at ``?story=<id>``, a notification's story); the viewer then goes on to the next
    account of the tray."""
    viewer = request_viewer_or_none(request)
    try:
        account, stories = selectors.account_stories(viewer=viewer, username=username)
    except NotFound as error:
        raise Http404(error.message) from error
    start = selectors.first_unseen(stories)
    if "story" in request.GET:
        positions = {str(story.pk): index for index, story in enumerate(stories)}
        asked = positions.get(request.GET["story"])
        if asked is None:
            # Expired, deleted, not for this viewer or no id at all: all answer alike.
            if _is_fragment(request):
                raise Http404(GONE)
            messages.info(request, GONE)
            return redirect("notifications:list" if viewer is not None else "home")
        start = asked
    if not stories:
        if _is_fragment(request):
            raise Http404("No story right now.")
        messages.info(request, f"{account.username} has no story right now.")
        return redirect("home")
    reel = Reel(
        account=account,
        stories=stories,
        start=start,
        title=account.username,
        next_url=_next_in_tray(viewer, account),
        done_url=reverse("home"),
    )
    return _viewer(request, reel)


@require_safe
@vary_on_headers(FRAGMENT_HEADER)
def highlight_viewer(request: HttpRequest, highlight_id: int) -> HttpResponse:
    """Show a highlight's stories in the same viewer, then the owner's next highlight."""
    viewer = request_viewer_or_none(request)
    try:
        view = selectors.highlight_get(viewer=viewer, highlight_id=highlight_id)
    except NotFound as error:
        raise Http404(error.message) from error
    owner = view.highlight.owner
    reel = Reel(
        account=owner,
        stories=view.stories,
        start=0,
        title=view.highlight.title,
        next_url=_next_highlight(viewer, owner, highlight_id),
        done_url=reverse("profile", args=[owner.username]),
        highlight_id=highlight_id,
    )
    return _viewer(request, reel)


@login_required
@require_safe
@vary_on_headers(FRAGMENT_HEADER)
def archive_story(request: HttpRequest, story_id: int) -> HttpResponse:
    """Show one of the viewer's own stories from the archive, live or expired."""
    owner = request_viewer(request)
    try:
        story = selectors.story_own(owner=owner, story_id=story_id)
    except NotFound as error:
        raise Http404(error.message) from error
    reel = Reel(
        account=owner,
        stories=[story],
        start=0,
        title=owner.username,
        next_url=None,
        done_url=reverse("stories:archive"),
    )
    return _viewer(request, reel)


# --- Helpers --------------------------------------------------------------------------------


def _is_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "fragment"


def _viewer(request: HttpRequest, reel: Reel) -> HttpResponse:
    viewer = request_viewer_or_none(request)
    context: dict[str, Any] = {
        "reel": reel,
        "account": reel.account,
        "avatar": avatar_of(reel.account),
        "slides": [_slide(story_view(story)) for story in reel.stories],
        "emojis": StoryReaction.EMOJIS,
        "is_own": viewer is not None and viewer.pk == reel.account.pk,
        "signed_in": viewer is not None,
    }
    if _is_fragment(request):
        return render(request, "stories/partials/viewer.html", context)
    return render(request, "stories/viewer.html", context)


def _slide(story: StoryView) -> Slide:
    media = story.media
    if media.is_video:
        video = next((r["url"] for r in media.renditions if r["format"] == "mp4"), None)
        poster = media.picture("poster-1080")
        return Slide(story, video, poster, float(media.duration or PHOTO_SECONDS))
    return Slide(story, media.picture("1080"), None, PHOTO_SECONDS)


def _next_in_tray(viewer: User | None, account: User) -> str | None:
    """Return the viewer of the account after this one in the viewer's tray, if any."""
    if viewer is None:
        return None
    names = [entry.account.username for entry in selectors.story_tray(viewer=viewer)]
    if account.username not in names:
        return None
    after = names[names.index(account.username) + 1 :]
    return reverse("stories:viewer", args=[after[0]]) if after else None


def _next_highlight(viewer: User | None, owner: User, highlight_id: int) -> str | None:
    """Return the viewer of the owner's highlight after this one, if any."""
    _, views = selectors.account_highlights(viewer=viewer, username=owner.username)
    ids = [view.highlight.pk for view in views]
    if highlight_id not in ids or ids.index(highlight_id) + 1 == len(ids):
        return None
    return reverse("stories:highlight", args=[ids[ids.index(highlight_id) + 1]])
