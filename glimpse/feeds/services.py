"""Keep home feeds up to date: fan-out on write, removal, and rebuilds.

The ``*_on_commit`` functions are what the subscribers to posts' and the graph's events
(``glimpse.feeds.subscribers``) and the apps above this one call: they queue the work once
the transaction commits (at once outside one). Jobs take ids and are idempotent (adding or
removing an entry twice leaves the same set), so running one twice or killing it halfway
loses nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core import metrics
from glimpse.core.jobs import enqueue_on_commit
from glimpse.feeds.entries import Entry
from glimpse.feeds.stores import DatabaseStore, RedisStore, feed_store
from glimpse.graph.audience import follower_id_batches, muter_ids
from glimpse.realtime.sockets import publish_to_present


def entry_fan_out(*, author_id: int, entry_id: int, kind: str, add: bool) -> int:
    """Add an entry to (or remove it from) the feeds of its author and followers.

    Return how many feeds were written. The author's outbox always gets it; an account with
    more followers than GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS only writes its own feed besides:
    its followers merge its outbox in at read. A new entry is also announced to the
    followers that have a socket open (``feed.new_posts``), on every store.
    """
    store = feed_store()
    writes = isinstance(store, RedisStore)
    entry = Entry(entry_id, "r" if kind == "r" else "p")
    write = store.add if add else store.remove
    written = 0
    if isinstance(store, RedisStore):
        store.outbox_write(author_id, entry, add=add)
        write([author_id], entry)
        written = 1
    author = User.objects.filter(pk=author_id).only("follower_count").first()
    if author is None:
        return written
    if add and author.follower_count > settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS:
        writes = False
    if not (writes or add):
        return written
    muters = muter_ids(author_id)
    for batch in follower_id_batches(author_id, settings.GLIMPSE_FEED_FANOUT_BATCH):
        if writes:
            write(batch, entry)
            written += len(batch)
        if add:
            listeners = [pk for pk in batch if pk not in muters]
            publish_to_present(listeners, "feed.new_posts", {"entry_id": str(entry_id)})
    metrics.fanout_observed(entry_id=entry_id, added=add)
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
    if not add and isinstance(feed_store(), DatabaseStore):
        return  # no feed to write, nobody to tell
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
