"""One real job through the real broker to a real Celery worker process, and its effect.

Everything else in the suite runs jobs eagerly, in the test process. This test starts the
production worker (the Procfile's line) in a process of its own, on a queue of its own, sends
it one of the project's jobs through the broker, and waits for what the job writes into the
test database. It needs a real broker and PostgreSQL (a worker process cannot see the
in-memory SQLite test database); CI runs it on RabbitMQ (`pytest -m broker`, in .ci/run).
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.result import AsyncResult, EagerResult
from django.conf import settings
from django.db import connection
from kombu import Connection, Queue

from config.celery import app as celery_app
from glimpse.graph.services import follow_create
from glimpse.notifications.models import Notification, NotificationActor
from glimpse.notifications.tasks import notification_sync_job

BASE_DIR = Path(__file__).resolve().parents[2]
DEADLINE = 60  # seconds for the job's effect to show; a loaded machine is slow to start one

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True),  # committed: the worker reads it
    pytest.mark.skipif(
        settings.CELERY_BROKER_URL.startswith("memory://"),
        reason="needs a real broker (CELERY_BROKER_URL); CI runs it on RabbitMQ",
    ),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="a worker process cannot see the in-memory SQLite test database; "
        "CI runs it on PostgreSQL",
    ),
]


def database_url_of_the_tests() -> str:
    """Return a DATABASE_URL naming the test database this process uses."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Start the Procfile's worker on a queue of its own; yield the queue and its log."""
    queue = f"test-broker-{uuid.uuid4().hex}"
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_XDIST_WORKER")},
        "DATABASE_URL": database_url_of_the_tests(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "GLIMPSE_CELERY_QUEUE": queue,
        "GLIMPSE_TESTING": "0",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    [line] = [
        x for x in (BASE_DIR / "Procfile").read_text().splitlines() if x.startswith("worker:")
    ]
    argv = shlex.split(line.partition(":")[2])
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*argv, "--concurrency", "1", "--hostname", f"{queue}@%h"],
            cwd=BASE_DIR,
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool's children go with it
        )
    try:
        yield queue, log
    finally:
        _stop(process)
        # Leave nothing behind on the broker: the worker declared its queues.
        with Connection(settings.CELERY_BROKER_URL) as broker:
            for name in (queue, f"{queue}.media", f"{queue}.interactive"):
                Queue(name).bind(broker.default_channel).delete()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask the worker for a warm shutdown; kill its process group if it does not stop."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def published() -> Iterator[None]:
    """Send jobs to the broker from this process instead of running them eagerly."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager


def test_a_job_goes_through_the_broker_to_a_worker_process(
    worker: tuple[str, Path], make_user
) -> None:
    queue, log = worker
    star, fan = make_user("star"), make_user("fan")
    follow_create(follower=fan, followee=star)
    # The follow's notification job ran eagerly in this process: undo its effect, so that
    # only the worker can bring it back.
    NotificationActor.objects.all().delete()
    Notification.objects.all().delete()

    with published():
        result = notification_sync_job.apply_async(
            # The notifications job's own queue, under this test's name.
            args=("follow", fan.pk, star.pk, None, None, None, "", False),
            queue=f"{queue}.interactive",
        )
    assert isinstance(result, AsyncResult)
    assert not isinstance(result, EagerResult)

    deadline = time.monotonic() + DEADLINE
    while not Notification.objects.filter(recipient=star, kind="follow").exists():
        assert time.monotonic() < deadline, f"no effect in {DEADLINE} s:\n{log.read_text()}"
        time.sleep(0.2)  # polling the database for the worker's write
    [entry] = Notification.objects.filter(recipient=star)
    assert entry.actor_count == 1
    assert list(NotificationActor.objects.values_list("actor_id", flat=True)) == [fan.pk]
