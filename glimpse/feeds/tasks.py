"""Feed jobs: they take ids and can run twice."""

from __future__ import annotations

from celery import shared_task

from glimpse.feeds import services


@shared_task(name="feeds.fan_out")
def feed_fan_out(author_id: int, entry_id: int, kind: str, add: bool) -> int:
    """Add an entry to (or remove it from) its author's followers' feeds."""
    return services.entry_fan_out(author_id=author_id, entry_id=entry_id, kind=kind, add=add)


@shared_task(name="feeds.rebuild")
def feed_rebuild(user_id: int) -> int:
    """Rebuild one account's feed from the database."""
    return services.feed_rebuild(user_id=user_id)
