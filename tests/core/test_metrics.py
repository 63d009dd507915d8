"""/metrics: each metric driven by the real thing, the access rule, and multi-process mode."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from asgiref.sync import async_to_sync, sync_to_async
from celery import shared_task
from django.conf import LazySettings
from django.core.checks import run_checks
from django.test import Client
from kombu import Queue
from prometheus_client.parser import text_string_to_metric_families

from config import settings as default_settings
from glimpse.core.ids import SEQUENCE_BITS, created_at, lowest_id_at
from glimpse.feeds.stores import RedisStore, feed_store
from glimpse.feeds.tasks import feed_fan_out, feed_rebuild
from tests.feeds.conftest import flush
from tests.posts.conftest import follow
from tests.realtime.conftest import open_ready, session_cookie, socket

BASE_DIR = Path(__file__).resolve().parents[2]

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@shared_task(name="tests.metrics.boom")
def boom() -> None:
    """A job that always fails."""
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _scraper_on_this_host(settings: LazySettings) -> None:
    """Let the test client (127.0.0.1, no proxy) scrape, as a Prometheus on the host would."""
    settings.GLIMPSE_METRICS_ALLOWED_IPS = ["127.0.0.1"]


def scrape(**extra: Any) -> Samples:
    """Read /metrics the way Prometheus does and return every sample by name and labels."""
    response = Client().get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return parse(response.content.decode())


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests_of(samples: Samples, route: str, status: str, method: str = "GET") -> float:
    labels = {"method": method, "route": route, "status": status}
    return value(samples, "glimpse_http_requests_total", **labels)


# --- HTTP requests ------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_counted_by_route_pattern_never_by_path() -> None:
    client = Client()
    before = scrape()
    client.get("/api/glimpse/v1/posts/111111")
    client.get("/api/glimpse/v1/posts/222222")
    client.get("/healthz")
    client.get("/no/such/page/anywhere")
    after = scrape()

    route = "/api/glimpse/v1/posts/<post_id>"
    assert requests_of(after, route, "404") - requests_of(before, route, "404") == 2
    assert requests_of(after, "/healthz", "200") - requests_of(before, "/healthz", "200") == 1
    assert requests_of(after, "unmatched", "404") - requests_of(before, "unmatched", "404") == 1
    count = "glimpse_http_request_duration_seconds_count"
    assert value(after, count, method="GET", route=route) - value(
        before, count, method="GET", route=route
    ) == pytest.approx(2)
    labels = {label for _, sample_labels in after for label in sample_labels}
    assert not any("111111" in label_value for _, label_value in labels)


@pytest.mark.django_db
def test_unknown_methods_share_one_label() -> None:
    before = scrape()
    Client().generic("BREW", "/healthz")
    after = scrape()
    brewed = requests_of(after, "/healthz", "200", "other")
    assert brewed - requests_of(before, "/healthz", "200", "other") == 1
    assert not any(("method", "BREW") in labels for _, labels in after)


# --- Access -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_refuse_other_addresses_without_the_token(settings: LazySettings) -> None:
    settings.GLIMPSE_METRICS_TOKEN = "scrape-secret-123"
    far = Client(REMOTE_ADDR="10.0.0.5")

    assert far.get("/metrics").status_code == 404
    assert far.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed").status_code == 404
    allowed = far.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-123")
    assert allowed.status_code == 200
    assert b"glimpse_http_requests_total" in allowed.content


@pytest.mark.django_db
def test_metrics_without_a_token_setting_ignore_bearer_headers(settings: LazySettings) -> None:
    settings.GLIMPSE_METRICS_TOKEN = ""
    answer = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ", REMOTE_ADDR="10.0.0.5")
    assert answer.status_code == 404


@pytest.mark.django_db
def test_metrics_answer_nobody_by_default(settings: LazySettings) -> None:
    settings.GLIMPSE_METRICS_ALLOWED_IPS = list(default_settings.GLIMPSE_METRICS_ALLOWED_IPS)
    settings.GLIMPSE_METRICS_TOKEN = default_settings.GLIMPSE_METRICS_TOKEN
    assert settings.GLIMPSE_METRICS_ALLOWED_IPS == []
    for address in ("127.0.0.1", "::1", "10.0.0.5"):
        answer = Client(REMOTE_ADDR=address).get("/metrics")
        assert answer.status_code == 404
        assert b"glimpse_" not in answer.content


@pytest.mark.django_db
def test_metrics_behind_a_same_host_proxy_need_the_token(settings: LazySettings) -> None:
    """gunicorn on 127.0.0.1 behind a proxy on the host: every visitor's peer is 127.0.0.1."""
    settings.GLIMPSE_METRICS_ALLOWED_IPS = ["127.0.0.1", "::1"]
    settings.GLIMPSE_METRICS_TOKEN = "scrape-secret-123"
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for header, value in (
        ("HTTP_X_FORWARDED_FOR", "203.0.113.9"),
        ("HTTP_X_FORWARDED_FOR", "127.0.0.1"),  # a forged value is not believed either
        ("HTTP_FORWARDED", "for=203.0.113.9"),
        ("HTTP_X_REAL_IP", "203.0.113.9"),
    ):
        forwarded: dict[str, Any] = {header: value}
        answer = proxy.get("/metrics", **forwarded)
        assert answer.status_code == 404, header
        assert b"glimpse_" not in answer.content
    # A listed address is never widened by a forwarding header naming it either.
    far = Client(REMOTE_ADDR="203.0.113.9")
    assert far.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404
    # The scraper sends the token through the same proxy.
    token = proxy.get(
        "/metrics",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_AUTHORIZATION="Bearer scrape-secret-123",
    )
    assert token.status_code == 200
    # A scraper on the host itself, not through the proxy, is let in by its address.
    assert proxy.get("/metrics").status_code == 200


