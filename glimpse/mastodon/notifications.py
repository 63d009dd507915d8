"""Glimpse's notifications as Mastodon's clients read them.

Glimpse keeps one notification per thing that happened to the account, with every account
that did it (Instagram's "ana and 12 others liked your post"). Mastodon's clients read one
notification per account and action: each actor row of a Glimpse notification is one, with
the row's id. The grouped list (``/api/v2/notifications``) puts them back together: the rows
of one liked post, or of one day's new followers, make one group; a mention, a reply or a
follow request is a group of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.mastodon.entities.notifications import (
    GROUPED_TYPES,
    group_key,
    notification_entity,
    notification_group_entity,
)
from glimpse.mastodon.notification_types import TYPES, mastodon_type
from glimpse.mastodon.shown import accounts_json, comments_json, statuses_json
from glimpse.notifications import selectors as notifications
from glimpse.notifications.models import Notification, NotificationActor
from glimpse.posts import selectors as post_selectors
from glimpse.posts.models import Comment
from glimpse.posts.shown import posts_shown

# A status a notification is about: ("post", id) or ("comment", id).
StatusKey = tuple[str, int]
# How many accounts a group names (Mastodon's clients show a few faces).
SAMPLED_ACCOUNTS = 8


@dataclass
class Group:
    """The rows of one page that show as one line of the grouped list, newest first."""

    key: str
    kind: str
    rows: list[NotificationActor] = field(default_factory=list)

    @property
    def is_grouped(self) -> bool:
        """Tell whether the group stands for a Glimpse notification (not a single row)."""
        return self.kind in GROUPED_TYPES


def kinds_of(types: Sequence[str] = (), exclude_types: Sequence[str] = ()) -> list[str]:
    """Return the Glimpse kinds a client asks for by Mastodon types (all that have a type)."""
    return [
        kind
        for kind, shown in TYPES.items()
        if (not types or shown in types) and shown not in exclude_types
    ]


def status_key(entry: Notification) -> StatusKey | None:
    """Return the status a notification shows: its comment, else its post, else none."""
    if entry.comment_id is not None:
        return ("comment", entry.comment_id)
    if entry.post_id is not None:
        return ("post", entry.post_id)
    return None


def notifications_json(viewer: User, rows: Sequence[NotificationActor]) -> list[dict[str, Any]]:
    """Return actor rows as Mastodon's Notifications, in order; a row whose account or
    status the viewer no longer sees is left out."""
    accounts = accounts_json(viewer, {row.actor_id for row in rows})
    statuses = statuses_by_key(viewer, [row.notification for row in rows])
    shown = []
    for row in rows:
        entry = row.notification
        kind, about = mastodon_type(entry.kind), status_key(entry)
        status = statuses.get(about) if about else None
        if kind is None or row.actor_id not in accounts or (about and status is None):
            continue
        shown.append(
            notification_entity(
                actor_row_id=row.pk,
                kind=kind,
                key=group_key(kind, notification_id=entry.pk, actor_row_id=row.pk),
                created_at=row.created_at,
                account=accounts[row.actor_id],
                status=status,
            )
        )
    return shown


def notification_json(viewer: User, row: NotificationActor) -> dict[str, Any]:
    """Return one actor row as a Notification, or raise NotFound if it shows nothing."""
    shown = notifications_json(viewer, [row])
    if not shown:
        raise NotFound(notifications.MISSING_NOTIFICATION)
    return shown[0]


def latest_notification_json(viewer: User, notification_id: int) -> dict[str, Any] | None:
    """Return the newest account's part in one of the viewer's notifications (what a stream
    sends when an account is added to it), or None when the viewer may not see it."""
    rows = notifications.notification_actors_of(
        viewer=viewer, notification_id=notification_id, limit=1
    )
    shown = notifications_json(viewer, rows) if rows else []
    return shown[0] if shown else None


def groups_of(
    rows: Sequence[NotificationActor], *, limit: int, oldest_first: bool = False
) -> tuple[list[Group], list[NotificationActor]]:
    """Return the first ``limit`` groups the rows make, newest first, and the rows they
    took (the next page starts past the last of them).

    Rows are read from the newest, or from the oldest when the page is read upwards
    (``min_id``), so that no row between two pages is skipped.
    """
    groups: dict[str, Group] = {}
    taken: list[NotificationActor] = []
    for row in reversed(rows) if oldest_first else rows:
        kind = mastodon_type(row.notification.kind)
        if kind is None:
            continue
        key = group_key(kind, notification_id=row.notification_id, actor_row_id=row.pk)
        if key not in groups:
            if len(groups) == limit:
                break
            groups[key] = Group(key=key, kind=kind)
        groups[key].rows.append(row)
        taken.append(row)
    found = list(groups.values())
    if oldest_first:
        for group in found:
            group.rows.reverse()
        found.reverse()
        taken.reverse()
    return found, taken


def grouped_json(viewer: User, groups: Sequence[Group]) -> dict[str, Any]:
    """Return groups as Mastodon's GroupedNotificationsResults: the groups, and once each
    the accounts and statuses they name."""
    rows = [row for group in groups for row in group.rows]
    entries = {row.notification_id: row.notification for row in rows}
    counts = notifications.visible_actor_counts(
        viewer=viewer, notification_ids=[g.rows[0].notification_id for g in groups if g.is_grouped]
    )
    accounts = accounts_json(viewer, {row.actor_id for row in rows})
    statuses = statuses_by_key(viewer, list(entries.values()))
    shown_groups, shown_accounts, shown_statuses = [], {}, {}
    for group in groups:
        entry = group.rows[0].notification
        about = status_key(entry)
        status = statuses.get(about) if about else None
        sampled = list(dict.fromkeys(r.actor_id for r in group.rows if r.actor_id in accounts))
        if not sampled or (about and status is None):
            continue
        shown_groups.append(
            notification_group_entity(
                key=group.key,
                kind=group.kind,
                count=counts.get(entry.pk, len(group.rows)),
                row_ids=[row.pk for row in group.rows],
                latest_at=group.rows[0].created_at,
                account_ids=sampled[:SAMPLED_ACCOUNTS],
                status_id=status["id"] if status else None,
            )
        )
        for pk in sampled[:SAMPLED_ACCOUNTS]:
            shown_accounts[pk] = accounts[pk]
        if status is not None:
            shown_statuses[status["id"]] = status
    return {
        "accounts": list(shown_accounts.values()),
        "statuses": list(shown_statuses.values()),
        "notification_groups": shown_groups,
    }


def statuses_by_key(viewer: User, entries: Sequence[Notification]) -> dict[StatusKey, Any]:
    """Return the statuses notifications are about that the viewer may see, by key: posts
    in one read, comments in one read per post."""
    keys = {key for entry in entries if (key := status_key(entry)) is not None}
    post_ids = {pk for kind, pk in keys if kind == "post"}
    comments = {entry.comment_id: entry.comment for entry in entries if entry.comment}
    post_ids |= {comment.post_id for comment in comments.values()}
    views = {view.id: view for view in posts_shown(viewer=viewer, post_ids=post_ids)}
    found: dict[StatusKey, Any] = {}
    for status in statuses_json(viewer, [views[pk] for pk in post_ids if pk in views]):
        found[("post", int(status["id"]))] = status
    by_post: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments.values():
        if comment.post_id in views:
            by_post[comment.post_id].append(comment)
    for post_id, group in by_post.items():
        hydrated = post_selectors.comments_hydrate(
            viewer=viewer, post=group[0].post, comments=group
        )
        answered = [c.parent for c in hydrated if c.parent is not None]
        for status in comments_json(viewer, views[post_id], hydrated, around=answered):
            found[("comment", int(status["id"]))] = status
    return found
