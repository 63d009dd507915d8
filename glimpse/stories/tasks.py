"""Background jobs of stories: thin wrappers that call the services."""

from __future__ import annotations

from celery import shared_task

from glimpse.stories import services


@shared_task(name="stories.expire")
def stories_expire() -> int:
    """Move the stories past their 24 hours to the archive."""
    return services.stories_expire()


@shared_task(name="stories.announce")
def story_announce_job(story_id: int) -> int:
    """Tell the followers with a socket open that the author's tray entry has a new story."""
    return services.story_announce(story_id=story_id)
