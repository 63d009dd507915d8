"""64-bit time-sortable ids in Instagram's layout.

An id is ``milliseconds since GLIMPSE_EPOCH << 23 | shard << 10 | sequence``: 41 bits of
time, 13 bits of logical shard and 10 bits of sequence. Ids sort by creation time, fit a
signed 64-bit column until 2060, and carry the logical shard their row belongs to, which is
what lets tables be split across databases later without renumbering anything.

The (millisecond, sequence) pair comes from a store shared by every process that writes to
the same database. On the embedded default it is a lock-protected file next to the SQLite
file: pairs are handed out strictly increasing, so ids never repeat. On PostgreSQL it is a
database sequence read together with the server's clock in one statement: two ids can only
collide if more than 1,024 ids are made for one shard within one millisecond, the bound of
Instagram's scheme.
"""

from __future__ import annotations

import fcntl
import os
import random
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

GLIMPSE_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
TIME_BITS = 41
SHARD_BITS = 13
SEQUENCE_BITS = 10
SHARD_COUNT = 1 << SHARD_BITS
SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1
SHARD_MASK = SHARD_COUNT - 1
TIME_SHIFT = SHARD_BITS + SEQUENCE_BITS

POSTGRES_SEQUENCE = "glimpse_id_sequence"

_lock = threading.Lock()
_last: tuple[int, int] = (0, -1)  # (millisecond, sequence) of this process's last id
_counter_fd: int | None = None
_counter_pid: int | None = None


def next_id(shard: int | None = None) -> int:
    """Return a new unique id, on the given logical shard or a random one."""
    if shard is None:
        shard = random.randrange(SHARD_COUNT)  # noqa: S311 - spreading load, not a secret
    if not 0 <= shard < SHARD_COUNT:
        raise ValueError(f"shard must be in 0..{SHARD_COUNT - 1}, got {shard}")
    ms, sequence = _allocate()
    return ((ms - GLIMPSE_EPOCH_MS) << TIME_SHIFT) | (shard << SEQUENCE_BITS) | sequence


def shard_of(object_id: int) -> int:
    """Return the logical shard an id was made on."""
    return (object_id >> SEQUENCE_BITS) & SHARD_MASK


def created_at(object_id: int) -> datetime:
    """Return the moment an id was made, in UTC."""
    ms = (object_id >> TIME_SHIFT) + GLIMPSE_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def lowest_id_at(moment: datetime) -> int:
    """Return the smallest id that could have been made at ``moment`` (for time cursors)."""
    ms = int(moment.timestamp() * 1000) - GLIMPSE_EPOCH_MS
    return max(ms, 0) << TIME_SHIFT


def _allocate() -> tuple[int, int]:
    """Return a (millisecond, sequence) pair no other id generator sharing our store has."""
    global _last
    with _lock:
        if connection.vendor == "postgresql":
            pair = _allocate_postgres()
            while pair <= _last:  # the sequence wrapped within this millisecond: try again
                pair = _allocate_postgres()
        else:
            pair = _allocate_file(Path(settings.GLIMPSE_ID_SEQUENCE_FILE))
        _last = pair
        return pair


def _allocate_postgres() -> tuple[int, int]:
    # The time is read by the server in the same statement as the sequence, so no delay on
    # our side can pair an old sequence value with a newer millisecond.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint, nextval(%s)",
            [POSTGRES_SEQUENCE],
        )
        ms, value = cursor.fetchone()
    return int(ms), int(value) & SEQUENCE_MASK


def _allocate_file(path: Path) -> tuple[int, int]:
    """Hand out the next (millisecond, sequence) under an exclusive lock on a shared file.

    Every process of the machine goes through the same file, so pairs are never repeated
    and always increase; after 1,024 ids in one millisecond the next id waits for the next.
    """
    global _counter_fd, _counter_pid
    if _counter_fd is None or _counter_pid != os.getpid():
        path.parent.mkdir(parents=True, exist_ok=True)
        _counter_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _counter_pid = os.getpid()
    fd = _counter_fd
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        raw = os.pread(fd, 16, 0)
        last_ms, last_sequence = (
            (int.from_bytes(raw[:8], "little"), int.from_bytes(raw[8:], "little"))
            if len(raw) == 16
            else (0, 0)
        )
        now_ms = int(time.time() * 1000)
        if now_ms <= last_ms and last_sequence < SEQUENCE_MASK:
            ms, sequence = last_ms, last_sequence + 1
        else:
            while now_ms <= last_ms:  # this millisecond is used up (or the clock stepped back)
                time.sleep(0.0001)
                now_ms = int(time.time() * 1000)
            ms, sequence = now_ms, 0
        os.pwrite(fd, ms.to_bytes(8, "little") + sequence.to_bytes(8, "little"), 0)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
    return ms, sequence
