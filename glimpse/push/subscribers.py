"""Reactions of push to the events of lower apps: thin calls that queue a job."""

from __future__ import annotations

from glimpse.core.events import NotificationAdded
from glimpse.core.jobs import enqueue
from glimpse.push.tasks import push_send_job


def notification_added(event: NotificationAdded) -> None:
    """Queue pushing a new or bumped notification to its recipient's devices."""
    enqueue(push_send_job, event.recipient_id, event.notification_id)
