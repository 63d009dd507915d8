"""``/api/v2/search``: accounts, hashtags and posts matching a query, as Glimpse's search
finds them."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Query as QueryParam

from glimpse.mastodon.auth import TokenAuth, request_viewer
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.mastodon.errors import MastodonError
from glimpse.mastodon.pagination import DEFAULT_LIMIT, MAX_LIMIT
from glimpse.mastodon.shown import statuses_json, tags_json
from glimpse.search import selectors as search_selectors
from glimpse.search.remote import (
    ACCOUNTS,
    EVERY_KIND,
    POSTS,
    Kind,
    RemoteFound,
    accounts_found_first,
    posts_found_first,
    remote_find,
)

# An anonymous search may not make this server ask others (Mastodon refuses it too).
ANONYMOUS_RESOLVE = "Sign in to look up accounts and posts of other servers (resolve)."

router = Router(tags=["search"])

SearchKind = Literal["accounts", "hashtags", "statuses"]
# What a handle or address may name, by the kind searched.
_FOUND_KINDS: dict[SearchKind | None, frozenset[Kind]] = {
    None: EVERY_KIND,
    "accounts": ACCOUNTS,
    "statuses": POSTS,
}


@router.get("/search", auth=TokenAuth("read:search", optional=True))
def search(
    request: HttpRequest,
    q: str,
    kind: SearchKind | None = QueryParam(None, alias="type"),  # noqa: B008 - ninja's way to rename
    limit: int = DEFAULT_LIMIT,
    # Named apart: "resolve" would shadow a method of ninja's query model.
    look_up: bool = QueryParam(False, alias="resolve"),
) -> dict[str, list[Any]]:
    """Return what matches ``q``: of one kind with ``type``, else of each kind.

    With ``resolve`` (a signed-in account only, as on Mastodon), a handle or an address of
    another server's account or post is looked up on its server and comes first, in
    ``accounts`` or ``statuses``. A post of this server named by its address comes first
    with or without ``resolve``. ``offset`` is not honoured (the first page only).
    """
    viewer = request_viewer(request)
    size = min(max(limit, 1), MAX_LIMIT)
    found: dict[str, list[Any]] = {"accounts": [], "statuses": [], "hashtags": []}
    kinds = _FOUND_KINDS.get(kind, frozenset())
    remote = RemoteFound()
    if kinds and len(q) <= search_selectors.QUERY_MAX:
        if look_up and viewer is None:
            raise MastodonError(401, ANONYMOUS_RESOLVE)
        remote = remote_find(viewer=viewer, q=q, kinds=kinds, resolve=look_up)
    if kind in (None, "accounts"):
        accounts = search_selectors.search_accounts(viewer=viewer, q=q, limit=size)
        accounts = accounts_found_first(remote, accounts, size)
        found["accounts"] = [account_entity(user) for user in accounts]
    if kind in (None, "hashtags"):
        tags = search_selectors.search_hashtags(viewer=viewer, q=q, limit=size)
        found["hashtags"] = tags_json(viewer, tags)
    if kind in (None, "statuses"):
        posts = search_selectors.search_posts(viewer=viewer, q=q, limit=size)
        found["statuses"] = statuses_json(viewer, posts_found_first(remote, posts, size))
    return found
