"""The social graph in the API: follow, requests, lists, block, mute.

Paths live under ``accounts/`` (a profile as the viewer sees it, with the relation to it,
and its edges) and ``follow-requests``; the router is mounted at the API's root.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypedDict, TypeVar

from django.db.models import Model
from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, optional_viewer, request_user
from glimpse.accounts.models import User
from glimpse.accounts.presenters import (
    AccountItemJson,
    ViewedProfileJson,
    account_item_json,
    account_view_of,
    profile_json,
)
from glimpse.accounts.schemas import ProfileOut
from glimpse.core.api import errors
from glimpse.core.pagination import Page, PageJson, cursor_json, paginate
from glimpse.graph import selectors, services, visibility
from glimpse.graph.schemas import (
    AccountListOut,
    FollowRequestListOut,
    FollowStateOut,
)
from glimpse.graph.services import FollowState

router = Router(tags=["social graph"])

E = TypeVar("E", bound=Model)

WRITE_ERRORS = errors(401, 403, 404, 422)
LIST_ERRORS = errors(401, 404, 422)


class FollowStateJson(TypedDict):
    state: FollowState


class FollowRequestJson(TypedDict):
    id: str
    created_at: datetime
    account: AccountItemJson


@router.get(
    "/accounts/{username}", tags=["accounts"], response={200: ProfileOut, **errors(401, 404)}
)
def profile(request: HttpRequest, username: str) -> ViewedProfileJson:
    """A profile with its counts and the viewer's relation to it."""
    viewer = optional_viewer(request)
    account = selectors.account_get(viewer=viewer, username=username)
    return ViewedProfileJson(**profile_json(account), viewer=visibility.relation(viewer, account))


@router.post(
    "/accounts/{username}/follow", auth=api_auth, response={200: FollowStateOut, **WRITE_ERRORS}
)
def follow(request: HttpRequest, username: str) -> FollowStateJson:
    """Follow an account; a private one gets a request to approve (`state` says which)."""
    viewer = request_user(request)
    account = selectors.account_get(viewer=viewer, username=username)
    return {"state": services.follow_create(follower=viewer, followee=account)}


@router.delete("/accounts/{username}/follow", auth=api_auth, response={204: None, **WRITE_ERRORS})
def unfollow(request: HttpRequest, username: str) -> Status[None]:
    """Unfollow an account, or cancel the request to follow it."""
    viewer = request_user(request)
    account = selectors.account_get(viewer=viewer, username=username)
    services.follow_delete(follower=viewer, followee=account)
    return Status(204, None)


@router.get("/accounts/{username}/followers", response={200: AccountListOut, **LIST_ERRORS})
def followers(
    request: HttpRequest, username: str, max_id: int | None = None, limit: int | None = None
) -> PageJson[AccountItemJson]:
    """The account's followers, newest first; a private account's only for its followers."""
    viewer = optional_viewer(request)
    account = selectors.account_get(viewer=viewer, username=username)
    edges = selectors.followers_list(viewer=viewer, account=account)
    return _accounts_page(viewer, paginate(edges, max_id=max_id, limit=limit), "follower")


@router.get("/accounts/{username}/following", response={200: AccountListOut, **LIST_ERRORS})
def following(
    request: HttpRequest, username: str, max_id: int | None = None, limit: int | None = None
) -> PageJson[AccountItemJson]:
    """The accounts this account follows, newest first; private accounts' only for followers."""
    viewer = optional_viewer(request)
    account = selectors.account_get(viewer=viewer, username=username)
    edges = selectors.following_list(viewer=viewer, account=account)
    return _accounts_page(viewer, paginate(edges, max_id=max_id, limit=limit), "followee")


@router.delete(
    "/accounts/me/followers/{username}", auth=api_auth, response={204: None, **WRITE_ERRORS}
)
def follower_remove(request: HttpRequest, username: str) -> Status[None]:
    """Remove one of the viewer's followers; they are not told."""
    viewer = request_user(request)
    account = selectors.account_get(viewer=viewer, username=username)
    services.follower_remove(owner=viewer, follower=account)
    return Status(204, None)


