"""Every read of notifications, scoped to their recipient and to the visibility policy.

What an entry shows is checked when it is read: actors the recipient may no longer see
(a block either way, a closed account) are left out, and an entry with no visible actor,
about a post the recipient may no longer see, or about a comment hidden by moderation, is
hidden.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

import orjson
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.pagination import Page, clamp_limit, paginate
from glimpse.graph.visibility import accounts_visible_to, relations
from glimpse.notifications.models import (
    CHOOSABLE_KINDS,
    NOTICE_KINDS,
    Kind,
    Level,
    Notification,
    NotificationActor,
    NotificationPreferences,
)
from glimpse.notifications.presenters import notification_json, notification_view
from glimpse.posts.models import PostItem
from glimpse.posts.visibility import comments_unhidden, posts_visible_to

SHOWN_ACTORS = 3
MISSING_NOTIFICATION = "No notification with this id."


def notifications_visible(*, viewer: User) -> QuerySet[Notification]:
    """Return the viewer's notifications whose post and at least one actor it may see
    (a moderators' notice has no actor), and whose comment is not hidden by moderation.

    A hidden comment is left out for every recipient, its own author included (the likes
    of it): its text shows in nobody's activity until a moderator restores it.
    """
    actors = NotificationActor.objects.filter(
        accounts_visible_to(viewer, account="actor"), notification=OuterRef("pk")
    )
    return Notification.objects.filter(
        Q(post__isnull=True) | posts_visible_to(viewer, post="post"),
        Q(comment__isnull=True) | comments_unhidden(comment="comment"),
        Exists(actors) | Q(kind__in=NOTICE_KINDS),
        recipient=viewer,
    )


def unread_count(*, viewer: User) -> int:
    """Return how many of the viewer's visible notifications are unread (one query)."""
    return notifications_visible(viewer=viewer).filter(is_read=False).count()


def notifications_page(
    *, viewer: User, max_id: int | None = None, limit: int | None = None
) -> Page[Notification]:
    """Return a page of the viewer's notifications, latest activity first, hydrated.

    The cursor is an entry's ``sort_id`` (renewed each time the entry is bumped), so that a
    bumped entry moves to the top; the query count is the same whatever the page size.
    """
    size = clamp_limit(limit)
    entries = notifications_visible(viewer=viewer).select_related("post", "comment")
    if max_id is not None:
        entries = entries.filter(sort_id__lt=max_id)
    rows = list(entries.order_by("-sort_id")[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    notifications_hydrate(viewer=viewer, entries=rows)
    return Page(items=rows, next_max_id=rows[-1].sort_id if has_more else None)


def notification_actors_page(
    *,
    viewer: User,
    kinds: Collection[str],
    actor_id: int | None = None,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
) -> Page[NotificationActor]:
    """Return a page of the viewer's notifications one actor at a time, newest first: each
    row is one account doing one thing (its notification, post and comment joined).

    This is how apps that show one line per event read activity (Mastodon's clients); the
    cursor is the row's id. Only the given kinds are read, and only what the viewer may see.
    """
    rows = _actors_visible(viewer, kinds)
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    return paginate(rows, max_id=max_id, since_id=since_id, min_id=min_id, limit=limit)


def notification_actor_get(
    *, viewer: User, kinds: Collection[str], actor_row_id: int
) -> NotificationActor:
    """Return one actor row of the viewer's visible notifications, or raise NotFound."""
    row = _actors_visible(viewer, kinds).filter(pk=actor_row_id).first()
    if row is None:
        raise NotFound(MISSING_NOTIFICATION)
    return row


def notification_actors_of(
    *, viewer: User, notification_id: int, limit: int | None = None
) -> list[NotificationActor]:
    """Return the visible actor rows of one of the viewer's notifications, newest first."""
    rows = _actors_visible(viewer, Kind.values).filter(notification_id=notification_id)
    return list(rows.order_by("-pk")[: clamp_limit(limit)])


def notification_actors_unread(*, viewer: User, kinds: Collection[str], limit: int) -> int:
    """Return how many actor rows of the viewer's unread notifications there are, at most
    ``limit`` (one query)."""
    rows = _actors_visible(viewer, kinds).filter(notification__is_read=False)
    return rows[:limit].count()


def _actors_visible(viewer: User, kinds: Collection[str]) -> QuerySet[NotificationActor]:
    """Return the actor rows the viewer may see, of its visible notifications of these kinds."""
    return NotificationActor.objects.filter(
        accounts_visible_to(viewer, account="actor"),
        notification__in=notifications_visible(viewer=viewer).filter(kind__in=list(kinds)),
    ).select_related(
        "actor",
        "notification__post",
        "notification__comment__post",
        "notification__comment__parent",
    )


def notifications_hydrate(*, viewer: User, entries: list[Notification]) -> None:
    """Attach the visible actors (latest first), their count and post thumbnails (3 queries)."""
    ids = [entry.pk for entry in entries]
    if not ids:
        return
    visible = NotificationActor.objects.filter(
        accounts_visible_to(viewer, account="actor"), notification_id__in=ids
    )
    latest = (
        visible.select_related("actor")
        .annotate(
            rank=Window(RowNumber(), partition_by=F("notification_id"), order_by=F("id").desc())
        )
        .filter(rank__lte=SHOWN_ACTORS)
        .order_by("notification_id", "rank")
    )
    shown: dict[int, list[User]] = defaultdict(list)
    for row in latest:
        shown[row.notification_id].append(row.actor)
    counts = visible_actor_counts(viewer=viewer, notification_ids=ids)
    post_ids = {entry.post_id for entry in entries if entry.post_id}
    firsts = PostItem.objects.filter(post_id__in=post_ids, position=0).select_related("media")
    covers = {item.post_id: item.media for item in firsts} if post_ids else {}
    for entry in entries:
        entry.shown_actors = shown.get(entry.pk, [])
        entry.visible_actor_count = counts.get(entry.pk, 0)
        entry.cover = covers.get(entry.post_id) if entry.post_id else None


def visible_actor_counts(*, viewer: User, notification_ids: Sequence[int]) -> dict[int, int]:
    """Return how many accounts the viewer may see each of these notifications has, by id
    (one query; a notification with none is absent)."""
    if not notification_ids:
        return {}
    visible = NotificationActor.objects.filter(
        accounts_visible_to(viewer, account="actor"), notification_id__in=notification_ids
    )
    return dict(
        visible.values("notification_id")
        .annotate(n=Count("id"))
        .values_list("notification_id", "n")
    )


def follower_relations(
    *, viewer: User, entries: Sequence[Notification]
) -> dict[int, dict[str, bool]]:
    """Return, by entry id, the viewer's relation to the one new follower of each hydrated
    "started following you" entry, for its "Follow back" button (one query, none if none)."""
    followers = {
        entry.pk: entry.shown_actors[0]
        for entry in entries
        if entry.kind == Kind.FOLLOW and entry.visible_actor_count == 1 and entry.shown_actors
    }
    if not followers:
        return {}
    found = relations(viewer, followers.values())
    return {entry_id: found[actor.pk] for entry_id, actor in followers.items()}


def notification_event(*, viewer: User, notification_id: int) -> dict[str, Any] | None:
    """Return one visible notification as its JSON event body (plain JSON types), or None."""
    entry = (
        notifications_visible(viewer=viewer)
        .select_related("post", "comment")
        .filter(pk=notification_id)
        .first()
    )
    if entry is None:
        return None
    notifications_hydrate(viewer=viewer, entries=[entry])
    data: dict[str, Any] = orjson.loads(
        orjson.dumps(notification_json(notification_view(entry)), option=orjson.OPT_UTC_Z)
    )
    return data


def recipients_of_comment(*, comment_id: int) -> list[int]:
    """Return who has notifications about a comment or its replies (deleted with it)."""
    about = Notification.objects.filter(Q(comment_id=comment_id) | Q(comment__parent_id=comment_id))
    return sorted(set(about.values_list("recipient_id", flat=True)))


def recipients_of_post(*, post_id: int) -> list[int]:
    """Return who has notifications about a post (its likes, comments, mentions, tags)."""
    about = Notification.objects.filter(post_id=post_id)
    return sorted(set(about.values_list("recipient_id", flat=True)))


def recipients_of_account(*, account_id: int) -> list[int]:
    """Return who has notifications with an account among their actors or about its posts,
    and the account itself (one query)."""
    acted = NotificationActor.objects.filter(actor_id=account_id).values("notification_id")
    about = Notification.objects.filter(Q(pk__in=acted) | Q(post__author_id=account_id))
    return sorted({account_id, *about.values_list("recipient_id", flat=True)})


def preferences_get(*, user: User) -> dict[str, str]:
    """Return the user's level of every kind that can be chosen (``everyone`` unless changed)."""
    stored = (
        NotificationPreferences.objects.filter(user=user).values_list("levels", flat=True).first()
    ) or {}
    return {kind.value: stored.get(kind.value, Level.EVERYONE.value) for kind in CHOOSABLE_KINDS}
