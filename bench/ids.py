"""Id generation runs on every insert: compare it with making a random UUID."""

from __future__ import annotations

import uuid

from bench.harness import Result, compare, report
from glimpse.core.ids import next_id

N = 20_000


def run() -> list[Result]:
    """Time snowflake ids (file-backed sequence) against uuid4."""
    results = [
        compare(
            "next_id (embedded, file sequence)",
            lambda: [next_id() for _ in range(N)],
            baseline_name="uuid.uuid4",
            baseline=lambda: [uuid.uuid4() for _ in range(N)],
            operations=N,
            # A shared cross-process counter costs a lock and two syscalls per id.
            budget_ratio=10.0,
        )
    ]
    report(results, suite="ids")
    return results
