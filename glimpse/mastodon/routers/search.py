"""``/api/v2/search``: accounts, hashtags and posts matching a query, as Glimpse's search
finds them."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Query as QueryParam

from glimpse.mastodon.auth import TokenAuth, request_viewer
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.mastodon.pagination import DEFAULT_LIMIT, MAX_LIMIT
from glimpse.mastodon.shown import statuses_json, tags_json
from glimpse.search import selectors as search_selectors

router = Router(tags=["search"])

Kind = Literal["accounts", "hashtags", "statuses"]


@router.get("/search", auth=TokenAuth("read:search", optional=True))
def search(
    request: HttpRequest,
    q: str,
    kind: Kind | None = QueryParam(None, alias="type"),  # noqa: B008 - ninja's way to rename
    limit: int = DEFAULT_LIMIT,
) -> dict[str, list[Any]]:
    """Return what matches ``q``: of one kind with ``type``, else of each kind.

    Every account and post is local, so ``resolve`` finds nothing more; ``offset`` is not
    honoured (the first page only).
    """
    viewer = request_viewer(request)
    size = min(max(limit, 1), MAX_LIMIT)
    found: dict[str, list[Any]] = {"accounts": [], "statuses": [], "hashtags": []}
    if kind in (None, "accounts"):
        accounts = search_selectors.search_accounts(viewer=viewer, q=q, limit=size)
        found["accounts"] = [account_entity(user) for user in accounts]
    if kind in (None, "hashtags"):
        tags = search_selectors.search_hashtags(viewer=viewer, q=q, limit=size)
        found["hashtags"] = tags_json(viewer, tags)
    if kind in (None, "statuses"):
        posts = search_selectors.search_posts(viewer=viewer, q=q, limit=size)
        found["statuses"] = statuses_json(viewer, posts)
    return found
