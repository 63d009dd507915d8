"""How many websockets each account has open, so that one account cannot open thousands.

Each open socket holds a slot of its account: a mark with an end time, taken when it
connects, renewed while it stays open (with the presence mark, see ``consumers``) and given
back when it closes. A socket of a process that died never gives its slot back, so a mark
simply runs out after ``GLIMPSE_REALTIME_PRESENCE_SECONDS``: a crash costs a slot for at
most that long, never for ever. An account holds at most
``GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT`` slots (20 unless set); the next socket is refused.

With a Redis named (``REDIS_URL``) the slots of an account are one sorted set shared by
every server process (member the socket, score when its mark ends, in Redis' own clock so
that the processes' clocks need not agree); on the embedded default they live in the memory
of the one process. Taking a slot counts and adds in one step (a lock, a script).
"""

from __future__ import annotations

import threading
import time
from functools import cache
from typing import Protocol

import redis
from django.conf import settings


class Slots(Protocol):
    """Where the open sockets of each account are counted."""

    def take(self, account_id: int, socket_id: str) -> bool:
        """Take a slot for this socket unless the account's are all taken; say whether."""

    def renew(self, account_id: int, socket_id: str) -> None:
        """Push back the end of this socket's slot (it is still open)."""

    def give_back(self, account_id: int, socket_id: str) -> None:
        """Free this socket's slot (it closed)."""

    def count(self, account_id: int) -> int:
        """Return how many slots of the account are taken and not run out."""


def _lifetime() -> float:
    return float(settings.GLIMPSE_REALTIME_PRESENCE_SECONDS)


def _cap() -> int:
    return int(settings.GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT)


class MemorySlots:
    """Slots in this process's memory (the embedded default runs one process)."""

    def __init__(self) -> None:
        self._until: dict[int, dict[str, float]] = {}
        self._lock = threading.Lock()

    def take(self, account_id: int, socket_id: str) -> bool:
        """Take a slot for this socket unless the account's are all taken; say whether."""
        with self._lock:
            held = self._live(account_id)
            if socket_id not in held and len(held) >= _cap():
                return False
            held[socket_id] = time.monotonic() + _lifetime()
            return True

    def renew(self, account_id: int, socket_id: str) -> None:
        """Push back the end of this socket's slot (it is still open)."""
        with self._lock:
            self._live(account_id)[socket_id] = time.monotonic() + _lifetime()

    def give_back(self, account_id: int, socket_id: str) -> None:
        """Free this socket's slot (it closed)."""
        with self._lock:
            held = self._until.get(account_id, {})
            held.pop(socket_id, None)
            if not held:
                self._until.pop(account_id, None)

    def count(self, account_id: int) -> int:
        """Return how many slots of the account are taken and not run out."""
        with self._lock:
            return len(self._live(account_id))

    def _live(self, account_id: int) -> dict[str, float]:
        # Called under the lock: drops the marks that ran out (sockets of a dead server).
        now = time.monotonic()
        held = {k: v for k, v in self._until.get(account_id, {}).items() if v > now}
        self._until[account_id] = held
        return held


# KEYS[1] the account's set; ARGV: socket id, lifetime in seconds, cap, "take" or "renew".
# Marks that ran out are dropped first; a socket already holding a slot keeps it.
_TAKE = """
local now = redis.call('TIME')
local seconds = tonumber(now[1]) + tonumber(now[2]) / 1000000
local lifetime = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', seconds)
if ARGV[4] == 'take' and not redis.call('ZSCORE', KEYS[1], ARGV[1])
   and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], seconds + lifetime, ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(lifetime) + 1)
return 1
"""

_COUNT = """
local now = redis.call('TIME')
local seconds = tonumber(now[1]) + tonumber(now[2]) / 1000000
return redis.call('ZCOUNT', KEYS[1], '(' .. seconds, '+inf')
"""


class RedisSlots:
    """Slots as one Redis sorted set per account, shared by every server process."""

    def __init__(self, url: str, prefix: str = "glimpse:rt:sockets:") -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self._take = self.client.register_script(_TAKE)
        self._count = self.client.register_script(_COUNT)

    def key(self, account_id: int) -> str:
        """Return the key of an account's slots."""
        return f"{self.prefix}{account_id}"

    def take(self, account_id: int, socket_id: str) -> bool:
        """Take a slot for this socket unless the account's are all taken; say whether."""
        args: list[str | float] = [socket_id, _lifetime(), _cap(), "take"]
        return bool(self._take(keys=[self.key(account_id)], args=args))

    def renew(self, account_id: int, socket_id: str) -> None:
        """Push back the end of this socket's slot (it is still open)."""
        self._take(keys=[self.key(account_id)], args=[socket_id, _lifetime(), _cap(), "renew"])

    def give_back(self, account_id: int, socket_id: str) -> None:
        """Free this socket's slot (it closed)."""
        self.client.zrem(self.key(account_id), socket_id)

    def count(self, account_id: int) -> int:
        """Return how many slots of the account are taken and not run out."""
        return int(self._count(keys=[self.key(account_id)]))


@cache
def get_slots() -> Slots:
    """Return the socket slots: Redis when one is named, else this process's memory."""
    url = getattr(settings, "GLIMPSE_REALTIME_REDIS_URL", None) or settings.REDIS_URL
    if url:
        return RedisSlots(url)
    return MemorySlots()
