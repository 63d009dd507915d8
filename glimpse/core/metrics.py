"""Prometheus metrics: their definitions, the /metrics view and what records them.

HTTP requests are counted by a middleware, jobs by Celery signal receivers (connected in
``CoreConfig.ready``), fan-out lag, websocket connections and failed event subscribers by
one call each in the feed job, the consumer and the event bus, and the queue depth is read
from the broker at scrape time. With
``PROMETHEUS_MULTIPROC_DIR`` set (pre-forked workers), every process writes its values to
files in that folder and a scrape adds them up.

Who may scrape: a request with ``Authorization: Bearer <GLIMPSE_METRICS_TOKEN>`` (compared in
constant time), or one whose peer address is in ``GLIMPSE_METRICS_ALLOWED_IPS`` and that
came through no proxy. With neither setting, nobody: /metrics answers 404. A forwarding
header is never believed, and a request carrying one is never let in by its address: behind
a proxy on the same host (gunicorn on 127.0.0.1), the peer address of every visitor is the
proxy's own.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
import weakref
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import redis
from celery import Task
from django.conf import settings
from django.core import checks
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from glimpse.core.ids import created_at

logger = logging.getLogger(__name__)

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A request that carries one of these came through a proxy: its peer address is the proxy's.
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host")
UNMATCHED = "unmatched"

HTTP_REQUESTS = Counter(
    "glimpse_http_requests_total",
    "HTTP requests answered, by method, URL pattern and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "glimpse_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and URL pattern.",
    ["method", "route"],
)
JOB_DURATION = Histogram(
    "glimpse_job_duration_seconds",
    "Time a background job ran, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
JOB_FAILURES = Counter(
    "glimpse_job_failures_total",
    "Background jobs that raised, by task name.",
    ["task"],
)
FANOUT_LAG = Histogram(
    "glimpse_feed_fanout_lag_seconds",
    "Time from an entry's creation to the end of its fan-out to followers' feeds.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
EVENT_HANDLER_FAILURES = Counter(
    "glimpse_event_handler_failures_total",
    "Event subscribers that raised, by event and subscriber.",
    ["event", "handler"],
)
WEBSOCKETS = Gauge(
    "glimpse_websocket_connections",
    "Websocket connections open now.",
    multiprocess_mode="livesum",
)

_job_started: dict[str, float] = {}
_open_sockets: weakref.WeakSet[Any] = weakref.WeakSet()


class MetricsMiddleware:
    """Count and time every HTTP request by method, URL pattern (never the raw path) and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        method = request.method if request.method in HTTP_METHODS else "other"
        route = _route_of(request)
        HTTP_DURATION.labels(method, route).observe(elapsed)
        HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
        return response


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Answer the metrics in Prometheus' text format to allowed scrapers; 404 to anyone else."""
    if not _may_scrape(request):
        raise Http404
    return HttpResponse(generate_latest(_scrape_registry()), content_type=CONTENT_TYPE_LATEST)


def job_started(*, task_id: str, **kwargs: Any) -> None:
    """Note when a job starts (Celery ``task_prerun``)."""
    _job_started[task_id] = time.perf_counter()


def job_finished(
    *, task_id: str, task: Task[Any, Any], state: str | None = None, **kwargs: Any
) -> None:
    """Record how long a job ran (Celery ``task_postrun``)."""
    started = _job_started.pop(task_id, None)
    if started is not None:
        JOB_DURATION.labels(task.name).observe(time.perf_counter() - started)
    if state is None:
        # The error went straight up to the caller (an eager job that propagates errors):
        # Celery sends no task_failure then, so the failure is counted here.
        JOB_FAILURES.labels(task.name).inc()


def job_failed(*, sender: Task[Any, Any], **kwargs: Any) -> None:
    """Count a job that raised (Celery ``task_failure``)."""
    JOB_FAILURES.labels(sender.name).inc()


def fanout_observed(*, entry_id: int, added: bool) -> None:
    """Record how long after its creation a new entry reached its followers' feeds."""
    if added:
        FANOUT_LAG.observe(max(0.0, time.time() - created_at(entry_id).timestamp()))


def event_handler_failed(*, event: str, handler: str) -> None:
    """Count an event subscriber that raised."""
    EVENT_HANDLER_FAILURES.labels(event, handler).inc()


def websocket_opened(consumer: object) -> None:
    """Count an accepted websocket connection."""
    _open_sockets.add(consumer)
    WEBSOCKETS.inc()


def websocket_closed(consumer: object) -> None:
    """Uncount a websocket connection, if it was accepted and counted."""
    if consumer in _open_sockets:
        _open_sockets.discard(consumer)
        WEBSOCKETS.dec()


def check_allowed_ips(**kwargs: Any) -> list[checks.CheckMessage]:
    """Report entries of GLIMPSE_METRICS_ALLOWED_IPS that are not addresses or networks."""
    errors: list[checks.CheckMessage] = []
    for item in settings.GLIMPSE_METRICS_ALLOWED_IPS:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            message = f"GLIMPSE_METRICS_ALLOWED_IPS: {item!r} is not an address or a network."
            errors.append(checks.Error(message, id="glimpse.E001"))
    return errors


class QueueDepthCollector(Collector):
    """Read how many jobs wait in each of the broker's queues, at scrape time (Redis only)."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """Name the metric without reading the broker (called at registration)."""
        yield _queue_family()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield each queue's length, or nothing when the broker is not Redis or is down."""
        url = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://")):
            return
        default = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        queues = [default]
        for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or ():
            if queue.name not in queues:  # interactive, media: a backlog shows per queue
                queues.append(queue.name)
        try:
            with _broker_client(url).pipeline(transaction=False) as pipe:
                for queue in queues:
                    pipe.llen(queue)
                depths = pipe.execute()
        except (redis.RedisError, OSError):
            logger.warning("metrics: the broker could not be read; queue depth skipped")
            return
        family = _queue_family()
        for queue, depth in zip(queues, depths, strict=True):
            family.add_metric([queue], depth)
        yield family


def _route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return UNMATCHED if match is None else "/" + match.route


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.GLIMPSE_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    if not settings.GLIMPSE_METRICS_ALLOWED_IPS:
        return False
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False  # proxied: the peer address is the proxy's, whoever the visitor is
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # a dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d
    return any(
        address in network for network in _networks(tuple(settings.GLIMPSE_METRICS_ALLOWED_IPS))
    )


@lru_cache(maxsize=8)
def _networks(
    allowed: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in allowed)


def _scrape_registry() -> CollectorRegistry:
    """Return this process's registry, or one adding up every process's files."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(QUEUE_DEPTH)
    return registry


def _queue_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "glimpse_queue_depth", "Jobs waiting in the broker's queue.", labels=["queue"]
    )


@lru_cache(maxsize=4)
def _broker_client(url: str) -> redis.Redis:
    # Short timeouts: a broker that hangs must not hold the scrape past Prometheus' own limit.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


QUEUE_DEPTH = QueueDepthCollector()
REGISTRY.register(QUEUE_DEPTH)
