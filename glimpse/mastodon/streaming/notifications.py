"""A Glimpse notification as Mastodon's Notification entity, for the streams.

A small mapping of its own until the client API's notifications endpoints bring the full
one (then this module should give way to it): the type Mastodon would name
(``notification_types``), the latest actor the viewer may see as ``account``, and the
status it is about, when it is about one: the comment for a comment, a reply or a mention
in a comment, the post otherwise.
"""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.mastodon.content import timestamp
from glimpse.mastodon.notification_types import mastodon_type
from glimpse.mastodon.shown import accounts_json, comments_json, statuses_json
from glimpse.notifications import selectors as notifications
from glimpse.notifications.models import Notification
from glimpse.posts import selectors as post_selectors
from glimpse.posts.shown import posts_shown


def notification_entity(*, viewer: User, notification_id: int) -> dict[str, Any] | None:
    """Return one of the viewer's notifications as Mastodon's Notification entity, or None
    when the viewer may not see it or Mastodon has no type for it."""
    entry = (
        notifications.notifications_visible(viewer=viewer)
        .select_related("comment")
        .filter(pk=notification_id)
        .first()
    )
    if entry is None or (kind := mastodon_type(entry.kind)) is None:
        return None
    notifications.notifications_hydrate(viewer=viewer, entries=[entry])
    if not entry.shown_actors:
        return None  # Mastodon's notifications always name an account
    actor_id = entry.shown_actors[0].pk
    account = accounts_json(viewer, [actor_id]).get(actor_id)
    if account is None:
        return None
    status = _status(viewer, entry)
    if entry.post_id is not None and status is None:
        return None
    return {
        "id": str(entry.pk),
        "type": kind,
        "group_key": f"ungrouped-{entry.pk}",
        "created_at": timestamp(entry.updated_at),
        "account": account,
        "status": status,
    }


def _status(viewer: User, entry: Notification) -> dict[str, Any] | None:
    """Return the status a notification is about, as the viewer sees it, if any."""
    if entry.post_id is None:
        return None
    shown = posts_shown(viewer=viewer, post_ids=[entry.post_id])
    if not shown:
        return None
    comment = entry.comment
    if comment is None:
        found = statuses_json(viewer, shown)
        return found[0] if found else None
    try:
        answered = (
            [post_selectors.comment_get(viewer=viewer, comment_id=comment.parent_id)]
            if comment.parent_id is not None
            else []
        )
    except NotFound:
        answered = []
    found = comments_json(viewer, shown[0], [comment], around=answered)
    return found[0] if found else None
