"""Whether the viewer holds the moderator role, for every page's navigation (no query)."""

from __future__ import annotations

from django.http import HttpRequest

from glimpse.accounts.viewers import viewer_or_none
from glimpse.moderation.roles import is_moderator


def moderation(request: HttpRequest) -> dict[str, bool]:
    """Give templates ``is_moderator``."""
    return {"is_moderator": is_moderator(viewer_or_none(getattr(request, "user", None)))}
