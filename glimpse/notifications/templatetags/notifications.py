"""The notification preferences form, shown on the account settings page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.notifications import selectors
from glimpse.notifications.models import CHOOSABLE_KINDS, Level

register = template.Library()


@register.inclusion_tag("notifications/preferences_form.html", takes_context=True)
def notification_preferences(context: dict[str, Any]) -> dict[str, Any]:
    """Render the viewer's level of each kind as a form of choices."""
    user = context["request"].user
    levels = selectors.preferences_get(user=user) if isinstance(user, User) else {}
    rows = [(kind.value, kind.label, levels.get(kind, Level.EVERYONE)) for kind in CHOOSABLE_KINDS]
    return {"rows": rows, "levels": Level.choices, "csrf_token": context.get("csrf_token")}


@register.filter
def short_ago(moment: datetime) -> str:
    """Return how long ago a moment was, shortly: "now", "5m", "3h", "2d", "4w"."""
    seconds = max(0, int((timezone.now() - moment).total_seconds()))
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return "now"
