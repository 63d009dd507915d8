"""The impression buffer: read paths append to it, the flush job drains it in batches.

Recording an impression is one append and never a database write. With a Redis named
(``GLIMPSE_INSIGHTS_REDIS_URL``, else ``REDIS_URL``) the buffer is one Redis list shared by
every process; on the embedded default it is a list in this process's memory. A batch is
first moved, atomically, to a pending list of its own, so that a flush killed halfway finds
it again and either counts it (if its database transaction never committed) or drops it
(if it did): no view is lost or counted twice, except what Redis itself loses.

A "flush scheduled" mark, set atomically with an expiry, lets a burst of impressions queue
one flush job instead of one per page: whoever sets it queues the job, the job clears it when
it starts, and the expiry frees it if the job was lost (the periodic flush counts the views
meanwhile).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from typing import Protocol

import redis
from django.conf import settings

KEY = "glimpse:insights:impressions"
PENDING = "glimpse:insights:pending"
SCHEDULED = "glimpse:insights:flush-scheduled"

# Moves up to ARGV[1] entries from the head of the buffer to a pending list, in one step.
_TAKE = """
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items == 0 then return 0 end
redis.call('LTRIM', KEYS[1], #items, -1)
redis.call('RPUSH', KEYS[2], unpack(items))
redis.call('SADD', KEYS[3], ARGV[2])
return #items
"""


class Buffer(Protocol):
    """Where impressions wait for the flush job."""

    def append(self, entries: list[str]) -> int:
        """Append encoded impressions; return how many wait now."""

    def size(self) -> int:
        """Return how many impressions wait."""

    def oldest_age(self) -> float:
        """Return the seconds since the oldest waiting impression was appended."""

    def take(self, limit: int) -> tuple[str, list[str]] | None:
        """Move up to ``limit`` entries into a pending batch; return its id and entries."""

    def pending(self) -> Iterable[tuple[str, list[str]]]:
        """Yield batches taken earlier and not yet released (a flush died on them)."""

    def release(self, batch: str) -> None:
        """Forget a batch that is counted."""

    def flush_mark(self, seconds: int) -> bool:
        """Mark a flush as scheduled for ``seconds``; return False if one is marked already."""

    def flush_unmark(self) -> None:
        """Clear the mark: the scheduled flush has started (or was never queued)."""

    def clear(self) -> None:
        """Drop everything (tests)."""


class MemoryBuffer:
    """The buffer in this process's memory (the embedded default runs one process)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._items: list[str] = []
        self._since = 0.0
        self._pending: dict[str, list[str]] = {}
        self._marked_until = 0.0
        self._lock = threading.Lock()

    def append(self, entries: list[str]) -> int:
        """Append encoded impressions; return how many wait now."""
        with self._lock:
            if not self._items:
                self._since = self._clock()
            self._items.extend(entries)
            return len(self._items)

    def size(self) -> int:
        """Return how many impressions wait."""
        return len(self._items)

    def oldest_age(self) -> float:
        """Return the seconds since the oldest waiting impression was appended."""
        return self._clock() - self._since if self._items else 0.0

    def take(self, limit: int) -> tuple[str, list[str]] | None:
        """Move up to ``limit`` entries into a pending batch; return its id and entries."""
        with self._lock:
            if not self._items:
                return None
            items, self._items = self._items[:limit], self._items[limit:]
            self._since = self._clock()
            batch = uuid.uuid4().hex
            self._pending[batch] = items
            return batch, items

    def pending(self) -> Iterable[tuple[str, list[str]]]:
        """Yield batches taken earlier and not yet released (a flush died on them)."""
        with self._lock:
            return list(self._pending.items())

    def release(self, batch: str) -> None:
        """Forget a batch that is counted."""
        with self._lock:
            self._pending.pop(batch, None)

    def flush_mark(self, seconds: int) -> bool:
        """Mark a flush as scheduled for ``seconds``; return False if one is marked already."""
        with self._lock:
            now = self._clock()
            if now < self._marked_until:
                return False
            self._marked_until = now + seconds
            return True

    def flush_unmark(self) -> None:
        """Clear the mark: the scheduled flush has started (or was never queued)."""
        with self._lock:
            self._marked_until = 0.0

    def clear(self) -> None:
        """Drop everything (tests)."""
        with self._lock:
            self._items.clear()
            self._pending.clear()
            self._marked_until = 0.0


class RedisBuffer:
    """The buffer as a Redis list, with one list per pending batch."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, decode_responses=True)
        self._take = self.client.register_script(_TAKE)

    def append(self, entries: list[str]) -> int:
        """Append encoded impressions; return how many wait now (one round trip)."""
        return int(self.client.rpush(KEY, *entries)) if entries else self.size()

    def size(self) -> int:
        """Return how many impressions wait."""
        return int(self.client.llen(KEY))

    def oldest_age(self) -> float:
        """Return 0: with Redis the periodic job flushes, so age does not matter here."""
        return 0.0

    def take(self, limit: int) -> tuple[str, list[str]] | None:
        """Move up to ``limit`` entries into a pending batch; return its id and entries."""
        batch = uuid.uuid4().hex
        moved = self._take(keys=[KEY, f"{PENDING}:{batch}", PENDING], args=[limit, batch])
        if not moved:
            return None
        return batch, _texts(self.client.lrange(f"{PENDING}:{batch}", 0, -1))

    def pending(self) -> Iterable[tuple[str, list[str]]]:
        """Yield batches taken earlier and not yet released (a flush died on them)."""
        for batch in sorted(_texts(self.client.smembers(PENDING))):
            yield batch, _texts(self.client.lrange(f"{PENDING}:{batch}", 0, -1))

    def release(self, batch: str) -> None:
        """Forget a batch that is counted."""
        with self.client.pipeline() as pipe:
            pipe.delete(f"{PENDING}:{batch}")
            pipe.srem(PENDING, batch)
            pipe.execute()

    def flush_mark(self, seconds: int) -> bool:
        """Mark a flush as scheduled for ``seconds``; return False if one is marked already."""
        return bool(self.client.set(SCHEDULED, "1", nx=True, ex=seconds))

    def flush_unmark(self) -> None:
        """Clear the mark: the scheduled flush has started (or was never queued)."""
        self.client.delete(SCHEDULED)

    def clear(self) -> None:
        """Drop everything (tests)."""
        batches = _texts(self.client.smembers(PENDING))
        self.client.delete(KEY, PENDING, SCHEDULED, *[f"{PENDING}:{batch}" for batch in batches])


def _texts(values: Iterable[bytes | str]) -> list[str]:
    return [value.decode() if isinstance(value, bytes) else value for value in values]


@cache
def get_buffer() -> Buffer:
    """Return the impression buffer: Redis when one is named, else this process's memory."""
    url = settings.GLIMPSE_INSIGHTS_REDIS_URL or settings.REDIS_URL
    if url:
        return _redis_buffer(url)
    return MemoryBuffer()


@cache
def _redis_buffer(url: str) -> RedisBuffer:
    """One buffer (one client and its connections) per address, kept for the process."""
    return RedisBuffer(url)
