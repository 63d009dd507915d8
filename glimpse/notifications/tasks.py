"""Notification jobs: they take ids, and running one twice changes nothing the second time."""

from __future__ import annotations

from celery import shared_task

from glimpse.notifications import services


@shared_task(name="notifications.sync")
def notification_sync_job(
    kind: str,
    actor_id: int,
    recipient_id: int | None,
    post_id: int | None,
    comment_id: int | None,
    story_id: int | None,
    text: str,
    undo: bool,
) -> int:
    """Bring the notifications of one action in line with what exists now."""
    return services.notification_sync(
        kind=kind,
        actor_id=actor_id,
        recipient_id=recipient_id,
        post_id=post_id,
        comment_id=comment_id,
        story_id=story_id,
        text=text,
        undo=undo,
    )
