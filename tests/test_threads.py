"""The helper that races service calls in threads: bounded, on connections of its own, clean."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import _state as celery_state
from celery import shared_task
from django.db import connection

from tests.threads import THREADS, run_at_once, writable_by_threads

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30  # seconds; only reached if the ordering below is broken
steps: dict[str, threading.Event] = {}


@pytest.fixture
def _steps() -> Iterator[None]:
    steps.update((name, threading.Event()) for name in ("first in", "second in", "first out"))
    yield
    steps.clear()


@shared_task(name="tests.threads.overlapping")
def overlapping(which: str) -> str:
    """Run while the other thread's job runs too, ending first if started first."""
    if which == "first":
        steps["first in"].set()
        assert steps["second in"].wait(WAIT)
    else:
        steps["second in"].set()
        assert steps["first out"].wait(WAIT)
    return which


@shared_task(name="tests.threads.plain")
def plain() -> str:
    """A job with nothing to it."""
    return "done"


@pytest.mark.usefixtures("_steps")
def test_eager_jobs_overlapping_in_threads_leave_result_get_working(tmp_path: Path) -> None:
    # The first job starts first and ends first, while the second runs: the order in which
    # Celery's process-wide "inside a job" flag gets put back wrongly.
    def first() -> object:
        result = overlapping.delay("first").result  # .get() could raise here, inside threads
        steps["first out"].set()
        return result

    def second() -> object:
        assert steps["first in"].wait(WAIT)
        return overlapping.delay("second").result

    # From a known state: an earlier test of this worker process (a browser test's live
    # server running jobs in its own thread) may have left the flag set already, and this
    # test is about what run_at_once leaves, not what came before it.
    celery_state._set_task_join_will_block(False)  # type: ignore[attr-defined]
    with writable_by_threads(tmp_path) as use:
        assert run_at_once([first, second], use=use) == ["first", "second"]
    assert plain.delay().get() == "done"  # not "Never call result.get() within a task"


def test_many_calls_share_a_few_threads_each_on_a_connection_of_its_own(tmp_path: Path) -> None:
    def where() -> tuple[int, int]:
        return threading.get_ident(), id(connection.connection)

    with writable_by_threads(tmp_path) as use:
        seen = run_at_once([where] * (THREADS * 4), use=use)
    threads = {thread for thread, _ in seen}
    assert len(threads) == THREADS
    # Each thread kept one connection for all its calls, and no two threads shared one.
    assert len(set(seen)) == THREADS
    assert len({conn for _, conn in seen}) == THREADS
    assert threading.get_ident() not in threads
