"""Mastodon's Notification (one account doing one thing) and NotificationGroup (what the
grouped notifications of ``/api/v2/notifications`` show as one line)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from glimpse.mastodon.content import timestamp

# The types Mastodon shows grouped: many accounts liking one status, or following.
GROUPED_TYPES = frozenset({"favourite", "follow", "reblog"})


def group_key(kind: str, *, notification_id: int, actor_row_id: int) -> str:
    """Return the key a notification is grouped under: its Glimpse notification for the
    grouped types (one line per liked post, per day of new followers), else itself."""
    if kind in GROUPED_TYPES:
        return f"grouped-{kind}-{notification_id}"
    return f"ungrouped-{actor_row_id}"


def notification_entity(
    *,
    actor_row_id: int,
    kind: str,
    key: str,
    created_at: datetime,
    account: dict[str, Any],
    status: dict[str, Any] | None,
) -> dict[str, Any]:
    """Return one account's part in a notification as Mastodon's Notification."""
    entity: dict[str, Any] = {
        "id": str(actor_row_id),
        "type": kind,
        "group_key": key,
        "created_at": timestamp(created_at),
        "account": account,
    }
    if status is not None:
        entity["status"] = status
    return entity


def notification_group_entity(
    *,
    key: str,
    kind: str,
    count: int,
    row_ids: list[int],
    latest_at: datetime,
    account_ids: list[int],
    status_id: str | None,
) -> dict[str, Any]:
    """Return a group as Mastodon's NotificationGroup: ``row_ids`` are the ids of its
    notifications on this page, newest first, and ``count`` all of them."""
    entity: dict[str, Any] = {
        "group_key": key,
        "notifications_count": count,
        "type": kind,
        "most_recent_notification_id": str(row_ids[0]),
        "page_min_id": str(row_ids[-1]),
        "page_max_id": str(row_ids[0]),
        "latest_page_notification_at": timestamp(latest_at),
        "sample_account_ids": [str(pk) for pk in account_ids],
    }
    if status_id is not None:
        entity["status_id"] = status_id
    return entity
