"""The viewer's drafts and scheduled posts: the lists, and publish now, schedule, reschedule,
move back to drafts, and delete (after asking).

Only their author reaches them; anyone else gets the site's 404 page. Every action is a POST
form that works without JavaScript; a small script fills the browser's time zone in.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, InvalidInput
from glimpse.media.selectors import media_thumb_url
from glimpse.posts import selectors, services
from glimpse.posts.models import Draft
from glimpse.posts.views.common import GRID_PAGE_SIZE, call, cursor, post_url, refused


@dataclass(frozen=True)
class DraftRow:
    """What the lists show of one draft: its picture, its time in its own zone, its state."""

    draft: Draft
    thumb_url: str | None
    thumb_alt: str
    count: int
    # publish_at in the author's time zone, written out here: templates would turn an
    # aware time back into the site's zone.
    local_label: str
    local_input: str  # the same for a datetime-local field (YYYY-MM-DDTHH:MM)


@login_required
@require_safe
def drafts(request: HttpRequest) -> HttpResponse:
    """List the viewer's drafts, newest first."""
    return _list(request, scheduled=False)


@login_required
@require_safe
def scheduled(request: HttpRequest) -> HttpResponse:
    """List the viewer's scheduled posts, newest first."""
    return _list(request, scheduled=True)


@login_required
@require_POST
def draft_publish(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Publish a draft or a scheduled post now, and show the post."""
    try:
        post = call(services.draft_publish, actor=request_viewer(request), draft_id=draft_id)
    except GlimpseError as error:
        return _refused(request, error)
    messages.success(request, "Your post is shared.")
    return redirect(post_url(post.pk))


@login_required
@require_POST
def draft_schedule(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Schedule a draft, or reschedule a scheduled post, at a local time in a time zone."""
    try:
        when, zone = _local_time(request.POST.get("publish_at", ""), request.POST.get("tz", ""))
        call(
            services.draft_update,
            actor=request_viewer(request),
            draft_id=draft_id,
            publish_at=when,
            time_zone=zone,
        )
    except GlimpseError as error:
        return _refused(request, error)
    messages.success(request, f"Scheduled for {when:%a %d %b %Y, %H:%M} ({zone}).")
    return redirect("posts:scheduled")


@login_required
@require_POST
def draft_unschedule(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Turn a scheduled post back into a draft."""
    try:
        viewer = request_viewer(request)
        call(services.draft_update, actor=viewer, draft_id=draft_id, publish_at=None)
    except GlimpseError as error:
        return _refused(request, error)
    messages.success(request, "Moved to your drafts: it will not be published on its own.")
    return redirect("posts:drafts")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Ask before deleting a draft or cancelling a scheduled post, then do it."""
    draft = call(selectors.draft_get, viewer=request_viewer(request), draft_id=draft_id)
    back = reverse("posts:scheduled" if draft.is_scheduled else "posts:drafts")
    if request.method == "POST":
        try:
            call(services.draft_delete, actor=request_viewer(request), draft_id=draft.pk)
        except GlimpseError as error:
            return _refused(request, error)
        done = "The scheduled post is cancelled." if draft.is_scheduled else "The draft is deleted."
        messages.success(request, done)
        return redirect(back)
    return render(request, "posts/draft_delete.html", {"row": _row(draft), "back": back})


def _list(request: HttpRequest, *, scheduled: bool) -> HttpResponse:
    viewer = request_viewer(request)
    page = selectors.drafts_list(
        viewer=viewer, scheduled=scheduled, max_id=cursor(request), limit=GRID_PAGE_SIZE
    )
    context = {
        "tab": "scheduled" if scheduled else "drafts",
        "rows": [_row(draft) for draft in page.items],
        "next_max_id": page.next_max_id,
    }
    return render(request, "posts/drafts.html", context)


def _row(draft: Draft) -> DraftRow:
    items = list(draft.items.all())
    first = items[0].media if items else None
    local = None
    if draft.publish_at is not None:
        local = draft.publish_at.astimezone(zoneinfo.ZoneInfo(draft.time_zone))
    return DraftRow(
        draft=draft,
        thumb_url=media_thumb_url(first) if first else None,
        thumb_alt=items[0].alt_text if items else "",
        count=len(items),
        local_label=f"{local:%a %d %b %Y, %H:%M}" if local else "",
        local_input=f"{local:%Y-%m-%dT%H:%M}" if local else "",
    )


def _local_time(raw: str, zone: str) -> tuple[datetime, str]:
    """Read a datetime-local field's value as a time in the named zone (UTC when none)."""
    zone = zone.strip() or "UTC"
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(fields={"time_zone": ["This time zone is unknown."]}) from None
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(fields={"publish_at": ["Pick a date and a time."]}) from None
    if naive.tzinfo is not None:
        raise InvalidInput(fields={"publish_at": ["Pick a date and a time."]})
    return naive.replace(tzinfo=tz), zone


def _refused(request: HttpRequest, error: GlimpseError) -> HttpResponse:
    """Show a refusal on the page the form came from (its ``next``), else the drafts."""
    return refused(request, error, reverse("posts:drafts"))
