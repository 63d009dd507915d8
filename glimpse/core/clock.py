"""The wall clock the product reads for short lifetimes: app codes, pending log-ins, cards.

Tests move this clock, never the process's own ``time.time``: ids are made from the real
clock, and ids made while a test held the process's clock ahead came out of order with the
ones made after it.
"""

from __future__ import annotations

import time


def now() -> float:
    """Return the current time, in seconds since the epoch."""
    return time.time()
