"""Two feed stores behind one interface: Redis (fan-out on write) and the database.

The Redis store keeps a sorted set of entry ids per account, capped at GLIMPSE_FEED_MAX.
Every member has the score 0 and is the zero-padded entry id followed by its kind, so the
set is ordered by id exactly (a float score would lose the low bits of a 64-bit id). A
sentinel member marks a feed as built: a feed without it (new account, Redis flushed) is
rebuilt from the database on read. Accounts with more followers than
GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS are not fanned out: their entries are merged in at read
from their outbox, a sorted set of their own entries kept the same way. Which celebrities a
viewer follows is cached for GLIMPSE_FEED_CELEBRITIES_TTL seconds and dropped when the
viewer's follows change, so a warm page reads Redis only.

The database store answers the same question with a query; the embedded default uses it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from functools import cache as memoize
from functools import partial
from typing import Protocol

import redis
from django.conf import settings
from django.core.cache import cache

from glimpse.accounts.models import User
from glimpse.feeds.entries import Entry, entries_query, followed_ids, outbox_query
from glimpse.graph.visibility import accounts_unmuted_for

SENTINEL = "0" * 20
FILL_ATTEMPTS = 5


class FeedStore(Protocol):
    """Where home feeds come from."""

    def entries(self, viewer: User, *, max_id: int | None, count: int) -> list[Entry]:
        """Return up to ``count`` newest candidate entries below ``max_id``."""

    def add(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Put an entry into these accounts' feeds (twice changes nothing)."""

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Take an entry out of these accounts' feeds."""

    def forget(self, owner_ids: Iterable[int]) -> None:
        """Drop these accounts' feeds: the next read rebuilds them."""