@router.post("/accounts/{username}/block", auth=api_auth, response={204: None, **WRITE_ERRORS})
def block(request: HttpRequest, username: str) -> Status[None]:
    """Block an account: follows and requests both ways end, and each is hidden from the other."""
    viewer = request_user(request)
    account = selectors.block_target_get(viewer=viewer, username=username)
    services.block_create(blocker=viewer, blocked=account)
    return Status(204, None)


@router.delete("/accounts/{username}/block", auth=api_auth, response={204: None, **WRITE_ERRORS})
def unblock(request: HttpRequest, username: str) -> Status[None]:
    """Unblock an account (the follows the block ended stay ended)."""
    viewer = request_user(request)
    account = selectors.block_target_get(viewer=viewer, username=username)
    services.block_delete(blocker=viewer, blocked=account)
    return Status(204, None)


@router.post("/accounts/{username}/mute", auth=api_auth, response={204: None, **WRITE_ERRORS})
def mute(request: HttpRequest, username: str) -> Status[None]:
    """Mute an account: its posts and stories leave the viewer's feed; it is not told."""
    viewer = request_user(request)
    account = selectors.account_get(viewer=viewer, username=username)
    services.mute_create(muter=viewer, muted=account)
    return Status(204, None)


@router.delete("/accounts/{username}/mute", auth=api_auth, response={204: None, **WRITE_ERRORS})
def unmute(request: HttpRequest, username: str) -> Status[None]:
    """Unmute an account."""
    viewer = request_user(request)
    account = selectors.account_get(viewer=viewer, username=username)
    services.mute_delete(muter=viewer, muted=account)
    return Status(204, None)


@router.get(
    "/accounts/me/blocked", auth=api_auth, response={200: AccountListOut, **errors(401, 422)}
)
def blocked(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[AccountItemJson]:
    """The accounts the viewer blocked, most recent first."""
    viewer = request_user(request)
    page = paginate(selectors.blocked_list(owner=viewer), max_id=max_id, limit=limit)
    return _accounts_page(viewer, page, "blocked")


@router.get("/accounts/me/muted", auth=api_auth, response={200: AccountListOut, **errors(401, 422)})
def muted(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[AccountItemJson]:
    """The accounts the viewer muted, most recent first."""
    viewer = request_user(request)
    page = paginate(selectors.muted_list(owner=viewer), max_id=max_id, limit=limit)
    return _accounts_page(viewer, page, "muted")


@router.get(
    "/follow-requests", auth=api_auth, response={200: FollowRequestListOut, **errors(401, 422)}
)
def follow_requests(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[FollowRequestJson]:
    """The pending requests to follow the viewer, newest first."""
    viewer = request_user(request)
    page = paginate(selectors.follow_requests_list(owner=viewer), max_id=max_id, limit=limit)
    accounts = _account_items(viewer, [edge.requester for edge in page.items])
    return {
        "items": [
            {"id": str(edge.id), "created_at": edge.created_at, "account": account}
            for edge, account in zip(page.items, accounts, strict=True)
        ],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.post(
    "/follow-requests/{request_id}/approve", auth=api_auth, response={204: None, **WRITE_ERRORS}
)
def follow_request_approve(request: HttpRequest, request_id: int) -> Status[None]:
    """Approve a request: the requester becomes a follower."""
    services.follow_request_approve(owner=request_user(request), request_id=request_id)
    return Status(204, None)


@router.post(
    "/follow-requests/{request_id}/deny", auth=api_auth, response={204: None, **WRITE_ERRORS}
)
def follow_request_deny(request: HttpRequest, request_id: int) -> Status[None]:
    """Deny a request; the requester is not told."""
    services.follow_request_deny(owner=request_user(request), request_id=request_id)
    return Status(204, None)


def _account_items(viewer: User | None, accounts: Sequence[User]) -> list[AccountItemJson]:
    """Serialise accounts for a list, with the viewer's relation to each (one query)."""
    relations = visibility.relations(viewer, accounts)
    return [
        account_item_json(account_view_of(account), relation=relations[account.pk])
        for account in accounts
    ]


def _accounts_page(viewer: User | None, page: Page[E], attr: str) -> PageJson[AccountItemJson]:
    """Answer a page of edges as the accounts at their ``attr`` end."""
    items = _account_items(viewer, [getattr(edge, attr) for edge in page.items])
    return {"items": items, "next_max_id": cursor_json(page.next_max_id)}
