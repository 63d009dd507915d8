"""The story tray, a profile's highlights row and a story's age, as template tags so that the
pages that show them (the home page, profiles) need no import of stories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.presenters import avatar_of
from glimpse.core.errors import NotFound
from glimpse.media.presenters import media_view
from glimpse.stories import selectors
from glimpse.stories.views import tray_for

register = template.Library()

# (seconds in the unit, short unit, long unit), largest first.
_UNITS = (
    (7 * 24 * 3600, "w", "week"),
    (24 * 3600, "d", "day"),
    (3600, "h", "hour"),
    (60, "m", "minute"),
)


@register.inclusion_tag("stories/tray.html", takes_context=True)
def story_tray(context: dict[str, Any]) -> dict[str, Any]:
    """Render the story tray of the viewer's home page."""
    viewer = context["request"].user
    return {"story_tray": tray_for(viewer), "avatar": avatar_of(viewer, 150)}


@register.inclusion_tag("stories/highlights_row.html", takes_context=True)
def highlights_row(context: dict[str, Any], account: User) -> dict[str, Any]:
    """Render the row of highlight circles the viewer may see on an account's profile."""
    request = context["request"]
    viewer = request.user if isinstance(request.user, User) else None
    try:
        _, views = selectors.account_highlights(viewer=viewer, username=account.username)
    except NotFound:
        views = []
    circles = [
        {
            "highlight": view.highlight,
            "cover": media_view(view.cover.media).picture("320") if view.cover else None,
            "fallback": avatar_of(account),
        }
        for view in views
    ]
    return {"circles": circles, "is_own": viewer is not None and viewer.pk == account.pk}


@register.filter
def story_age(when: datetime, style: str = "short") -> str:
    """Return how long ago a story was posted, as Instagram writes it: "just now", "5 m",
    "3 h", "2 d", "1 w" (``style="long"``: "5 minutes ago", for screen readers)."""
    seconds = max(0, int((timezone.now() - when).total_seconds()))
    for size, short, long in _UNITS:
        if seconds >= size:
            count = seconds // size
            if style == "long":
                return f"{count} {long}{'s' if count != 1 else ''} ago"
            return f"{count} {short}"
    return "just now"
