"""The highlights row of a profile, as a template tag so the profile view stays unchanged."""

from __future__ import annotations

from typing import Any

from django import template

from glimpse.accounts.models import User
from glimpse.accounts.views.common import avatar_of
from glimpse.core.errors import NotFound
from glimpse.stories import selectors
from glimpse.stories.views import picture

register = template.Library()


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
            "cover": picture(view.cover.media, "320") if view.cover else None,
            "fallback": avatar_of(account),
        }
        for view in views
    ]
    return {"circles": circles, "is_own": viewer is not None and viewer.pk == account.pk}
