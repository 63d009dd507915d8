"""``/api/v1/notifications`` (one per account and action) and ``/api/v2/notifications``
(grouped): the account's notifications as Mastodon's clients read them, through the same
visibility rules as Glimpse's own activity page.

Only the kinds Mastodon has a type for are shown (stories, likes of comments and the
moderators' notices are not). Clearing and dismissing delete them, as Mastodon does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, ConfigDict, Field

from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.notifications import GROUPED_TYPES
from glimpse.mastodon.errors import NOT_FOUND, MastodonError, record_id
from glimpse.mastodon.notification_types import mastodon_type
from glimpse.mastodon.notifications import (
    grouped_json,
    groups_of,
    kinds_of,
    notification_json,
    notifications_json,
)
from glimpse.mastodon.pagination import PageQuery, page_response
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.shown import accounts_json
from glimpse.notifications import selectors, services

router = Router(tags=["notifications"])
router_v2 = Router(tags=["notifications"])

READ = TokenAuth("read:notifications")
WRITE = TokenAuth("write:notifications")
# Mastodon's page sizes for notifications, and for the unread count.
DEFAULT_LIMIT, MAX_LIMIT = 40, 80
DEFAULT_UNREAD, MAX_UNREAD = 100, 1000
# How many rows a grouped page reads at most to find its groups.
ROWS_PER_GROUPED_PAGE = 100


class NotificationsQuery(PageQuery):
    """A page of notifications: Mastodon's cursors, 40 by default and at most 80, and
    ``account_id`` for one account's (``types[]`` and ``exclude_types[]`` are read apart)."""

    limit: int = Field(default=DEFAULT_LIMIT, ge=1)
    account_id: int | None = Field(default=None, ge=0)

    @property
    def size(self) -> int:
        """Return the page size: what was asked, at most Mastodon's 80."""
        return min(self.limit, MAX_LIMIT)

    def rows_window(self, rows: int) -> dict[str, Any]:
        """Return the selector's arguments for a page of ``rows`` actor rows."""
        return {**super().window(), "actor_id": self.account_id, "limit": rows}


class UnreadQuery(BaseModel):
    """How far an unread count counts: 100 by default, at most 1,000."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(default=DEFAULT_UNREAD, ge=1)

    @property
    def size(self) -> int:
        """Return the most the count says."""
        return min(self.limit, MAX_UNREAD)


def _kinds(request: HttpRequest) -> list[str]:
    """Return the Glimpse kinds a request asks for by its ``types[]`` and ``exclude_types[]``."""
    fields = request_fields(request)
    return kinds_of(_texts(fields.get("types")), _texts(fields.get("exclude_types")))


@router.get("/notifications", auth=READ)
def notifications(request: HttpRequest, asked: Query[NotificationsQuery]) -> HttpResponse:
    """Return a page of the account's notifications, newest first."""
    viewer = request_account(request)
    page = selectors.notification_actors_page(
        viewer=viewer, kinds=_kinds(request), **asked.rows_window(asked.size)
    )
    rows = list(page.items)
    return page_response(request, notifications_json(viewer, rows), [row.pk for row in rows])


@router.get("/notifications/unread_count", auth=READ)
def unread_count(request: HttpRequest, asked: Query[UnreadQuery]) -> dict[str, int]:
    """Return how many unread notifications the account has, up to ``limit``."""
    count = selectors.notification_actors_unread(
        viewer=request_account(request), kinds=_kinds(request), limit=asked.size
    )
    return {"count": count}


@router.post("/notifications/clear", auth=WRITE)
def clear(request: HttpRequest) -> dict[str, Any]:
    """Delete every notification of the account."""
    services.notifications_clear(recipient=request_account(request))
    return {}


@router.get("/notifications/{notification_id}", auth=READ)
def notification(request: HttpRequest, notification_id: str) -> dict[str, Any]:
    """Return one notification of the account."""
    viewer = request_account(request)
    row = selectors.notification_actor_get(
        viewer=viewer, kinds=kinds_of(), actor_row_id=record_id(notification_id)
    )
    return notification_json(viewer, row)


