"""Where generated rows go: PostgreSQL COPY, or executemany on SQLite; and the progress bar."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from django.db import connection
from django.db.models import Field, Model

Row = tuple[Any, ...]


class Sink:
    """Write batches of rows, given as field names and tuples, into a model's table."""

    def __init__(self) -> None:
        self.rows: Counter[str] = Counter()
        self.is_postgres = connection.vendor == "postgresql"

    def write(self, model: type[Model], fields: Sequence[str], rows: Sequence[Row]) -> None:
        """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table."""
        if not rows:
            return
        meta = model._meta
        table = connection.ops.quote_name(meta.db_table)
        columns = ", ".join(connection.ops.quote_name(_column(model, f)) for f in fields)
        with connection.cursor() as cursor:
            if self.is_postgres:
                # write_row measured faster than joining pre-formatted text lines in Python:
                # psycopg's C transformer escapes and encodes each value (docs/dataset.md).
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                # Table and column names come from the models, never from input.
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)
        self.rows[meta.db_table] += len(rows)


class Batches:
    """Collect rows per model and flush them to a sink every ``size`` rows of any one."""

    def __init__(self, sink: Sink, size: int = 20_000) -> None:
        self.sink = sink
        self.size = size
        self._pending: dict[type[Model], tuple[Sequence[str], list[Row]]] = {}

    def add(self, model: type[Model], fields: Sequence[str], row: Row) -> None:
        """Queue one row; write its model's batch once it is full."""
        entry = self._pending.get(model)
        if entry is None:
            entry = self._pending[model] = (fields, [])
        entry[1].append(row)
        if len(entry[1]) >= self.size:
            self.sink.write(model, entry[0], entry[1])
            entry[1].clear()

    def flush(self) -> None:
        """Write every queued row."""
        for model, (fields, rows) in self._pending.items():
            self.sink.write(model, fields, rows)
            rows.clear()


class Progress:
    """One line per phase on a stream: count/total, rate and ETA, in place on a terminal."""

    def __init__(self, stream: TextIO | None, phase: str, total: int) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.phase, self.total = phase, max(total, 1)
        self.count = 0
        self.started = self._shown = time.monotonic()
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._next_plain = 0.1  # without a terminal, print a plain line every tenth

    def add(self, n: int = 1) -> None:
        """Count ``n`` more units done and redraw at most a few times a second."""
        self.count += n
        now = time.monotonic()
        if self._tty and now - self._shown >= 0.2:
            self._shown = now
            self.stream.write("\r" + self._line(now))
            self.stream.flush()
        elif not self._tty and self.count / self.total >= self._next_plain:
            self._next_plain = self.count / self.total + 0.1
            self.stream.write(self._line(now) + "\n")

    def done(self) -> float:
        """Print the final line of the phase and return its seconds."""
        now = time.monotonic()
        self.count = max(self.count, 0)
        self.stream.write(("\r" if self._tty else "") + self._line(now, final=True) + "\n")
        self.stream.flush()
        return now - self.started

    def _line(self, now: float, *, final: bool = False) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.count / elapsed
        if final:
            tail = f"done in {elapsed:.1f}s"
        else:
            left = (self.total - self.count) / rate if rate else 0.0
            tail = f"ETA {left:.0f}s"
        share = min(100.0, 100.0 * self.count / self.total)
        return (
            f"{self.phase:<10} {self.count:>11,}/{self.total:,} {share:5.1f}% "
            f"{rate:>10,.0f}/s {tail}"
        )


def _column(model: type[Model], name: str) -> str:
    """Return the database column of one of a model's concrete fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} has no column")
    return str(field.column)
