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

from glimpse.accounts.models import User
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
from glimpse.search.selectors import search_accounts


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
    """Return the account of a username (``name`` or ``name@this-site``)."""
    name, _, domain = acct.removeprefix("@").partition("@")
    if domain and domain.lower() != _domain(request):
        # No other server's accounts are known until federation exists.
        raise MastodonError(404, NOT_FOUND)
    viewer = request_viewer(request)
    return account_entity(graph_selectors.account_get(viewer=viewer, username=name))


@router.get("/accounts/search", auth=TokenAuth("read:accounts"))
def search(request: HttpRequest, q: str, limit: int = 40) -> list[dict[str, Any]]:
    """Return the accounts whose username or name matches ``q``."""
    viewer = request_account(request)
    found = search_accounts(viewer=viewer, q=q, limit=min(max(limit, 1), MAX_LIMIT))
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


def _domain(request: HttpRequest) -> str:
    return (urlsplit(site_url()).hostname or request.get_host()).lower()
