"""Notification jobs: they take ids, and running one twice changes nothing the second time."""

from __future__ import annotations

from celery import shared_task

from glimpse.notifications import services
from glimpse.notifications.activity import Activity


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
    """Bring the notifications of one action in line with what exists now.

    Its arguments are the fields of an ``Activity``, one by one: what a queued job carries
    must stay the same from one release to the next.
    """
    activity = Activity(
        kind=kind,
        actor_id=actor_id,
        recipient_id=recipient_id,
        post_id=post_id,
        comment_id=comment_id,
        story_id=story_id,
        text=text,
    )
    return services.notification_sync(activity=activity, undo=undo)
