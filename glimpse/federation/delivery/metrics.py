"""Prometheus metrics of delivery: outcomes, request time, time to arrive, what waits."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

DELIVERIES = Counter(
    "glimpse_federation_deliveries_total",
    "Delivery attempts by outcome: delivered, retried, failed, postponed (server down).",
    ["outcome"],
)
DELIVERY_REQUEST_SECONDS = Histogram(
    "glimpse_federation_delivery_request_seconds",
    "Time a delivery's request to a remote inbox took, whatever its answer.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DELIVERY_LAG_SECONDS = Histogram(
    "glimpse_federation_delivery_lag_seconds",
    "Time from an activity's creation to its delivery to one inbox.",
    buckets=(1, 5, 30, 60, 300, 900, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400),
)
DELIVERIES_PENDING = Gauge(
    "glimpse_federation_deliveries_pending",
    "Deliveries waiting to be sent or being sent, as last counted by the periodic job.",
    multiprocess_mode="mostrecent",
)
SERVERS_DOWN = Gauge(
    "glimpse_federation_servers_down",
    "Remote servers marked down, as last counted by the periodic job.",
    multiprocess_mode="mostrecent",
)


def delivery_counted(outcome: str) -> None:
    """Count one delivery attempt's outcome."""
    DELIVERIES.labels(outcome).inc()


def request_timed(seconds: float) -> None:
    """Record how long one delivery request took."""
    DELIVERY_REQUEST_SECONDS.observe(seconds)


def delivered_after(seconds: float) -> None:
    """Record how long after its activity's creation a delivery arrived."""
    DELIVERY_LAG_SECONDS.observe(max(0.0, seconds))


def backlog_counted(*, pending: int, servers_down: int) -> None:
    """Set the gauges of what waits: pending deliveries and servers down."""
    DELIVERIES_PENDING.set(pending)
    SERVERS_DOWN.set(servers_down)
