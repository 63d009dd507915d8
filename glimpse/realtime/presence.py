"""Which accounts have a websocket open right now, so broadcasts reach only them.

An event meant for many accounts at once (a new post for every follower, a new story for
the tray) is only worth buffering and sending to accounts that are listening; the others
read the same state from the API when they next open a page. Each open connection marks its
account present for ``GLIMPSE_REALTIME_PRESENCE_SECONDS`` and renews the mark while it
stays open (see ``consumers``), so a server that dies leaves marks that simply run out.

With a Redis named (``REDIS_URL``) presence is one sorted set shared by every server process
(the score is when the mark runs out); on the embedded default it lives in the memory of the
one process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import redis
from django.conf import settings


class Presence(Protocol):
    """Where presence marks are kept."""

    def mark(self, account_id: int) -> None:
        """Mark the account present for the next GLIMPSE_REALTIME_PRESENCE_SECONDS."""

    def present(self, account_ids: Sequence[int]) -> list[int]:
        """Return those of the accounts that are present, in the order given."""


def _lifetime() -> float:
    return float(settings.GLIMPSE_REALTIME_PRESENCE_SECONDS)


class MemoryPresence:
    """Presence in this process's memory (the embedded default runs one process)."""

    def __init__(self) -> None:
        self._until: dict[int, float] = {}
        self._lock = threading.Lock()

    def mark(self, account_id: int) -> None:
        """Mark the account present for the next GLIMPSE_REALTIME_PRESENCE_SECONDS."""
        now = time.monotonic()
        with self._lock:
            self._until[account_id] = now + _lifetime()
            if len(self._until) % 1024 == 0:  # now and then, forget the marks run out
                self._until = {k: v for k, v in self._until.items() if v > now}

    def present(self, account_ids: Sequence[int]) -> list[int]:
        """Return those of the accounts that are present, in the order given."""
        now = time.monotonic()
        with self._lock:
            return [pk for pk in account_ids if self._until.get(pk, 0.0) > now]

    def clear(self) -> None:
        """Forget every mark (tests)."""
        with self._lock:
            self._until.clear()


class RedisPresence:
    """Presence as one Redis sorted set: member the account id, score when its mark ends."""

    def __init__(self, url: str, key: str = "glimpse:rt:present") -> None:
        self.client = redis.Redis.from_url(url)
        self.key = key

    def mark(self, account_id: int) -> None:
        """Mark the account present for the next GLIMPSE_REALTIME_PRESENCE_SECONDS."""
        now = time.time()
        with self.client.pipeline(transaction=False) as pipe:
            pipe.zadd(self.key, {str(account_id): now + _lifetime()})
            pipe.zremrangebyscore(self.key, "-inf", now)  # marks that ran out
            pipe.execute()

    def present(self, account_ids: Sequence[int]) -> list[int]:
        """Return those of the accounts that are present, in the order given (one round trip)."""
        if not account_ids:
            return []
        now = time.time()
        scores = self.client.zmscore(self.key, [str(pk) for pk in account_ids])
        return [pk for pk, until in zip(account_ids, scores, strict=True) if until and until > now]


@cache
def get_presence() -> Presence:
    """Return the presence marks: Redis when one is named, else this process's memory."""
    url = getattr(settings, "GLIMPSE_REALTIME_REDIS_URL", None) or settings.REDIS_URL
    if url:
        return RedisPresence(url)
    return MemoryPresence()
