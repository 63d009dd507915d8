"""Accounts to follow: ``GET /api/v2/suggestions`` and ``DELETE /api/v1/suggestions/:id``.

Glimpse suggests the accounts followed by the accounts the viewer follows (most mutual
follows first), which Mastodon calls ``friends_of_friends``. It keeps no list of dismissed
suggestions: dismissing one is answered as Mastodon answers it, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.feeds.suggestions import accounts_suggested
from glimpse.graph import selectors as graph_selectors
from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.mastodon.pagination import MAX_LIMIT

router = Router(tags=["suggestions"])
router_v2 = Router(tags=["suggestions"])

DEFAULT_LIMIT = 40


@router_v2.get("/suggestions", auth=TokenAuth("read"))
def suggestions(request: HttpRequest, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """Return accounts the viewer may want to follow, with why each is suggested."""
    viewer = request_account(request)
    found = accounts_suggested(viewer=viewer, limit=min(max(limit, 1), MAX_LIMIT))
    return [
        # ``source`` is the older, coarser name of the same reason.
        {"source": "past_interactions", "sources": ["friends_of_friends"], "account": account}
        for account in map(account_entity, found)
    ]


@router.delete("/suggestions/{snowflake:account_id}", auth=TokenAuth("read"))
def suggestion_dismiss(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Answer the dismissal of a suggestion (an account the viewer may see): nothing is kept."""
    graph_selectors.account_get_by_id(viewer=request_account(request), account_id=account_id)
    return {}
