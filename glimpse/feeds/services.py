"""Keep home feeds up to date: fan-out on write, removal, and rebuilds.

The ``*_on_commit`` functions are what other apps' services call: they queue the work once
the transaction commits. Jobs take ids and are idempotent (adding or removing an entry twice
leaves the same set), so running one twice or killing it halfway loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.jobs import enqueue_on_commit
from glimpse.feeds.entries import Entry
from glimpse.feeds.stores import DatabaseStore, RedisStore, feed_store
from glimpse.graph.models import Follow


def follower_batches(author_id: int) -> Iterator[list[int]]:
    """Yield the ids of an account's followers in batches of GLIMPSE_FEED_FANOUT_BATCH."""
    size = settings.GLIMPSE_FEED_FANOUT_BATCH
    last = 0
    while True:
        batch = list(
            Follow.objects.filter(followee_id=author_id, follower_id__gt=last)
            .order_by("follower_id")
            .values_list("follower_id", flat=True)[:size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1]


def entry_fan_out(*, author_id: int, entry_id: int, kind: str, add: bool) -> int:
    """Add an entry to (or remove it from) the feeds of its author and followers.

    Return how many feeds were written. An account with more followers than
    GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS only writes its own feed: it is merged in at read.
    """
    store = feed_store()
    if isinstance(store, DatabaseStore):
        return 0
    entry = Entry(entry_id, "r" if kind == "r" else "p")
    write = store.add if add else store.remove
    write([author_id], entry)
    written = 1
    author = User.objects.filter(pk=author_id).only("follower_count").first()
    if author is None:
        return written
    if add and author.follower_count > settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS:
        return written
    for batch in follower_batches(author_id):
        write(batch, entry)
        written += len(batch)
    return written


def feed_rebuild(*, user_id: int) -> int:
    """Rebuild an account's feed from the database; return how many entries it holds."""
    store = feed_store()
    user = User.objects.filter(pk=user_id).first()
    if not isinstance(store, RedisStore) or user is None:
        return 0
    return store.rebuild(user)


def feeds_forget(*, user_ids: list[int]) -> None:
    """Drop these accounts' feeds: the next read rebuilds each from the database."""
    feed_store().forget(user_ids)


def _queue_fan_out(author_id: int, entry_id: int, kind: str, *, add: bool) -> None:
    if isinstance(feed_store(), DatabaseStore):
        return
    from glimpse.feeds.tasks import feed_fan_out  # the task module imports this one

    enqueue_on_commit(feed_fan_out, author_id, entry_id, kind, add)


def post_added_on_commit(post_id: int, author_id: int) -> None:
    """Fan a new (or unarchived) post out to its author's followers after commit."""
    _queue_fan_out(author_id, post_id, "p", add=True)


def post_removed_on_commit(post_id: int, author_id: int) -> None:
    """Take a deleted or archived post out of the feeds after commit."""
    _queue_fan_out(author_id, post_id, "p", add=False)


def repost_added_on_commit(repost_id: int, user_id: int) -> None:
    """Fan a repost out to the reposter's followers after commit."""
    _queue_fan_out(user_id, repost_id, "r", add=True)


def repost_removed_on_commit(repost_id: int, user_id: int) -> None:
    """Take a repost out of the feeds after commit."""
    _queue_fan_out(user_id, repost_id, "r", add=False)


def graph_changed_on_commit(*user_ids: int) -> None:
    """After a follow, unfollow, block or mute commits, drop the feeds it changes."""
    if isinstance(feed_store(), DatabaseStore):
        return
    ids = sorted(set(user_ids))
    transaction.on_commit(lambda: feeds_forget(user_ids=ids))
