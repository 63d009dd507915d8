"""``/api/v1/accounts``: who signed in, profiles, their posts, followers and following,
relationships, lookup and search.

An account's path takes its id, a snowflake of 15 digits or more: any other segment (a
username, which Glimpse's own API takes at ``/api/glimpse/v1/accounts/{username}``) is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import register_converter
from ninja import Query, Router
from ninja.params.functions import Query as QueryParam

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.pagination import paginate
from glimpse.core.site import site_url
from glimpse.graph import selectors as graph_selectors
from glimpse.graph.visibility import relations_to, visible_account_ids
from glimpse.mastodon.auth import TokenAuth, request_account, request_viewer
from glimpse.mastodon.entities.accounts import (
    account_entity,
    credential_account_entity,
    relationship_entity,
)
from glimpse.mastodon.errors import NOT_FOUND, MastodonError
from glimpse.mastodon.pagination import MAX_LIMIT, PageQuery, page_response
from glimpse.mastodon.shown import statuses_of_ids
from glimpse.posts import selectors as post_selectors
from glimpse.search.remote import RemoteFound, accounts_found_first, remote_account_find
from glimpse.search.selectors import QUERY_MAX, search_accounts


class SnowflakeConverter:
    """A path segment holding a snowflake id (15 to 19 digits)."""

    regex = "[0-9]{15,19}"

    def to_python(self, value: str) -> int:
        """Return the id."""
        return int(value)

    def to_url(self, value: int) -> str:
        """Return the segment."""
        return str(value)


register_converter(SnowflakeConverter, "snowflake")

router = Router(tags=["accounts"])

READ_ACCOUNTS = TokenAuth("read:accounts", optional=True)
READ_STATUSES = TokenAuth("read:statuses", optional=True)


@router.get("/accounts/verify_credentials", auth=TokenAuth("read:accounts", "profile"))
def verify_credentials(request: HttpRequest) -> dict[str, Any]:
    """Return the signed-in account with its settings (``source``)."""
    user = request_account(request)
    pending = graph_selectors.follow_request_count(owner=user)
    return credential_account_entity(user, follow_requests=pending)


@router.get("/accounts/relationships", auth=TokenAuth("read:follows"))
def relationships(request: HttpRequest) -> list[dict[str, Any]]:
    """Return the viewer's relation to each account asked (``id[]``), in order: those it
    may see, and those it blocks."""
    viewer = request_account(request)
    ids = _asked_ids(request)
    visible = graph_selectors.related_account_ids(viewer=viewer, ids=ids)
    found = relations_to(viewer, visible)
    return [relationship_entity(pk, found[pk]) for pk in ids if pk in visible]


@router.get("/accounts/familiar_followers", auth=TokenAuth("read:follows"))
def familiar_followers(request: HttpRequest) -> list[dict[str, Any]]:
    """Return, for each account asked (``id[]``) the viewer may see, the accounts it follows
    that follow that account."""
    viewer = request_account(request)
    ids = _asked_ids(request)
    visible = visible_account_ids(viewer, ids)
    found = graph_selectors.familiar_followers(viewer=viewer, ids=visible)
    return [
        {"id": str(pk), "accounts": [account_entity(user) for user in found[pk]]}
        for pk in ids
        if pk in visible
    ]


@router.get("/accounts/lookup", auth=READ_ACCOUNTS)
def lookup(request: HttpRequest, acct: str) -> dict[str, Any]:
    """Return the account of a username: ``name`` or ``name@this-site``, or ``name@host``
    of another server, known here or (for a signed-in account) looked up on its server."""
    handle = acct.strip().removeprefix("@")
    name, _, domain = handle.partition("@")
    viewer = request_viewer(request)
    if not domain or domain.lower() in _domains(request):
        return account_entity(graph_selectors.account_get(viewer=viewer, username=name))
    try:
        return account_entity(graph_selectors.account_get(viewer=viewer, username=handle))
    except NotFound:
        if viewer is None:
            raise
    found = remote_account_find(viewer=viewer, q=handle)
    if found.account is None:
        raise MastodonError(404, NOT_FOUND)
    return account_entity(found.account)


@router.get("/accounts/search", auth=TokenAuth("read:accounts"))
def search(
    request: HttpRequest,
    q: str,
    limit: int = 40,
    # Named apart: "resolve" would shadow a method of ninja's query model.
    look_up: bool = QueryParam(False, alias="resolve"),
) -> list[dict[str, Any]]:
    """Return the accounts whose username or name matches ``q``; with ``resolve``, a handle
    or an account's address of another server is looked up there first."""
    viewer = request_account(request)
    size = min(max(limit, 1), MAX_LIMIT)
    remote = RemoteFound()
    if look_up and len(q) <= QUERY_MAX:
        remote = remote_account_find(viewer=viewer, q=q)
    found = accounts_found_first(remote, search_accounts(viewer=viewer, q=q, limit=size), size)
    return [account_entity(user) for user in found]


