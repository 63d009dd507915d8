"""The count of unread conversations every page's navigation shows, read only when used."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from glimpse.accounts.viewers import viewer_or_none
from glimpse.messages.badge import unread_badge


def messages_unread(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Give templates ``messages_unread``: the cached count, read at most once per page."""
    user = viewer_or_none(getattr(request, "user", None))
    if user is None:
        return {}

    @cache
    def unread() -> int:
        return unread_badge(viewer=user)

    return {"messages_unread": unread}
