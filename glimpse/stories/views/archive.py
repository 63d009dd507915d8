"""The owner's story archive and the highlight editor: make, edit and delete highlights.

Only the owner reaches these pages: every read is of the viewer's own stories and
highlights, and another account's highlight answers like a missing one (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from glimpse.accounts.models import User
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.media.presenters import media_view
from glimpse.stories import selectors, services
from glimpse.stories.models import Story
from glimpse.stories.selectors import HighlightView

ARCHIVE_PAGE = 60
PICKER_STORIES = 100


@dataclass(frozen=True)
class Tile:
    """A story in the archive grid or the highlight editor's picker."""

    story: Story
    thumb: str | None
    is_video: bool
    chosen: bool = False
    cover: bool = False


@login_required
@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    """Show all the viewer's stories, live and expired, newest first, and their highlights."""
    viewer = request_viewer(request)
    try:
        max_id = int(request.GET["max_id"]) if request.GET.get("max_id") else None
    except ValueError:
        raise Http404("No such page.") from None
    page = selectors.story_archive(viewer=viewer, max_id=max_id, limit=ARCHIVE_PAGE)
    _, highlights = selectors.account_highlights(viewer=viewer, username=viewer.username)
    context = {
        "tiles": [_tile(story) for story in page.items],
        "next_max_id": page.next_max_id,
        "highlights": [(view, _cover(view)) for view in highlights],
        "now": timezone.now(),
    }
    return render(request, "stories/archive.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def highlight_new(request: HttpRequest) -> HttpResponse:
    """Make a highlight: a name, stories chosen from the archive, one of them the cover."""
    viewer = request_viewer(request)
    error: GlimpseError | None = None
    form = _form(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        try:
            highlight = services.highlight_create(
                owner=viewer,
                title=form["title"],
                story_ids=sorted(form["story_ids"]),
                cover_story_id=form["cover"],
            )
        except GlimpseError as exc:
            error = exc
        else:
            messages.success(request, f"Highlight “{highlight.title}” added to your profile.")
            return redirect("profile", viewer.username)
    return _editor(request, viewer, form, None, error)


@login_required
@require_http_methods(["GET", "POST"])
def highlight_edit(request: HttpRequest, highlight_id: int) -> HttpResponse:
    """Rename a highlight, change its cover, add or remove stories."""
    viewer = request_viewer(request)
    view = _own(viewer, highlight_id)
    error: GlimpseError | None = None
    if request.method == "POST":
        form = _form(request.POST)
        try:
            services.highlight_update(
                owner=viewer,
                highlight_id=highlight_id,
                title=form["title"],
                story_ids=sorted(form["story_ids"]),
                cover_story_id=form["cover"],
            )
        except GlimpseError as exc:
            error = exc
        else:
            messages.success(request, "Highlight saved.")
            return redirect("profile", viewer.username)
    else:
        cover = view.cover
        form = {
            "title": view.highlight.title,
            "story_ids": [story.pk for story in view.stories],
            "cover": cover.pk if cover else None,
        }
    return _editor(request, viewer, form, view, error)


@login_required
@require_http_methods(["GET", "POST"])
def highlight_delete(request: HttpRequest, highlight_id: int) -> HttpResponse:
    """Ask to confirm, then delete a highlight; its stories stay in the archive."""
    viewer = request_viewer(request)
    view = _own(viewer, highlight_id)
    if request.method == "POST":
        services.highlight_delete(owner=viewer, highlight_id=highlight_id)
        messages.success(request, f"Highlight “{view.highlight.title}” deleted.")
        return redirect("profile", viewer.username)
    return render(request, "stories/highlight_delete.html", {"view": view, "cover": _cover(view)})


# --- Helpers --------------------------------------------------------------------------------


def _own(viewer: User, highlight_id: int) -> HighlightView:
    try:
        return selectors.highlight_own(owner=viewer, highlight_id=highlight_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _form(data: QueryDict) -> dict[str, Any]:
    """Read the editor's fields; ids that are not numbers are dropped (the stories play
    oldest first, in the order of their ids)."""
    ids = [int(raw) for raw in data.getlist("story") if raw.isdigit()]
    cover = data.get("cover", "")
    return {
        "title": data.get("title", ""),
        "story_ids": list(dict.fromkeys(ids)),
        "cover": int(cover) if cover.isdigit() else None,
    }


def _editor(
    request: HttpRequest,
    viewer: User,
    form: dict[str, Any],
    view: HighlightView | None,
    error: GlimpseError | None,
) -> HttpResponse:
    stories = list(selectors.story_archive(viewer=viewer, limit=PICKER_STORIES).items)
    known = {story.pk for story in stories}
    if view is not None:  # a highlight's older stories, past the picker's first page
        stories += [story for story in view.stories if story.pk not in known]
    chosen = set(form["story_ids"])
    tiles = [
        _tile(story, chosen=story.pk in chosen, cover=story.pk == form["cover"])
        for story in stories
    ]
    problems = [p for field in error.fields.values() for p in field] if error else []
    context = {
        "form": form,
        "tiles": tiles,
        "view": view,
        "error": error,
        "error_messages": problems or ([error.message] if error else []),
    }
    return render(request, "stories/highlight_form.html", context, status=422 if error else 200)


def _tile(story: Story, *, chosen: bool = False, cover: bool = False) -> Tile:
    media = media_view(story.media)
    return Tile(story, media.picture("320"), media.is_video, chosen, cover)


def _cover(view: HighlightView) -> str | None:
    return media_view(view.cover.media).picture("320") if view.cover else None
