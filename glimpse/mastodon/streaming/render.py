"""What one connection sends of an event: rendered for its own viewer, or nothing.

Each function reads through the visibility policy, so that a post of an account the viewer
blocked, is blocked by, or may not see (private, not followed) is skipped, as is a post of
an account the viewer muted. Payloads are JSON text, as Mastodon sends them.
"""

from __future__ import annotations

import orjson

from glimpse.accounts.models import User
from glimpse.graph.visibility import content_visible, relation_to
from glimpse.mastodon.notifications import latest_notification_json
from glimpse.mastodon.shown import statuses_of_ids


def status_payload(*, viewer: User, post_id: int, author_id: int) -> str | None:
    """Return a post as the viewer's Status (JSON text), or None when it is not shown to it."""
    if author_id != viewer.pk and relation_to(viewer, author_id)["muting"]:
        return None
    found = statuses_of_ids(viewer, [post_id])
    return orjson.dumps(found[0]).decode() if found else None


def delete_payload(*, viewer: User, post_id: int, author_id: int) -> str | None:
    """Return a deleted post's id when the viewer could see its author's posts, else None."""
    author = User.objects.filter(pk=author_id).first()
    if author is None or not content_visible(viewer, author):
        return None
    return str(post_id)


def notification_payload(*, viewer: User, notification_id: int) -> str | None:
    """Return a notification as Mastodon's Notification (JSON text), or None if not shown."""
    entity = latest_notification_json(viewer, notification_id)
    return orjson.dumps(entity).decode() if entity is not None else None
