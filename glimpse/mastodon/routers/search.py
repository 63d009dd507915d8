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
from glimpse.search.remote import RemoteFound, accounts_found_first, remote_account_find

# An anonymous search may not make this server ask others (Mastodon refuses it too).
ANONYMOUS_RESOLVE = "Sign in to look up accounts of other servers (resolve)."

router = Router(tags=["search"])

Kind = Literal["accounts", "hashtags", "statuses"]


@router.get("/search", auth=TokenAuth("read:search", optional=True))
def search(
    request: HttpRequest,
    q: str,
    kind: Kind | None = QueryParam(None, alias="type"),  # noqa: B008 - ninja's way to rename
    limit: int = DEFAULT_LIMIT,
    # Named apart: "resolve" would shadow a method of ninja's query model.
    look_up: bool = QueryParam(False, alias="resolve"),
) -> dict[str, list[Any]]:
    """Return what matches ``q``: of one kind with ``type``, else of each kind.

    With ``resolve`` (a signed-in account only, as on Mastodon), a handle or an account's
    address of another server is looked up on its server and comes first; addresses of
    posts are not looked up. ``offset`` is not honoured (the first page only).
    """
    viewer = request_viewer(request)
    size = min(max(limit, 1), MAX_LIMIT)
    found: dict[str, list[Any]] = {"accounts": [], "statuses": [], "hashtags": []}
    if kind in (None, "accounts"):
        remote = RemoteFound()
        if look_up and len(q) <= search_selectors.QUERY_MAX:
            if viewer is None:
                raise MastodonError(401, ANONYMOUS_RESOLVE)
            remote = remote_account_find(viewer=viewer, q=q)
        accounts = search_selectors.search_accounts(viewer=viewer, q=q, limit=size)
        accounts = accounts_found_first(remote, accounts, size)
        found["accounts"] = [account_entity(user) for user in accounts]
    if kind in (None, "hashtags"):
        tags = search_selectors.search_hashtags(viewer=viewer, q=q, limit=size)
        found["hashtags"] = tags_json(viewer, tags)
    if kind in (None, "statuses"):
        posts = search_selectors.search_posts(viewer=viewer, q=q, limit=size)
        found["statuses"] = statuses_json(viewer, posts)
    return found
