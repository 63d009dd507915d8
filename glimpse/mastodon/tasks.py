"""Client API jobs: they take ids; running one twice pushes the same notification (or sends
the same streaming event) again."""

from __future__ import annotations

from celery import shared_task

from glimpse.mastodon.push import delivery
from glimpse.mastodon.streaming import publish as streaming


@shared_task(name="mastodon.push_send")
def client_push_send_job(recipient_id: int, notification_id: int) -> int:
    """Push one notification to its recipient's client apps."""
    return delivery.client_notification_push(
        recipient_id=recipient_id, notification_id=notification_id
    )


@shared_task(name="mastodon.stream_post")
def stream_post_job(
    post_id: int,
    author_id: int,
    event: str,
    tags: list[str] | None = None,
    public: bool | None = None,
) -> int:
    """Send a post's streaming event (new, edited, deleted) to the streams it reaches."""
    return streaming.post_streamed(
        post_id=post_id, author_id=author_id, event=event, tags=tags, public=public
    )
