"""Background jobs of posts: thin wrappers that call the work."""

from __future__ import annotations

from celery import shared_task

from glimpse.posts import services


@shared_task(name="posts.publish_scheduled")
def posts_publish_scheduled() -> int:
    """Publish the scheduled posts whose time has come (periodic)."""
    return services.drafts_publish_due()
