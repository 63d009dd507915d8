"""The notifications page and the preferences form, under the ``notifications`` namespace."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.notifications import selectors, services
from glimpse.notifications.models import Kind
from glimpse.notifications.presenters import notification_view

PAGE_SIZE = 30
BAD_UPTO = "upto is the cursor of a notification (digits)."


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """Show the viewer's notifications, unread ones highlighted; reading them is a POST.

    A GET changes nothing (a link or a prefetch must not read anyone's activity): the page
    sends ``read`` itself once shown (notifications.js), or the viewer presses its button.
    """
    viewer = request_viewer(request)
    raw = request.GET.get("max_id", "")
    max_id = int(raw) if raw.isdigit() else None
    page = selectors.notifications_page(viewer=viewer, max_id=max_id, limit=PAGE_SIZE)
    newest = max((entry.sort_id for entry in page.items), default=None)
    follow_back = selectors.follower_relations(viewer=viewer, entries=page.items)
    context = {
        # Each entry with, for a single new follower, the viewer's relation to them (None else).
        "notes": [(notification_view(entry), follow_back.get(entry.pk)) for entry in page.items],
        "next_max_id": page.next_max_id,
        # The first page reads what it shows and older (on later pages too), never what
        # arrived after it was made.
        "read_upto": newest if max_id is None else None,
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """Mark the viewer's notifications read, up to the newest one its page showed.

    Answers the unread count as JSON to the page's script, a redirect to a plain form.
    """
    viewer = request_viewer(request)
    wants_json = "application/json" in request.headers.get("Accept", "")
    raw = request.POST.get("upto")
    upto = None
    if raw is not None:
        if not (raw.isdigit() and len(raw) <= 19 and int(raw) < 2**63):
            if wants_json:
                error = {"code": "invalid", "message": BAD_UPTO, "fields": {"upto": [BAD_UPTO]}}
                return JsonResponse({"error": error}, status=400)
            messages.error(request, f"{BAD_UPTO} Nothing was changed.")
            return redirect("notifications:list")
        upto = int(raw)
    count = services.notifications_mark_all_read(recipient=viewer, upto=upto)
    if wants_json:
        return JsonResponse({"count": count})
    return redirect("notifications:list")


@login_required
@require_POST
def preferences_update(request: HttpRequest) -> HttpResponse:
    """Save the levels of the preferences form of the settings page."""
    viewer = request_viewer(request)
    levels = {kind: request.POST[kind] for kind in Kind.values if kind in request.POST}
    try:
        services.notification_preferences_update(user=viewer, levels=levels)
    except GlimpseError as error:
        messages.error(request, f"{error.message} Nothing was changed.")
    else:
        messages.success(request, "Your notification preferences are saved.")
    return redirect("accounts:settings")