@router.post("/notifications/{notification_id}/dismiss", auth=WRITE)
def dismiss(request: HttpRequest, notification_id: str) -> dict[str, Any]:
    """Delete one notification of the account."""
    services.notification_actor_dismiss(
        recipient=request_account(request), actor_row_id=record_id(notification_id)
    )
    return {}


@router_v2.get("/notifications", auth=READ)
def notification_groups(request: HttpRequest, asked: Query[NotificationsQuery]) -> HttpResponse:
    """Return a page of the account's notifications grouped, the latest group first.

    ``limit`` counts groups; the ``Link`` header's cursors are notification ids, as in v1.
    """
    viewer = request_account(request)
    page = selectors.notification_actors_page(
        viewer=viewer, kinds=_kinds(request), **asked.rows_window(ROWS_PER_GROUPED_PAGE)
    )
    upwards = asked.min_id is not None
    groups, taken = groups_of(page.items, limit=asked.size, oldest_first=upwards)
    body = grouped_json(viewer, groups)
    return page_response(request, body, [taken[0].pk, taken[-1].pk] if taken else [])


@router_v2.get("/notifications/unread_count", auth=READ)
def group_unread_count(request: HttpRequest, asked: Query[UnreadQuery]) -> dict[str, int]:
    """Return how many groups of unread notifications the account has, up to ``limit``."""
    viewer, kinds = request_account(request), _kinds(request)
    grouped = [k for k in kinds if mastodon_type(k) in GROUPED_TYPES]
    single = [k for k in kinds if mastodon_type(k) not in GROUPED_TYPES]
    unread = selectors.notifications_visible(viewer=viewer).filter(is_read=False)
    count = unread.filter(kind__in=grouped)[: asked.size].count()
    count += selectors.notification_actors_unread(viewer=viewer, kinds=single, limit=asked.size)
    return {"count": min(count, asked.size)}


@router_v2.get("/notifications/{group_key}", auth=READ)
def notification_group(request: HttpRequest, group_key: str) -> dict[str, Any]:
    """Return one group of the account's notifications, with its accounts and status."""
    viewer = request_account(request)
    groups, _ = groups_of(_group_rows(request, group_key), limit=1)
    body = grouped_json(viewer, groups)
    if not body["notification_groups"]:
        raise MastodonError(404, NOT_FOUND)
    return body


@router_v2.get("/notifications/{group_key}/accounts", auth=READ)
def notification_group_accounts(request: HttpRequest, group_key: str) -> list[dict[str, Any]]:
    """Return the accounts of one group, the latest first."""
    viewer = request_account(request)
    actor_ids = [row.actor_id for row in _group_rows(request, group_key, limit=MAX_LIMIT)]
    accounts = accounts_json(viewer, actor_ids)
    if not accounts:
        raise MastodonError(404, NOT_FOUND)
    return [accounts[pk] for pk in dict.fromkeys(actor_ids) if pk in accounts]


@router_v2.post("/notifications/{group_key}/dismiss", auth=WRITE)
def dismiss_group(request: HttpRequest, group_key: str) -> dict[str, Any]:
    """Delete one group of the account's notifications."""
    account = request_account(request)
    grouped, pk = _group_named(group_key)
    if grouped:
        services.notification_dismiss(recipient=account, notification_id=pk)
    else:
        services.notification_actor_dismiss(recipient=account, actor_row_id=pk)
    return {}


def _group_rows(request: HttpRequest, group_key: str, *, limit: int = 20) -> list[Any]:
    """Return the visible rows of the group a key names (the newest first), or refuse."""
    viewer = request_account(request)
    grouped, pk = _group_named(group_key)
    if grouped:
        return selectors.notification_actors_of(viewer=viewer, notification_id=pk, limit=limit)
    return [selectors.notification_actor_get(viewer=viewer, kinds=kinds_of(), actor_row_id=pk)]


def _group_named(group_key: str) -> tuple[bool, int]:
    """Return what a group key names: a Glimpse notification (True) or one actor row."""
    kind, _, pk = group_key.rpartition("-")
    if kind.startswith("grouped-"):
        return True, record_id(pk)
    if kind == "ungrouped":
        return False, record_id(pk)
    raise MastodonError(404, NOT_FOUND)


def _texts(value: Any) -> list[str]:
    """Return a list parameter (``types[]=a&types[]=b``, or one value) as strings."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(item) for item in values]
