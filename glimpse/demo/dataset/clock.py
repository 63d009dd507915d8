"""Snowflake ids made directly from chosen timestamps, never repeated.

An id is ``ms << 23 | shard << 10 | sequence`` (see ``glimpse.core.ids``). The generator picks
a second for each row; the k-th row placed in a second gets a millisecond from a fixed
permutation of the second's 1,000 and the sequence ``k // 1000``. So each (millisecond,
sequence) pair is handed out once in the whole data set, whatever the shard, and every id is
unique across all tables while its time is exactly the row's ``created_at``.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable

from glimpse.core.ids import GLIMPSE_EPOCH_MS, SEQUENCE_BITS, SEQUENCE_MASK, TIME_SHIFT

_STRIDE = 617  # coprime with 1,000: k -> (offset + k * stride) % 1000 visits every millisecond


class IdClock:
    """Hand out (id, millisecond) pairs for rows placed at chosen seconds of a time window."""

    def __init__(self, *, start_ms: int, end_ms: int) -> None:
        if start_ms < GLIMPSE_EPOCH_MS:
            raise ValueError("the data set cannot start before the id epoch")
        self.start_s = start_ms // 1000
        self.end_s = end_ms // 1000  # exclusive: every row is strictly before this second
        self._used = array("I", bytes(4 * (self.end_s - self.start_s)))

    def make(self, second: int, shard: int) -> tuple[int, int]:
        """Return a new id on ``shard`` at ``second`` (clamped into the window) and its ms."""
        second = min(max(second, self.start_s), self.end_s - 1)
        slot = second - self.start_s
        k = self._used[slot]
        self._used[slot] = k + 1
        sequence = k // 1000
        if sequence > SEQUENCE_MASK:
            raise OverflowError(f"more than 1,024,000 rows in second {second}")
        ms = second * 1000 + (second + k * _STRIDE) % 1000
        return ((ms - GLIMPSE_EPOCH_MS) << TIME_SHIFT) | (shard << SEQUENCE_BITS) | sequence, ms


def time_format(clock: IdClock, *, postgres: bool) -> Callable[[int], str]:
    """Return a fast formatter of epoch milliseconds in the clock's window, as UTC text.

    PostgreSQL gets a timestamptz literal; SQLite gets what Django stores there (a naive UTC
    datetime, without a fraction when it is zero). Days, times of day and fractions come
    from tables: formatting 30 million times with strftime would take minutes.
    """
    first_day = clock.start_s // 86_400
    days = [
        time.strftime("%Y-%m-%d ", time.gmtime(day * 86_400))
        for day in range(first_day, clock.end_s // 86_400 + 1)
    ]
    clocks = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    if postgres:
        fractions = [f".{ms:03d}+00" for ms in range(1000)]
    else:
        fractions = ["", *(f".{ms:03d}000" for ms in range(1, 1000))]

    def fmt(ms: int) -> str:
        seconds, fraction = divmod(ms, 1000)
        day, second = divmod(seconds, 86_400)
        return days[day - first_day] + clocks[second] + fractions[fraction]

    return fmt
