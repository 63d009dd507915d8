"""A job that finds the database or Redis down is retried later, not dropped."""

from __future__ import annotations

import pytest
from celery import shared_task
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from config.celery import app
from glimpse.core.jobs import Job
from glimpse.media.tasks import media_process

attempts: list[int] = []


@shared_task(name="tests.flaky_until_third_try")
def flaky_until_third_try(error: str) -> str:
    """Fail twice the way a restarting service does, then succeed."""
    attempts.append(1)
    if len(attempts) < 3:
        raise {"database": OperationalError, "redis": RedisConnectionError}[error]("down")
    return "done"


@shared_task(name="tests.buggy")
def buggy() -> None:
    """Fail the way a bug does."""
    attempts.append(1)
    raise ZeroDivisionError


@pytest.fixture(autouse=True)
def _run_retries_eagerly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests propagate a job's exception; a retry is then raised instead of run again.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_every_task_of_the_project_is_a_job() -> None:
    assert isinstance(media_process, Job)
    assert isinstance(flaky_until_third_try, Job)


@pytest.mark.parametrize("error", ["database", "redis"])
def test_a_job_is_retried_while_a_service_is_down(error: str) -> None:
    attempts.clear()
    result = flaky_until_third_try.apply(args=(error,))
    assert result.get() == "done"
    assert len(attempts) == 3


def test_a_bug_is_not_retried() -> None:
    attempts.clear()
    result = buggy.apply()
    assert result.failed()
    assert len(attempts) == 1
