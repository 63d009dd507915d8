"""What clients ask for when they start, that Glimpse has no notion of: empty answers.

Some clients stop on a 404 here (Ivory does), so each answers what Mastodon answers when
there is nothing: an empty list.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.mastodon.auth import TokenAuth

router = Router(tags=["startup"])
router_v2 = Router(tags=["startup"])

# Each empty list with the scope Mastodon asks of it; ``None``: anyone may ask.
_EMPTY_LISTS: tuple[tuple[str, str | None], ...] = (
    ("/custom_emojis", None),
    ("/announcements", "read"),
    ("/lists", "read:lists"),
    ("/filters", "read:filters"),
    ("/followed_tags", "read:follows"),
    ("/featured_tags", "read:accounts"),
    ("/endorsements", "read:accounts"),
    # Direct messages stay out of this API: Glimpse's own inbox serves them.
    ("/conversations", "read:statuses"),
    ("/notifications/requests", "read:notifications"),
)


def _empty(request: HttpRequest) -> list[Any]:
    """Return an empty list."""
    return []


for _path, _scope in _EMPTY_LISTS:
    _auth = TokenAuth(optional=True) if _scope is None else TokenAuth(_scope)
    router.get(_path, auth=_auth, operation_id="empty" + _path.replace("/", "_"))(_empty)


@router_v2.get("/filters", auth=TokenAuth("read:filters"))
def filters(request: HttpRequest) -> list[Any]:
    """Return the viewer's filters: Glimpse has none."""
    return []
