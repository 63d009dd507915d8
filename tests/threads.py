"""Run service calls from many threads at once against a database they can all write to.

PostgreSQL gives each thread its own connection to the test database, and the writes really
race. The embedded default's test database is SQLite in memory with a shared cache, where a
second writer fails at once with "database table is locked" instead of waiting: so on SQLite
the threads work on a file copy of it, in WAL mode with a busy timeout, exactly like the
embedded default's own file, and the database serializes their write transactions.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections


@contextmanager
def writable_by_threads(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Yield the function a new thread calls first to reach the shared database.

    Inside the block the calling thread uses it too, so it can read what the threads wrote.
    """
    if connection.vendor != "sqlite":
        yield lambda: None
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
    wrapper_class = type(connections[DEFAULT_DB_ALIAS])
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
    """Run every call in its own thread, all released together; return what each returned.

    Raises the failures together if any call raised.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[Exception] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        use()
        try:
            barrier.wait(timeout=60)
            results[index] = call()
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    if failures:
        raise ExceptionGroup("calls failed", failures)
    return results
