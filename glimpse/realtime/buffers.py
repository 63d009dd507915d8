"""Replay buffers: each account's recent events, for clients that reconnect.

An account keeps its last ``GLIMPSE_REALTIME_BUFFER_SIZE`` events of the last
``GLIMPSE_REALTIME_BUFFER_SECONDS`` (200 and 24 hours unless set), whichever is fewer.
With a Redis named (``REDIS_URL``) the buffer is a sorted set per account shared by every
server process; on the embedded default it lives in the memory of the one process.

Ids are handed out and appended in one step per account (a lock in memory, a script in
Redis that refuses an id lower than the newest one), so a buffer's order is its append
order: an event added after a client read the buffer always has a greater id than anything
it read. That is what lets a consumer drop live events at or below the last replayed id
without losing any.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Protocol

import redis
from django.conf import settings

from glimpse.core.ids import lowest_id_at, next_id, shard_of


class Refetch(Exception):
    """The client's last event id is unknown or older than the buffer: it must reload."""


class EventBuffer(Protocol):
    """Where an account's recent events are kept."""

    def append(self, account_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """Give the event its id, keep it and return it as sent on the wire."""

    def since(self, account_id: int, last_id: int) -> list[dict[str, Any]]:
        """Return the events after ``last_id``, oldest first; raise Refetch if it is gone."""


def _limits() -> tuple[int, int]:
    return settings.GLIMPSE_REALTIME_BUFFER_SIZE, settings.GLIMPSE_REALTIME_BUFFER_SECONDS


def _oldest_kept_id(seconds: int) -> int:
    return lowest_id_at(datetime.now(tz=UTC) - timedelta(seconds=seconds))


def _next_event_id(account_id: int) -> int:
    # An account's events share its shard: ids made on one shard only grow, even within a
    # millisecond, where a random shard would order them at random.
    return next_id(shard_of(account_id))


def _event(event_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(event_id), "kind": kind, "data": data}


class MemoryBuffer:
    """Buffers in this process's memory (the embedded default runs one process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[int, deque[tuple[int, dict[str, Any]]]] = {}

    def append(self, account_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """Give the event its id, keep it and return it as sent on the wire."""
        size, seconds = _limits()
        # Serialising the data now keeps a later change of the caller's dict out of replays.
        frozen = json.loads(json.dumps(data))
        with self._lock:
            event = _event(_next_event_id(account_id), kind, frozen)
            events = self._events.setdefault(account_id, deque(maxlen=size))
            events.append((int(event["id"]), event))
            self._trim(events, seconds)
        return event

    def since(self, account_id: int, last_id: int) -> list[dict[str, Any]]:
        """Return the events after ``last_id``, oldest first; raise Refetch if it is gone."""
        _, seconds = _limits()
        with self._lock:
            events = self._events.get(account_id)
            if events is None:
                raise Refetch
            self._trim(events, seconds)
            ids = [event_id for event_id, _ in events]
            if last_id not in ids:
                raise Refetch
            return [event for _, event in list(events)[ids.index(last_id) + 1 :]]

    def clear(self) -> None:
        """Forget every buffer (tests)."""
        with self._lock:
            self._events.clear()

    @staticmethod
    def _trim(events: deque[tuple[int, dict[str, Any]]], seconds: int) -> None:
        oldest = _oldest_kept_id(seconds)
        while events and events[0][0] < oldest:
            events.popleft()


# Append only if the new id is above the newest kept one (so order = append order), then
# cap the set by count and by age. Members are the zero-padded id followed by the JSON of
# the event, all with score 0, so the set is ordered by id exactly (a float score would
# lose the low bits of a 64-bit id).
_APPEND = """
local top = redis.call('ZRANGE', KEYS[1], -1, -1)
if top[1] and string.sub(top[1], 1, 20) >= ARGV[2] then
  return 0
end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('ZREMRANGEBYLEX', KEYS[1], '-', '(' .. ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class RedisBuffer:
    """Buffers as one Redis sorted set per account, shared by every server process."""

    def __init__(self, url: str, prefix: str = "glimpse:rt:") -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self._append = self.client.register_script(_APPEND)

    def key(self, account_id: int) -> str:
        """Return the key of an account's buffer."""
        return f"{self.prefix}{account_id}"

    def append(self, account_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """Give the event its id, keep it and return it as sent on the wire."""
        size, seconds = _limits()
        body = json.dumps({"kind": kind, "data": data}, separators=(",", ":"))
        while True:
            event_id = _next_event_id(account_id)
            oldest = _oldest_kept_id(seconds)
            args: list[str | int] = [
                f"{event_id:020d}{body}",
                f"{event_id:020d}",
                size,
                f"{oldest:020d}",
                seconds,
            ]
            if self._append(keys=[self.key(account_id)], args=args):
                break
            # Another process appended a greater id between our id and our append: take a
            # new one (ids only grow, so this ends at once).
            time.sleep(0)
        return _event(event_id, kind, json.loads(body)["data"])

    def since(self, account_id: int, last_id: int) -> list[dict[str, Any]]:
        """Return the events after ``last_id``, oldest first; raise Refetch if it is gone."""
        _, seconds = _limits()
        padded = f"{last_id:020d}"
        raw = self.client.zrangebylex(self.key(account_id), f"[{padded}", "+")
        members = [r.decode() if isinstance(r, bytes) else r for r in raw]
        if not members or members[0][:20] != padded or last_id < _oldest_kept_id(seconds):
            raise Refetch
        events = []
        for member in members[1:]:
            body = json.loads(member[20:])
            events.append(_event(int(member[:20]), body["kind"], body["data"]))
        return events


@cache
def get_buffer() -> EventBuffer:
    """Return the replay buffer: Redis when one is named, else this process's memory."""
    url = getattr(settings, "GLIMPSE_REALTIME_REDIS_URL", None) or settings.REDIS_URL
    if url:
        return RedisBuffer(url)
    return MemoryBuffer()
