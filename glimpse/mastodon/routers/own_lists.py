"""The signed-in account's own lists: saved posts (bookmarks), liked posts (favourites),
pending follow requests, and the accounts it blocks and mutes."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from glimpse.accounts.models import User
from glimpse.core.pagination import paginate
from glimpse.graph import selectors as graph_selectors
from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.mastodon.pagination import PageQuery, page_response
from glimpse.mastodon.shown import statuses_of_ids
from glimpse.posts import selectors as post_selectors

router = Router(tags=["accounts"])


@router.get("/bookmarks", auth=TokenAuth("read:bookmarks"))
def bookmarks(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the posts the viewer saved, the latest saved first."""
    viewer = request_account(request)
    saves = post_selectors.own_saves(viewer=viewer, **page.window())
    return _posts(request, viewer, [(save.pk, save.post_id) for save in saves.items])


@router.get("/favourites", auth=TokenAuth("read:favourites"))
def favourites(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the posts the viewer liked, the latest liked first."""
    viewer = request_account(request)
    likes = post_selectors.own_likes(viewer=viewer, **page.window())
    return _posts(request, viewer, [(like.pk, like.post_id) for like in likes.items])


@router.get("/follow_requests", auth=TokenAuth("read:follows"))
def follow_requests(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the accounts asking to follow the viewer, the latest first."""
    pending = graph_selectors.follow_requests_list(owner=request_account(request))
    return _accounts(request, pending, page, "requester")


@router.get("/blocks", auth=TokenAuth("read:blocks"))
def blocks(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the accounts the viewer blocks, the latest first."""
    blocked = graph_selectors.blocked_list(owner=request_account(request))
    return _accounts(request, blocked, page, "blocked")


@router.get("/mutes", auth=TokenAuth("read:mutes"))
def mutes(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the accounts the viewer mutes, the latest first."""
    muted = graph_selectors.muted_list(owner=request_account(request))
    return _accounts(request, muted, page, "muted")


def _posts(request: HttpRequest, viewer: User, rows: list[tuple[int, int]]) -> HttpResponse:
    # The cursor is the save's or the like's id; a post gone since is left out.
    statuses = statuses_of_ids(viewer, [post_id for _, post_id in rows])
    return page_response(request, statuses, [cursor for cursor, _ in rows])


def _accounts(
    request: HttpRequest, edges: QuerySet[Any], page: PageQuery, account: str
) -> HttpResponse:
    found = paginate(edges, **page.window())
    rows: list[Model] = list(found.items)
    accounts = [account_entity(getattr(row, account)) for row in rows]
    return page_response(request, accounts, [row.pk for row in rows])
