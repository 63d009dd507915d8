"""The notifications page and the preferences form, under the ``notifications`` namespace."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.views.common import avatar_of, viewer_of
from glimpse.core.errors import GlimpseError
from glimpse.notifications import selectors, services
from glimpse.notifications.models import NOTICE_KINDS, Kind
from glimpse.notifications.render import actors_label, phrase, thumbnail_url

PAGE_SIZE = 30


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """Show the viewer's notifications, unread ones highlighted, then mark them all read."""
    viewer = viewer_of(request)
    raw = request.GET.get("max_id", "")
    max_id = int(raw) if raw.isdigit() else None
    page = selectors.notifications_page(viewer=viewer, max_id=max_id, limit=PAGE_SIZE)
    rows = [
        {
            "entry": entry,
            "faces": [avatar_of(actor, 150) for actor in entry.shown_actors[:2]],
            "lead": entry.shown_actors[0] if entry.shown_actors else None,
            "rest": actors_label(entry).partition(" and ")[2],
            "phrase": phrase(entry),
            "thumbnail": thumbnail_url(entry.cover),
            "is_request": entry.kind == Kind.FOLLOW_REQUEST,
            "is_notice": entry.kind in NOTICE_KINDS,
        }
        for entry in page.items
    ]
    # Opening the page is reading it: the badge goes back to zero, like on a phone.
    services.notifications_mark_all_read(recipient=viewer)
    context = {"rows": rows, "next_max_id": page.next_max_id, "unread_shown": 0}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def preferences_update(request: HttpRequest) -> HttpResponse:
    """Save the levels of the preferences form of the settings page."""
    viewer = viewer_of(request)
    levels = {kind: request.POST[kind] for kind in Kind.values if kind in request.POST}
    try:
        services.notification_preferences_update(user=viewer, levels=levels)
    except GlimpseError as error:
        messages.error(request, f"{error.message} Nothing was changed.")
    else:
        messages.success(request, "Your notification preferences are saved.")
    return redirect("accounts:settings")
