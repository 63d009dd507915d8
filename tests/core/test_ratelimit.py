"""Fixed-window rate limits count events and say when to retry."""

from __future__ import annotations

import pytest

from glimpse.core.errors import RateLimited
from glimpse.core.ratelimit import rate_limit_check, rate_limit_hit, rate_limit_reset


def test_limit_allows_then_refuses_with_retry_after() -> None:
    for _ in range(3):
        rate_limit_hit(scope="t", identity="a", limit=3, window=60)
    with pytest.raises(RateLimited) as refused:
        rate_limit_hit(scope="t", identity="a", limit=3, window=60)
    assert 1 <= refused.value.retry_after <= 60
    # Another identity is counted apart.
    rate_limit_hit(scope="t", identity="b", limit=3, window=60)


def test_check_counts_nothing_and_reset_forgets() -> None:
    rate_limit_check(scope="t", identity="c", limit=1, window=60)
    rate_limit_hit(scope="t", identity="c", limit=1, window=60)
    with pytest.raises(RateLimited):
        rate_limit_check(scope="t", identity="c", limit=1, window=60)
    rate_limit_reset(scope="t", identity="c", window=60)
    rate_limit_check(scope="t", identity="c", limit=1, window=60)