@pytest.mark.django_db
def test_metrics_answer_listed_addresses_and_networks(settings: LazySettings) -> None:
    settings.GLIMPSE_METRICS_ALLOWED_IPS = ["10.1.0.0/16", "::1"]
    client = Client()
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="not-an-address").status_code == 404


# --- Jobs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_eager_jobs_are_timed_and_failures_counted(make_user) -> None:
    user = make_user()
    before = scrape()
    feed_rebuild.delay(user.pk)
    with pytest.raises(RuntimeError, match="boom"):
        boom.delay()  # the error reaches the caller (eager jobs propagate errors here)
    assert boom.apply(throw=False).failed()  # the error is kept in the result
    after = scrape()

    count = "glimpse_job_duration_seconds_count"
    failures = "glimpse_job_failures_total"
    for task, runs, failed in (("feeds.rebuild", 1, 0), ("tests.metrics.boom", 2, 2)):
        ran = value(after, count, task=task) - value(before, count, task=task)
        assert ran == runs, task
        assert value(after, failures, task=task) - value(before, failures, task=task) == failed


# --- Queue depth --------------------------------------------------------------------------


@pytest.fixture
def redis_queue(settings: LazySettings, redis_url: str) -> Iterator[tuple[redis.Redis, str]]:
    """Point the broker at the test Redis, with a queue name of this test's own."""
    url = redis_url
    queue = f"test-queue-{uuid.uuid4().hex}"
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    client = redis.Redis.from_url(url)
    yield client, queue
    client.delete(queue)


@pytest.mark.django_db
def test_queue_depth_is_read_from_a_redis_broker(redis_queue) -> None:
    client, queue = redis_queue
    client.rpush(queue, "job-1", "job-2", "job-3")
    assert value(scrape(), "glimpse_queue_depth", queue=queue) == 3
    client.lpop(queue)
    assert value(scrape(), "glimpse_queue_depth", queue=queue) == 2


@pytest.mark.django_db
def test_queue_depth_is_read_for_every_queue(redis_queue, settings: LazySettings) -> None:
    client, queue = redis_queue
    interactive = f"{queue}.interactive"
    settings.CELERY_TASK_QUEUES = [Queue(queue), Queue(interactive)]
    try:
        client.rpush(interactive, "job-1", "job-2")
        samples = scrape()
    finally:
        client.delete(interactive)
    assert value(samples, "glimpse_queue_depth", queue=interactive) == 2
    assert ("glimpse_queue_depth", frozenset({("queue", queue)})) in samples  # empty: 0


@pytest.mark.django_db
def test_queue_depth_is_absent_on_the_memory_broker(settings: LazySettings) -> None:
    settings.CELERY_BROKER_URL = "memory://"
    assert not any(name == "glimpse_queue_depth" for name, _ in scrape())


@pytest.mark.django_db
def test_an_unreachable_broker_never_fails_the_scrape(settings: LazySettings, caplog) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with caplog.at_level(logging.WARNING, logger="glimpse.core.metrics"):
        samples = scrape()
    assert not any(name == "glimpse_queue_depth" for name, _ in samples)
    assert any("queue depth skipped" in record.getMessage() for record in caplog.records)


# --- Fan-out lag --------------------------------------------------------------------------


@pytest.fixture
def redis_feeds(settings: LazySettings, redis_url: str) -> Iterator[RedisStore]:
    """Feeds in Redis under keys of this test's own, deleted afterwards."""
    settings.GLIMPSE_FEED_REDIS_URL = redis_url
    settings.GLIMPSE_FEED_KEY_PREFIX = f"test:feed:metrics:{uuid.uuid4().hex}:"
    store = feed_store()
    assert isinstance(store, RedisStore)
    yield store
    flush(store)


