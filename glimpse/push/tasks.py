"""Push jobs: they take ids; running one twice shows the same notification again, in place."""

from __future__ import annotations

from celery import shared_task

from glimpse.push import delivery


@shared_task(name="push.send")
def push_send_job(recipient_id: int, notification_id: int) -> int:
    """Push one notification to its recipient's devices (the tag replaces an earlier push)."""
    return delivery.notification_push(recipient_id=recipient_id, notification_id=notification_id)
