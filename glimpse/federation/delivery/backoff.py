"""How long a failed delivery waits before its next attempt: pure arithmetic, no rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from email.utils import parsedate_to_datetime

from django.conf import settings

# Each wait is spread over ±20 %, so that deliveries that failed together do not all come
# back at the same second.
JITTER = 0.2
# Statuses after which the same request may succeed later (besides every 5xx).
TRANSIENT_STATUSES = frozenset({408, 429})


def retry_delay(attempt: int, *, rng: Callable[[], float] = random.random) -> float:
    """Return the seconds to wait after failed attempt ``attempt`` (1 for the first)."""
    base: int = settings.GLIMPSE_FEDERATION_RETRY_BASE
    ceiling: int = settings.GLIMPSE_FEDERATION_RETRY_MAX
    wait = float(min(base * 2 ** min(attempt, 40), ceiling))
    return wait * (1 + JITTER * (2 * rng() - 1))


def retry_span() -> float:
    """Return the seconds after its creation during which a delivery is retried."""
    days: float = settings.GLIMPSE_FEDERATION_RETRY_DAYS
    return days * 86400


def is_transient(status: int) -> bool:
    """Tell whether an answer's status says to try again later (5xx, 408, 429)."""
    return status >= 500 or status in TRANSIENT_STATUSES


def retry_after_seconds(value: str | None, *, now: float) -> float | None:
    """Read a ``Retry-After`` header (seconds, or an HTTP date) as seconds from ``now``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)
