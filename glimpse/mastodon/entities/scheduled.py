"""A scheduled post as Mastodon's ScheduledStatus: its time, the status's params, its media."""

from __future__ import annotations

from typing import Any

from glimpse.mastodon.entities.media import upload_attachment
from glimpse.posts.models import Draft


def scheduled_status_entity(draft: Draft) -> dict[str, Any]:
    """Return a scheduled post (with its items and media fetched) as a ScheduledStatus."""
    items = list(draft.items.all())
    return {
        "id": str(draft.pk),
        "scheduled_at": draft.publish_at,
        "params": {
            "text": draft.caption,
            "media_ids": [str(item.media_id) for item in items],
            "visibility": "private" if draft.author.is_private else "public",
            "sensitive": None,
            "spoiler_text": None,
            "poll": None,
            "in_reply_to_id": None,
            "language": None,
            "scheduled_at": None,
            "idempotency": None,
            "with_rate_limit": False,
            "application_id": None,
        },
        "media_attachments": [upload_attachment(item.media) for item in items],
    }