class DatabaseStore:
    """Compute every feed with a query: nothing to keep up to date."""

    def entries(self, viewer: User, *, max_id: int | None, count: int) -> list[Entry]:
        """Return the newest entries below ``max_id``, straight from the database."""
        return entries_query(viewer, max_id=max_id, count=count)

    def add(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Nothing to do: the query sees the entry."""

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Nothing to do: the query no longer sees the entry."""

    def forget(self, owner_ids: Iterable[int]) -> None:
        """Nothing to do."""


def member(entry: Entry) -> str:
    """Return the sorted-set member of an entry."""
    return f"{entry.id:020d}{entry.kind}"


def parse(raw: bytes) -> Entry:
    """Return the entry of a sorted-set member (any but the sentinel)."""
    return Entry(int(raw[:20]), "r" if raw[20:] == b"r" else "p")


class RedisStore:
    """Feeds as Redis sorted sets, filled by fan-out on write and rebuilt when missing."""

    def __init__(self, url: str, prefix: str = "glimpse:feed:") -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def key(self, owner_id: int) -> str:
        """Return the key of an account's feed."""
        return f"{self.prefix}{owner_id}"

    def outbox_key(self, author_id: int) -> str:
        """Return the key of an account's outbox (its own entries)."""
        return f"{self.prefix}out:{author_id}"

    def entries(self, viewer: User, *, max_id: int | None, count: int) -> list[Entry]:
        """Return the newest entries below ``max_id``, with the celebrities merged in."""
        sources: list[tuple[str, Callable[[], int]]] = [
            (self.key(viewer.pk), lambda: self.rebuild(viewer))
        ]
        sources += [
            (self.outbox_key(author_id), partial(self.outbox_fill, author_id))
            for author_id in followed_celebrities(viewer)
        ]
        # Members sort as their entries do: only the newest are parsed.
        members = set(self._read(sources, max_id, count))
        members.discard(SENTINEL.encode())
        return [parse(raw) for raw in heapq.nlargest(count, members)]

    def _read(
        self, sources: list[tuple[str, Callable[[], int]]], max_id: int | None, count: int
    ) -> list[bytes]:
        """Read the members of sorted sets below ``max_id`` in one round trip; fill and
        re-read any that is not built (its sentinel is missing)."""
        top = f"({max_id:020d}" if max_id is not None else "+"
        pipe = self.client.pipeline(transaction=False)
        for key, _ in sources:
            pipe.zscore(key, SENTINEL)
            pipe.zrevrangebylex(key, top, "-", start=0, num=count + 1)
        answers = pipe.execute()
        found: list[bytes] = []
        for index, (key, fill) in enumerate(sources):
            built, raw = answers[2 * index], answers[2 * index + 1]
            if built is None:
                fill()
                raw = self.client.zrevrangebylex(key, top, "-", start=0, num=count + 1)
            found += raw
        return found

    def _fill(self, key: str, query: Callable[[], list[Entry]]) -> int:
        """Replace the set at ``key`` with what ``query`` finds in the database, and mark it
        built: unless a fan-out wrote to it meanwhile, for the query may have missed that
        entry (its post committed after the query began); then query again."""
        for _attempt in range(FILL_ATTEMPTS):
            with self.client.pipeline(transaction=True) as pipe:
                pipe.watch(key)
                found = query()
                pipe.multi()
                pipe.delete(key)
                pipe.zadd(key, {SENTINEL: 0, **{member(e): 0 for e in found}})
                try:
                    pipe.execute()
                except redis.WatchError:
                    continue
                return len(found)
        return 0  # still busy: left unbuilt, the next read builds it

    def rebuild(self, viewer: User) -> int:
        """Fill the viewer's feed from the database; return how many entries it holds."""
        count = settings.GLIMPSE_FEED_MAX
        return self._fill(
            self.key(viewer.pk), lambda: entries_query(viewer, max_id=None, count=count)
        )

    def outbox_fill(self, author_id: int) -> int:
        """Fill an account's outbox from the database; return how many entries it holds."""
        count = settings.GLIMPSE_FEED_MAX
        return self._fill(self.outbox_key(author_id), lambda: outbox_query(author_id, count=count))

    def add(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Add the entry to each feed and trim it to the newest GLIMPSE_FEED_MAX entries."""
        self._add([self.key(owner_id) for owner_id in owner_ids], entry)

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        """Remove the entry from each feed."""
        self._remove([self.key(owner_id) for owner_id in owner_ids], entry)

    def forget(self, owner_ids: Iterable[int]) -> None:
        """Delete these feeds; each is rebuilt from the database on its next read."""
        ids = list(owner_ids)
        if ids:
            self.client.delete(*[self.key(owner_id) for owner_id in ids])
        celebrities_forget(ids)

    def outbox_write(self, author_id: int, entry: Entry, *, add: bool) -> None:
        """Add an entry to (or remove it from) its author's outbox."""
        write = self._add if add else self._remove
        write([self.outbox_key(author_id)], entry)

    def _add(self, keys: list[str], entry: Entry) -> None:
        value = member(entry)
        keep = settings.GLIMPSE_FEED_MAX
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.zadd(key, {value: 0})
            # Rank 0 is the sentinel when the set is built; it is kept.
            pipe.zremrangebyrank(key, 1, -(keep + 1))
        pipe.execute()

    def _remove(self, keys: list[str], entry: Entry) -> None:
        value = member(entry)
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.zrem(key, value)
        pipe.execute()

    def size(self, owner_id: int) -> int:
        """Return how many entries a feed holds (the sentinel left out)."""
        key = self.key(owner_id)
        total = int(self.client.zcard(key))
        return total - 1 if self.client.zscore(key, SENTINEL) is not None else total


def _celebrities_key(viewer_id: int) -> str:
    return f"feed:celebrities:v1:{viewer_id}"


def followed_celebrities(viewer: User) -> list[int]:
    """Return the unmuted accounts the viewer follows that are merged in at read time."""
    key = _celebrities_key(viewer.pk)
    found: list[int] | None = cache.get(key)
    if found is None:
        found = list(
            followed_ids(viewer)
            .filter(followee__follower_count__gt=settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS)
            .filter(accounts_unmuted_for(viewer, account="followee"))
            .values_list("followee_id", flat=True)
        )
        cache.set(key, found, settings.GLIMPSE_FEED_CELEBRITIES_TTL)
    return found


def celebrities_forget(viewer_ids: Iterable[int]) -> None:
    """Drop the cached celebrities of these viewers (their follows or mutes changed)."""
    cache.delete_many([_celebrities_key(pk) for pk in viewer_ids])


@memoize
def _redis_store(url: str, prefix: str) -> RedisStore:
    return RedisStore(url, prefix)


def feed_store() -> FeedStore:
    """Return the store the settings name: Redis when GLIMPSE_FEED_REDIS_URL is set."""
    url = settings.GLIMPSE_FEED_REDIS_URL
    if url:
        return _redis_store(url, settings.GLIMPSE_FEED_KEY_PREFIX)
    return DatabaseStore()
