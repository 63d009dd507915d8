"""Prometheus metrics of inboxes: what arrives, how it ends, and how long it waits."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

RECEIVED = Counter(
    "glimpse_federation_inbox_received_total",
    "Requests to the inboxes by answer: kept, duplicate, refused (any 4xx).",
    ["answer"],
)
PROCESSED = Counter(
    "glimpse_federation_inbox_processed_total",
    "Received activities processed, by type and outcome: done, ignored, failed, retried.",
    ["kind", "outcome"],
)
PROCESS_LAG_SECONDS = Histogram(
    "glimpse_federation_inbox_lag_seconds",
    "Time from an activity's arrival to the end of its processing.",
    buckets=(0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600),
)
# Types counted by name; any other is counted as "other", so labels stay few.
KNOWN_KINDS = frozenset(
    {"Create", "Update", "Delete", "Follow", "Accept", "Reject", "Undo", "Like", "Announce"}
    | {"Block", "Flag", "Move", "EmojiReact"}
)


def received(answer: str) -> None:
    """Count one request to an inbox by how it was answered."""
    RECEIVED.labels(answer).inc()


def processed(kind: str, outcome: str, *, seconds: float | None = None) -> None:
    """Count one processing of a received activity, and its wait when it ended."""
    PROCESSED.labels(kind if kind in KNOWN_KINDS else "other", outcome).inc()
    if seconds is not None:
        PROCESS_LAG_SECONDS.observe(seconds)
