"""Feed jobs: they take ids and can run twice."""

from __future__ import annotations

from celery import shared_task

from glimpse.accounts.models import User
from glimpse.feeds import explore_lists, services


@shared_task(name="feeds.fan_out")
def feed_fan_out(author_id: int, entry_id: int, kind: str, add: bool) -> int:
    """Add an entry to (or remove it from) its author's followers' feeds."""
    return services.entry_fan_out(author_id=author_id, entry_id=entry_id, kind=kind, add=add)


@shared_task(name="feeds.rebuild")
def feed_rebuild(user_id: int) -> int:
    """Rebuild one account's feed from the database."""
    return services.feed_rebuild(user_id=user_id)


@shared_task(name="feeds.explore_refresh")
def explore_refresh() -> int:
    """Recompute the network's Explore lists (periodic); return how many ids they hold."""
    lists = explore_lists.network_lists_refresh()
    return len(lists.trending) + len(lists.liked)


@shared_task(name="feeds.explore_prepare")
def explore_prepare(user_id: int) -> int:
    """Prepare one account's Explore picks again; return how many there are."""
    viewer = User.objects.filter(pk=user_id, is_active=True).first()
    if viewer is None:
        return 0
    return len(explore_lists.viewer_picks_prepare(viewer=viewer).ids)
