"""Two feed stores behind one interface: Redis (fan-out on write) and the database.

The Redis store keeps a sorted set of entry ids per account, capped at GLIMPSE_FEED_MAX.
Every member has the score 0 and is the zero-padded entry id followed by its kind, so the
set is ordered by id exactly (a float score would lose the low bits of a 64-bit id). A
sentinel member marks a feed as built: a feed without it (new account, Redis flushed) is
rebuilt from the database on read. Accounts with more followers than
GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS are not fanned out: their entries are merged in at read.

The database store answers the same question with a query; the embedded default uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Protocol

import redis
from django.conf import settings

from glimpse.accounts.models import User
from glimpse.feeds.entries import Entry, entries_query, followed_ids
from glimpse.graph.visibility import muted_ids

SENTINEL = "0" * 20


class FeedStore(Protocol):
    """Where home feeds come from."""

    def entries(
        self, viewer: User, *, max_id: int | None, count: int, muted: set[int] | None = None
    ) -> list[Entry]:
        """Return up to ``count`` newest candidate entries below ``max_id``.

        ``muted`` is the viewer's muted accounts when the caller already has them.
        """

    def add(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Put an entry into these accounts' feeds (twice changes nothing)."""

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Take an entry out of these accounts' feeds."""

    def forget(self, owner_ids: Iterable[int]) -> None:
        """Drop these accounts' feeds: the next read rebuilds them."""


class DatabaseStore:
    """Compute every feed with a query: nothing to keep up to date."""

    def entries(
        self, viewer: User, *, max_id: int | None, count: int, muted: set[int] | None = None
    ) -> list[Entry]:
        """Return the newest entries below ``max_id``, straight from the database."""
        return entries_query(viewer, max_id=max_id, count=count, muted=muted)

    def add(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Nothing to do: the query sees the entry."""

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Nothing to do: the query no longer sees the entry."""

    def forget(self, owner_ids: Iterable[int]) -> None:
        """Nothing to do."""


def member(entry: Entry) -> str:
    """Return the sorted-set member of an entry."""
    return f"{entry.id:020d}{entry.kind}"


def parse(raw: bytes | str) -> Entry | None:
    """Return the entry of a sorted-set member (None for the sentinel)."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    if text == SENTINEL:
        return None
    kind = text[20:]
    return Entry(int(text[:20]), "r" if kind == "r" else "p")


class RedisStore:
    """Feeds as Redis sorted sets, filled by fan-out on write and rebuilt when missing."""

    def __init__(self, url: str, prefix: str = "glimpse:feed:") -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def key(self, owner_id: int) -> str:
        """Return the key of an account's feed."""
        return f"{self.prefix}{owner_id}"

    def entries(
        self, viewer: User, *, max_id: int | None, count: int, muted: set[int] | None = None
    ) -> list[Entry]:
        """Return the newest entries below ``max_id``, with the celebrities merged in."""
        key = self.key(viewer.pk)
        if muted is None:
            muted = muted_ids(viewer)
        if self.client.zscore(key, SENTINEL) is None:
            self.rebuild(viewer, muted=muted)
        top = f"({max_id:020d}" if max_id is not None else "+"
        raw = self.client.zrevrangebylex(key, top, "-", start=0, num=count + 1)
        found = [e for e in (parse(r) for r in raw) if e is not None]
        celebrities = list(
            followed_ids(viewer)
            .filter(followee__follower_count__gt=settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS)
            .values_list("followee_id", flat=True)
        )
        if celebrities:
            found += entries_query(
                viewer, max_id=max_id, count=count, authors=celebrities, muted=muted
            )
        return sorted(set(found), reverse=True)[:count]

    def rebuild(self, viewer: User, *, muted: set[int] | None = None) -> int:
        """Fill the viewer's feed from the database; return how many entries it holds."""
        found = entries_query(viewer, max_id=None, count=settings.GLIMPSE_FEED_MAX, muted=muted)
        key = self.key(viewer.pk)
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(key)
        pipe.zadd(key, {SENTINEL: 0, **{member(e): 0 for e in found}})
        pipe.execute()
        return len(found)

    def add(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Add the entry to each feed and trim it to the newest GLIMPSE_FEED_MAX entries."""
        value = member(entry)
        keep = settings.GLIMPSE_FEED_MAX
        pipe = self.client.pipeline(transaction=False)
        for owner_id in owner_ids:
            key = self.key(owner_id)
            pipe.zadd(key, {value: 0})
            # Rank 0 is the sentinel when the feed is built; it is kept.
            pipe.zremrangebyrank(key, 1, -(keep + 1))
        pipe.execute()

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Remove the entry from each feed."""
        value = member(entry)
        pipe = self.client.pipeline(transaction=False)
        for owner_id in owner_ids:
            pipe.zrem(self.key(owner_id), value)
        pipe.execute()

    def forget(self, owner_ids: Iterable[int]) -> None:
        """Delete these feeds; each is rebuilt from the database on its next read."""
        keys = [self.key(owner_id) for owner_id in owner_ids]
        if keys:
            self.client.delete(*keys)

    def size(self, owner_id: int) -> int:
        """Return how many entries a feed holds (the sentinel left out)."""
        key = self.key(owner_id)
        total = int(self.client.zcard(key))
        return total - 1 if self.client.zscore(key, SENTINEL) is not None else total


@cache
def _redis_store(url: str, prefix: str) -> RedisStore:
    return RedisStore(url, prefix)


def feed_store() -> FeedStore:
    """Return the store the settings name: Redis when GLIMPSE_FEED_REDIS_URL is set."""
    url = settings.GLIMPSE_FEED_REDIS_URL
    if url:
        return _redis_store(url, settings.GLIMPSE_FEED_KEY_PREFIX)
    return DatabaseStore()
