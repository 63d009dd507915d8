"""Reactions of the client API to the events of lower apps: thin calls that queue a job."""

from __future__ import annotations

from glimpse.core.events import NotificationAdded
from glimpse.core.jobs import enqueue
from glimpse.mastodon.tasks import client_push_send_job


def notification_added(event: NotificationAdded) -> None:
    """Queue pushing a new or bumped notification to its recipient's client apps."""
    enqueue(client_push_send_job, event.recipient_id, event.notification_id)
