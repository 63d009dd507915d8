"""Background jobs of the media pipeline: thin wrappers that take ids and call the work."""

from __future__ import annotations

from celery import shared_task

from glimpse.media import processing, services


@shared_task(name="media.process", acks_late=True)
def media_process(media_id: int, version: int) -> None:
    """Render one version of a media item (idempotent)."""
    processing.media_render(media_id, version)


@shared_task(name="media.requeue_stuck")
def media_requeue_stuck() -> int:
    """Queue again the items stuck in processing."""
    return services.media_requeue_stuck()


@shared_task(name="media.delete_unattached")
def media_delete_unattached() -> int:
    """Delete the items never attached to anything after a day."""
    return services.media_delete_unattached()
