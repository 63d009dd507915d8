"""Run service calls from several threads at once against a database they can all write to.

A few threads (``THREADS``) share the calls out between them. Each opens a database
connection of its own before they are all released together, so that the calls really race
in the database, and no thread ever waits for a connection once released: on a loaded
machine, fifty threads queueing for a pool of ten used to run out of the pool's timeout
instead of testing anything.

PostgreSQL: each thread connects to the test database directly, outside the connection pool
(which is sized for requests, not for this). The embedded default's test database is SQLite
in memory with a shared cache, where a second writer fails at once with "database table is
locked" instead of waiting: so on SQLite the threads work on a file copy of it, in WAL mode
with a busy timeout, exactly like the embedded default's own file, and the database
serializes their write transactions.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from celery.result import allow_join_result
from django.db import DEFAULT_DB_ALIAS, connection, connections

# For tests of runs that lock rows with SKIP LOCKED, which only PostgreSQL has.
skip_locked_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks that skip locked rows are PostgreSQL's"
)

# How many calls run at the same moment, each in a thread with a connection of its own.
THREADS = 8


@contextmanager
def writable_by_threads(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Yield the function a new thread calls first to reach the shared database.

    On SQLite the calling thread uses it too inside the block, so that it reads what the
    threads wrote; on PostgreSQL it reads them through its own connection.
    """
    wrapper_class = type(connections[DEFAULT_DB_ALIAS])
    if connection.vendor != "sqlite":
        options = {k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "pool"}
        direct = {**connection.settings_dict, "OPTIONS": options}

        def connect_directly() -> None:
            connections[DEFAULT_DB_ALIAS] = wrapper_class(direct, DEFAULT_DB_ALIAS)

        yield connect_directly
        return
    path = tmp_path / "threads.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    # Switch to WAL now, alone: connections that switch a file at the same moment get
    # "database is locked" at once, without waiting for the busy timeout.
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    settings = {**connection.settings_dict, "NAME": str(path)}
    main = connections[DEFAULT_DB_ALIAS]

    def use() -> None:
        connections[DEFAULT_DB_ALIAS] = wrapper_class(settings, DEFAULT_DB_ALIAS)

    use()
    try:
        yield use
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = main


def run_at_once(calls: Sequence[Callable[[], Any]], *, use: Callable[[], None]) -> list[Any]:
    """Run the calls from ``THREADS`` threads released together; return what each returned.

    Thread n runs calls n, n + THREADS, ... one after the other. Raises the failures
    together if any call raised.
    """
    lanes = min(THREADS, len(calls))
    barrier = threading.Barrier(lanes)
    results: list[Any] = [None] * len(calls)
    failures: list[Exception] = []

    def run(lane: int) -> None:
        try:
            use()
            connection.ensure_connection()
            barrier.wait(timeout=60)
            for index in range(lane, len(calls), lanes):
                try:
                    results[index] = calls[index]()
                except Exception as exc:
                    failures.append(exc)
        except Exception as exc:  # no connection, or another thread had none
            barrier.abort()
            failures.append(exc)
        finally:
            connection.close()

    # Celery keeps "a job is running here" in one flag for the whole process, which an eager
    # job sets and puts back as it found it. Jobs in threads that end in another order than
    # they started can leave it set, and every later result.get() in the process then fails
    # with "Never call result.get() within a task": put it back as it was before the threads.
    with allow_join_result():
        threads = [threading.Thread(target=run, args=(lane,)) for lane in range(lanes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    if failures:
        raise ExceptionGroup("calls failed", failures)
    return results
