"""Client API jobs: they take ids; running one twice pushes the same notification again."""

from __future__ import annotations

from celery import shared_task

from glimpse.mastodon.push import delivery


@shared_task(name="mastodon.push_send")
def client_push_send_job(recipient_id: int, notification_id: int) -> int:
    """Push one notification to its recipient's client apps."""
    return delivery.client_notification_push(
        recipient_id=recipient_id, notification_id=notification_id
    )
