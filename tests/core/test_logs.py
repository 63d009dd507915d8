"""Request ids (header in, header out, into jobs) and JSON log lines that carry them."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import shared_task
from celery.worker.request import Request
from django.core.cache import cache
from django.test import Client
from kombu import Connection

from config.celery import app as celery_app
from glimpse.core.logs import ContextFilter, JsonFormatter
from glimpse.core.request_id import JOB_HEADER, REQUEST_ID

BASE_DIR = Path(__file__).resolve().parents[2]
HEX_ID = re.compile(r"[0-9a-f]{32}")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")

seen_in_job: list[str | None] = []


@shared_task(name="tests.logs.report")
def report() -> None:
    """Log a line and note the request id the job runs under."""
    seen_in_job.append(REQUEST_ID.get())
    logging.getLogger("tests.logs.job").warning("inside the job")


@pytest.fixture
def json_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Capture what the root logger writes in the production format; read it as JSON objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.fixture(autouse=True)
def _no_request_id() -> Iterator[None]:
    seen_in_job.clear()
    assert REQUEST_ID.get() is None
    yield
    assert REQUEST_ID.get() is None


# --- The request id of a request ----------------------------------------------------------


@pytest.mark.parametrize("sent", ["abc-123", "Trace.ID_9", "x" * 64])
def test_a_sane_request_id_is_kept_and_echoed(sent: str) -> None:
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["", "x" * 65, "has space", "semi;colon", "é", "a\nb"])
def test_an_insane_request_id_is_replaced(sent: str) -> None:
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert HEX_ID.fullmatch(response["X-Request-ID"])
    assert response["X-Request-ID"] != sent


def test_a_request_without_an_id_gets_a_new_one_each_time() -> None:
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz")["X-Request-ID"]
    assert HEX_ID.fullmatch(first)
    assert HEX_ID.fullmatch(second)
    assert first != second


def test_error_pages_carry_the_request_id_too() -> None:
    response = Client().get("/no/such/page/anywhere", HTTP_X_REQUEST_ID="lost-1")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lost-1"


# --- JSON lines ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_log_line_of_a_request_is_json_with_its_request_id(json_lines, monkeypatch) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", unreachable)
    response = Client().get("/readyz", HTTP_X_REQUEST_ID="ready-check-7")
    assert response.status_code == 503

    [line] = [line for line in json_lines() if line["logger"] == "glimpse.core.views"]
    assert line["request_id"] == "ready-check-7"
    assert line["level"] == "ERROR"
    assert line["message"] == "readiness: cache unreachable"
    assert ISO_UTC.fullmatch(line["time"])
    assert "Traceback" in line["exc_info"]
    assert "ConnectionError: cache down" in line["exc_info"]
    assert "task" not in line
    assert "task_id" not in line


def test_a_log_line_outside_requests_and_jobs_has_no_context(json_lines) -> None:
    logging.getLogger("tests.logs").warning("plain %s", "words")
    [line] = json_lines()
    assert set(line) == {"time", "level", "logger", "message"}
    assert line["message"] == "plain words"
    assert line["level"] == "WARNING"


# --- Into jobs ----------------------------------------------------------------------------


def test_an_eager_job_logs_with_the_request_id_it_runs_under(json_lines) -> None:
    token = REQUEST_ID.set("req-eager-1")
    try:
        result = report.delay()
    finally:
        REQUEST_ID.reset(token)
    [line] = [line for line in json_lines() if line["logger"] == "tests.logs.job"]
    assert line["request_id"] == "req-eager-1"
    assert line["task"] == "tests.logs.report"
    assert line["task_id"] == result.id
    assert seen_in_job == ["req-eager-1"]


def test_a_job_takes_the_request_id_of_its_headers_and_clears_it(json_lines) -> None:
    report.apply(headers={JOB_HEADER: "from-header-2"})
    report.apply(headers={JOB_HEADER: "no good"})  # not a sane id: ignored
    assert seen_in_job == ["from-header-2", None]
    assert REQUEST_ID.get() is None
    lines = [line for line in json_lines() if line["logger"] == "tests.logs.job"]
    assert [line.get("request_id") for line in lines] == ["from-header-2", None]


@pytest.fixture
def publishing() -> Iterator[None]:
    """Let jobs be published to a broker instead of running eagerly."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of this test's own, taken out of the app's queues again afterwards (publishing
    to a queue the app does not know adds it to them, which other tests would then see)."""
    name = f"tests-logs-{uuid.uuid4().hex}"
    yield name
    celery_app.amqp.queues.pop(name, None)


@pytest.mark.usefixtures("publishing")
def test_a_published_job_carries_the_request_id_to_the_worker(queue_name: str) -> None:
    name = queue_name
    with Connection("memory://") as connection:
        queue = connection.SimpleQueue(name)
        token = REQUEST_ID.set("req-published-3")
        try:
            with connection.Producer() as producer:
                report.apply_async(producer=producer, queue=name)
        finally:
            REQUEST_ID.reset(token)
        with connection.Producer() as producer:
            report.apply_async(producer=producer, queue=name)  # published outside any request
        carried, bare = queue.get(timeout=2), queue.get(timeout=2)
        queue.close()

        assert carried.headers[JOB_HEADER] == "req-published-3"
        assert carried.headers["task"] == "tests.logs.report"
        assert JOB_HEADER not in bare.headers
        # What a worker does with each message.
        for message in (carried, bare):
            Request(message, app=celery_app, task=report).execute()
    assert seen_in_job == ["req-published-3", None]


# --- The LOGGING setting ------------------------------------------------------------------

LOG_ONE_LINE = "import django, logging; django.setup(); logging.getLogger('probe').warning('hi')"
CHOSEN_BY = ("GLIMPSE_ENV", "GLIMPSE_LOG_FORMAT", "SENTRY_DSN", "DATABASE_URL", "REDIS_URL")
PRODUCTION = {
    "GLIMPSE_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "glimpse.example",
}


def logged_line(tmp_path: Path, **env: str) -> str:
    """Start Django in a fresh process with these variables; return what one warning printed."""
    inherited = {name: value for name, value in os.environ.items() if name not in CHOSEN_BY}
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE],
        cwd=BASE_DIR,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "GLIMPSE_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_logs_are_json_by_default_in_production(tmp_path: Path) -> None:
    line = json.loads(logged_line(tmp_path, **PRODUCTION))
    assert line["logger"] == "probe"
    assert line["message"] == "hi"
    assert line["level"] == "WARNING"
    assert ISO_UTC.fullmatch(line["time"])


def test_logs_are_plain_by_default_elsewhere(tmp_path: Path) -> None:
    assert logged_line(tmp_path).endswith(" WARNING probe hi")


def test_the_log_format_can_be_chosen(tmp_path: Path) -> None:
    assert json.loads(logged_line(tmp_path, GLIMPSE_LOG_FORMAT="json"))["message"] == "hi"
    plain = logged_line(tmp_path, **PRODUCTION, GLIMPSE_LOG_FORMAT="plain")
    assert plain.endswith(" WARNING probe hi")