@router.get("/accounts/{snowflake:account_id}", auth=READ_ACCOUNTS)
def account(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Return a profile the viewer may see."""
    return account_entity(_account(request, account_id))


@router.get(
    "/accounts/{snowflake:account_id}/statuses", auth=TokenAuth("read:statuses", optional=True)
)
def account_statuses(
    request: HttpRequest,
    account_id: int,
    page: Query[PageQuery],
    pinned: bool = False,
    tagged: str | None = None,
) -> HttpResponse:
    """Return an account's posts, newest first; a private account's only to its followers.

    Glimpse's profiles hold posts alone: ``exclude_reblogs``, ``exclude_replies`` and
    ``only_media`` change nothing.
    """
    viewer = request_viewer(request)
    owner = _account(request, account_id)
    ids = post_selectors.account_post_ids_between(
        viewer=viewer, account=owner, pinned=pinned, tagged=tagged, **page.window()
    )
    return page_response(request, statuses_of_ids(viewer, ids.items), ids.items)


@router.get("/accounts/{snowflake:account_id}/featured_tags", auth=READ_ACCOUNTS)
def account_featured_tags(request: HttpRequest, account_id: int) -> list[Any]:
    """Return the hashtags an account features on its profile: Glimpse has none."""
    _account(request, account_id)
    return []


@router.get("/accounts/{snowflake:account_id}/lists", auth=TokenAuth("read:lists"))
def account_lists(request: HttpRequest, account_id: int) -> list[Any]:
    """Return the viewer's lists holding an account: Glimpse has no lists."""
    _account(request, account_id)
    return []


@router.get("/accounts/{snowflake:account_id}/followers", auth=READ_ACCOUNTS)
def followers(request: HttpRequest, account_id: int, page: Query[PageQuery]) -> HttpResponse:
    """Return an account's followers, the latest first (a private account's: to its own)."""
    viewer = request_viewer(request)
    follows = graph_selectors.followers_list(viewer=viewer, account=_account(request, account_id))
    found = paginate(follows, **page.window())
    accounts = [account_entity(follow.follower) for follow in found.items]
    return page_response(request, accounts, [follow.pk for follow in found.items])


@router.get("/accounts/{snowflake:account_id}/following", auth=READ_ACCOUNTS)
def following(request: HttpRequest, account_id: int, page: Query[PageQuery]) -> HttpResponse:
    """Return the accounts an account follows, the latest first."""
    viewer = request_viewer(request)
    follows = graph_selectors.following_list(viewer=viewer, account=_account(request, account_id))
    found = paginate(follows, **page.window())
    accounts = [account_entity(follow.followee) for follow in found.items]
    return page_response(request, accounts, [follow.pk for follow in found.items])


def _asked_ids(request: HttpRequest) -> list[int]:
    # Rails-style ``id[]=1&id[]=2``, or a plain repeated ``id``; what is not an id is ignored.
    asked = [*request.GET.getlist("id[]"), *request.GET.getlist("id")]
    return list(dict.fromkeys(int(text) for text in asked if text.isdigit() and len(text) < 20))


def _account(request: HttpRequest, account_id: int) -> User:
    return graph_selectors.account_get_by_id(viewer=request_viewer(request), account_id=account_id)


def _domains(request: HttpRequest) -> set[str]:
    # This server's host, with its port and without (handles here carry the port).
    parts = urlsplit(site_url() or f"//{request.get_host()}")
    return {name.lower() for name in (parts.hostname, parts.netloc) if name}
