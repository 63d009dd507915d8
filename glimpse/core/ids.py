"""64-bit time-sortable ids in Instagram's layout.

An id is ``milliseconds since GLIMPSE_EPOCH << 23 | shard << 10 | sequence``: 41 bits of
time, 13 bits of logical shard and 10 bits of sequence. Ids sort by creation time, fit a
signed 64-bit column until 2060, and carry the logical shard their row belongs to, which is
what lets tables be split across databases later without renumbering anything.

The sequence comes from a counter shared by every process that writes to the same
database: a PostgreSQL sequence, or on the embedded default a lock-protected counter file
next to the SQLite file. Two ids can only collide if more than 1,024 ids are made for one
shard within one millisecond, the same bound Instagram's scheme has.
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
_last_ms = 0
_last_sequence = 0
_counter_fd: int | None = None
_counter_pid: int | None = None


def next_id(shard: int | None = None) -> int:
    """Return a new unique id, on the given logical shard or a random one."""
    global _last_ms, _last_sequence
    if shard is None:
        shard = random.randrange(SHARD_COUNT)  # noqa: S311 - spreading load, not a secret
    if not 0 <= shard < SHARD_COUNT:
        raise ValueError(f"shard must be in 0..{SHARD_COUNT - 1}, got {shard}")
    sequence = _next_sequence() & SEQUENCE_MASK
    with _lock:
        # Never step back in time within a process, even if the wall clock does; and if the
        # shared sequence wrapped within this millisecond, wait for the next one, so that the
        # ids a process makes on one shard always increase.
        now_ms = max(int(time.time() * 1000), _last_ms)
        while now_ms == _last_ms and sequence < _last_sequence:
            time.sleep(0.0001)
            now_ms = max(int(time.time() * 1000), _last_ms)
        _last_ms, _last_sequence = now_ms, sequence
    return _compose(now_ms, shard, sequence)


def _compose(ms: int, shard: int, sequence: int) -> int:
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


def _next_sequence() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [POSTGRES_SEQUENCE])
            return int(cursor.fetchone()[0])
    return _next_file_sequence(Path(settings.GLIMPSE_ID_SEQUENCE_FILE))


def _next_file_sequence(path: Path) -> int:
    """Increment a counter kept in a file, under an exclusive lock shared by all processes."""
    global _counter_fd, _counter_pid
    with _lock:
        if _counter_fd is None or _counter_pid != os.getpid():
            path.parent.mkdir(parents=True, exist_ok=True)
            _counter_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            _counter_pid = os.getpid()
        fd = _counter_fd
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            raw = os.pread(fd, 8, 0)
            value = (int.from_bytes(raw, "little") + 1) if len(raw) == 8 else 1
            os.pwrite(fd, value.to_bytes(8, "little"), 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return value
