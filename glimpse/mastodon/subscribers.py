"""Reactions of the client API to the events of lower apps: thin calls that queue a job or
tell the streams (``glimpse.mastodon.streaming``)."""

from __future__ import annotations

from glimpse.core.events import (
    NotificationAdded,
    PostArchived,
    PostDeleted,
    PostEdited,
    PostPublished,
)
from glimpse.core.jobs import enqueue
from glimpse.mastodon.streaming.publish import notification_streamed, post_reach_before_delete
from glimpse.mastodon.streaming.streams import DELETE, EDIT, UPDATE
from glimpse.mastodon.tasks import client_push_send_job, stream_post_job


def notification_added(event: NotificationAdded) -> None:
    """Queue pushing a new or bumped notification to its recipient's client apps."""
    enqueue(client_push_send_job, event.recipient_id, event.notification_id)


def notification_streamed_to_user(event: NotificationAdded) -> None:
    """Send a new or bumped notification to its recipient's open streams."""
    notification_streamed(recipient_id=event.recipient_id, notification_id=event.notification_id)


def post_published(event: PostPublished) -> None:
    """Queue sending a new post to the streams it reaches (an imported old one is no news)."""
    if event.imported:
        return
    enqueue(stream_post_job, event.post_id, event.author_id, UPDATE)


def post_edited(event: PostEdited) -> None:
    """Queue sending an edited post to the streams it reaches."""
    enqueue(stream_post_job, event.post_id, event.author_id, EDIT)


def post_archived(event: PostArchived) -> None:
    """Queue telling the streams a post is gone (Mastodon has no archive: a delete)."""
    enqueue(stream_post_job, event.post_id, event.author_id, DELETE)


def post_deleted_snapshot(event: PostDeleted) -> tuple[list[str], bool]:
    """Return a post's hashtags, and whether its author is public, before the rows go."""
    return post_reach_before_delete(post_id=event.post_id)


def post_deleted(event: PostDeleted, snapshot: tuple[list[str], bool]) -> None:
    """Queue telling the streams that showed a post that it was deleted."""
    tags, public = snapshot
    enqueue(stream_post_job, event.post_id, event.author_id, DELETE, tags, public)
