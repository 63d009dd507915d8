"""Send background jobs after the transaction commits, to Celery or to an in-process pool.

At scale a job goes to the Celery broker. On the embedded default (no broker) Celery runs
jobs eagerly; `make run` sets GLIMPSE_JOBS_IN_THREADS so that they run in a small thread pool
instead, and a slow job (a video transcode) does not hold up the request that queued it.

Every job is a ``Job``: when the database or Redis is unreachable it is retried later, with
a growing delay, instead of failing for good (and being acknowledged, its effect lost).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Task
from django.conf import settings
from django.db import close_old_connections, transaction

from glimpse.core.unavailable import UNAVAILABLE_ERRORS

logger = logging.getLogger(__name__)


class Job(Task[Any, Any]):
    """The base of every job: retried while a backing service is down (about 8 minutes)."""

    autoretry_for = UNAVAILABLE_ERRORS
    retry_backoff = True
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 12


_pool: ThreadPoolExecutor | None = None


def enqueue_on_commit(task: Task[Any, Any], *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args))


def enqueue(task: Task[Any, Any], *args: Any) -> None:
    """Queue ``task(*args)`` now."""
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.GLIMPSE_JOBS_IN_THREADS:
        _thread_pool().submit(_run_in_thread, task, args)
    else:
        task.delay(*args)


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="glimpse-job")
    return _pool


def _run_in_thread(task: Task[Any, Any], args: tuple[Any, ...]) -> None:
    try:
        task.apply(args=args, throw=True)
    except Exception:
        logger.exception("job %s%r failed", task.name, args)
    finally:
        close_old_connections()