@pytest.mark.django_db
def test_fan_out_lag_is_measured_from_the_entry_id(make_user, redis_feeds) -> None:
    author, reader = make_user(), make_user()
    follow(reader, author)
    # An entry made five seconds ago: its id carries that moment.
    made = datetime.now(UTC) - timedelta(seconds=5)
    entry_id = lowest_id_at(made) | (7 << SEQUENCE_BITS)
    assert abs((created_at(entry_id) - made).total_seconds()) < 0.002
    before = scrape()
    assert feed_fan_out.delay(author.pk, entry_id, "p", True).get() == 2
    middle = scrape()
    feed_fan_out.delay(author.pk, entry_id, "p", False)  # a removal is no fan-out lag
    after = scrape()

    count, total = "glimpse_feed_fanout_lag_seconds_count", "glimpse_feed_fanout_lag_seconds_sum"
    assert value(middle, count) - value(before, count) == 1
    assert 5 <= value(middle, total) - value(before, total) < 60
    bucket = "glimpse_feed_fanout_lag_seconds_bucket"
    assert value(middle, bucket, le="2.5") == value(before, bucket, le="2.5")
    assert value(middle, bucket, le="10.0") - value(before, bucket, le="10.0") == 1
    assert value(after, count) == value(middle, count)


# --- Websockets ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_websocket_connections_gauge_follows_accepted_sockets(user) -> None:
    cookie = session_cookie(user)
    gauge = "glimpse_websocket_connections"
    read = sync_to_async(lambda: value(scrape(), gauge))

    async def scenario() -> list[float]:
        seen = [await read()]
        first, second = socket(session=cookie), socket(session=cookie)
        await open_ready(first)
        await open_ready(second)
        seen.append(await read())
        await first.disconnect(timeout=10)  # leaving its groups in Redis: slow when busy
        seen.append(await read())
        refused = socket()  # anonymous: closed before being accepted
        connected, _ = await refused.connect(timeout=5)
        assert not connected
        await refused.disconnect()
        seen.append(await read())
        await second.disconnect(timeout=10)
        seen.append(await read())
        return seen

    start, *rest = async_to_sync(scenario)()
    assert [seen - start for seen in rest] == [2, 1, 1, 0]


# --- Several processes --------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import os, sys
    import django
    django.setup()
    from django.test import Client
    from glimpse.core import metrics
    from prometheus_client import multiprocess

    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            Client().get("/healthz")
            socket = type("Socket", (), {})()
            metrics.websocket_opened(socket)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    print(Client().get("/metrics").content.decode())
    print("=====")
    multiprocess.mark_process_dead(children[0])
    print(Client().get("/metrics").content.decode())
    """
)


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path) -> None:
    folder = tmp_path / "prometheus"
    folder.mkdir()
    inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env = {
        **inherited,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GLIMPSE_TESTING": "1",
        "GLIMPSE_METRICS_ALLOWED_IPS": "127.0.0.1",
        "GLIMPSE_DATA_DIR": str(tmp_path / "data"),
        "CELERY_BROKER_URL": "memory://",
    }
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    both, one_dead = (parse(part) for part in result.stdout.split("=====\n"))
    labels = {"method": "GET", "route": "/healthz", "status": "200"}
    assert value(both, "glimpse_http_requests_total", **labels) == 2
    assert value(both, "glimpse_websocket_connections") == 2
    # livesum: a dead worker's open sockets no longer count once it is marked dead.
    assert value(one_dead, "glimpse_websocket_connections") == 1
    assert value(one_dead, "glimpse_http_requests_total", **labels) == 2


def test_an_ipv4_peer_on_a_dual_stack_socket_is_recognised() -> None:
    assert Client(REMOTE_ADDR="::ffff:127.0.0.1").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="::ffff:10.0.0.5").get("/metrics").status_code == 404


def test_a_malformed_allowed_address_fails_the_system_check(settings: LazySettings) -> None:
    settings.GLIMPSE_METRICS_ALLOWED_IPS = ["127.0.0.1", "10.0.0.0/40", "localhost"]
    found = [error for error in run_checks() if error.id == "glimpse.E001"]
    assert [error.id for error in found] == ["glimpse.E001", "glimpse.E001"]
    assert "'10.0.0.0/40'" in found[0].msg
    assert "'localhost'" in found[1].msg
    settings.GLIMPSE_METRICS_ALLOWED_IPS = ["127.0.0.1", "::1", "10.0.0.0/8"]
    assert [error for error in run_checks() if error.id == "glimpse.E001"] == []
