"""Queries whose SQL Django builds once per shape, then runs with each call's values.

Building a query through the ORM (filters, the visibility policy's subqueries, annotations)
and compiling it to SQL costs far more CPU on a hot page than the database's answer. The SQL
of a query only changes with its shape (which arguments it has, how many ids a list holds),
not with the values. A ``PreparedQuery`` therefore builds its query once per shape from
stand-in values (numbers below every id, strings no one sends), finds where each stand-in
landed among the statement's parameters, and from then on runs the cached SQL with the
call's values in those places. The ORM and the policy modules stay the one place a query is
written.

On PostgreSQL the statement is also prepared on the server, once per connection (psycopg's
named prepared statements, bound server-side): the database then skips parsing and planning
it too, which costs it more than running it on a page of ids. The connection's
``prepare_threshold`` (settings: 0, so a statement is prepared on its first run) makes it
so; Django's own cursors bind on the client and never prepare. ``GLIMPSE_DB_PREPARE=0``
turns this off for a connection pooler that cannot keep prepared statements (PgBouncer
before 1.21, or without ``max_prepared_statements``).

The build function must use its arguments as values only (an id compared or listed, a
viewer's pk, a digest), never to choose the query's shape: compiling checks that every
stand-in reached the statement unchanged, and refuses the query otherwise.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from django.db import connections, router
from django.db.models import QuerySet

Value = int | str | datetime | Sequence[int] | None
Shape = tuple[tuple[str, type, int | None], ...]  # per argument: name, kind, list length
Converter = tuple[int, list[Any], Any]  # column, Django's converters, their expression

_STAND_IN_BASE = -(2**62)  # below every id: a stand-in is never a real value
_STAND_IN_TIME = datetime(1901, 2, 3, tzinfo=UTC)  # long before any row: never a real time


class NotPreparable(Exception):
    """A query whose values do not all reach its SQL unchanged."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[tuple[str, int] | None, ...]  # per parameter: (argument, index) or a constant
    constants: tuple[Any, ...]
    converters: tuple[Converter, ...]
    model: type[Any]


class PreparedQuery:
    """A read whose SQL is compiled once per shape of its arguments (cached per process).

    ``build`` receives the arguments as keywords (ints, strings, aware datetimes, lists of
    ints, or None) and returns the QuerySet, as ``values_list``. An argument that is None is
    passed as None and is part of the shape (a build may leave a filter out for it), and so
    are the ``fixed`` arguments (a page size that becomes the statement's LIMIT, say), passed
    as they are.
    ``rows(**values)`` runs it and returns its rows, converted as Django converts them
    (booleans on SQLite, dates), so the answer is what iterating the QuerySet would give.
    Reads go where the database router sends the model's. A list may not be empty (callers
    answer an empty list of ids themselves: SQL has no empty ``IN``).

    With ``pad_lists``, a list is lengthened to the next power of two (at least 8) by
    repeating its last id, so that pages of 13 or 16 ids share one statement: only for
    queries whose lists feed ``IN`` clauses alone, where a repeated id changes nothing.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any]],
        *,
        pad_lists: bool = False,
        max_shapes: int = 256,
    ):
        self._build = build
        self._pad_lists = pad_lists
        self._max_shapes = max_shapes
        self._compiled: dict[tuple[Shape, tuple[tuple[str, Hashable], ...]], _Compiled] = {}
        self._lock = threading.Lock()

    def rows(
        self, *, fixed: tuple[tuple[str, Hashable], ...] = (), **values: Value
    ) -> list[tuple[Any, ...]]:
        """Run the query with these values; return its rows."""
        if any(isinstance(value, list | tuple) and not value for value in values.values()):
            raise ValueError("A prepared query's lists may not be empty.")
        if self._pad_lists:
            values = {name: _padded(value) for name, value in values.items()}
        shape = (
            tuple(
                (name, type(value), len(value) if isinstance(value, list | tuple) else None)
                for name, value in sorted(values.items())
            ),
            fixed,
        )
        compiled = self._compiled.get(shape) or self._compile(shape)
        connection = connections[router.db_for_read(compiled.model)]
        params = [
            compiled.constants[n] if slot is None else _value(values[slot[0]], slot[1], connection)
            for n, slot in enumerate(compiled.slots)
        ]
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if compiled.converters:
            return [_converted(row, compiled.converters, connection) for row in found]
        return found

    def _compile(self, shape: tuple[Shape, tuple[tuple[str, Hashable], ...]]) -> _Compiled:
        """Build the query from stand-ins of this shape and compile it; cache the result."""
        counter = itertools.count()
        picked: dict[int | str | datetime, tuple[str, int]] = {}
        arguments: dict[str, Any] = dict(shape[1])
        for name, kind, length in shape[0]:
            if kind is type(None):
                arguments[name] = None
                continue
            picks = [_stand_in(kind, next(counter)) for _ in range(1 if length is None else length)]
            for index, pick in enumerate(picks):
                picked[pick] = (name, index)
            arguments[name] = picks if length is not None else picks[0]
        queryset = self._build(**arguments)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        # A datetime reaches the statement as the database's driver is given it (text on
        # SQLite); calls' datetimes are adapted the same way.
        ops = compiler.connection.ops
        stand_ins = {
            ops.adapt_datetimefield_value(pick) if isinstance(pick, datetime) else pick: slot
            for pick, slot in picked.items()
        }
        slots = tuple(
            stand_ins.get(p) if isinstance(p, int | str | datetime) else None for p in params
        )
        missing = set(stand_ins.values()) - {slot for slot in slots if slot is not None}
        if missing:
            raise NotPreparable(f"{sorted(missing)} did not reach the SQL unchanged")
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, functions, expression)
            for column, (functions, expression) in compiler.get_converters(columns).items()
        )
        compiled = _Compiled(sql, slots, tuple(params), converters, queryset.model)
        with self._lock:
            if len(self._compiled) >= self._max_shapes:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[shape] = compiled
        return compiled


def _cursor(connection: Any) -> Any:
    """Return a cursor that prepares its statement on a PostgreSQL server, or Django's own.

    Where queries are logged (``DEBUG``, a test counting them), Django's own cursor binds on
    the client instead: the log then shows each statement with its values, which a
    server-bound one cannot give back.
    """
    if (
        connection.settings_dict["OPTIONS"].get("prepare_threshold") is None
        or connection.queries_logged
    ):
        return connection.cursor()
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)  # psycopg's own cursor binds on the server
    return connection.make_cursor(raw)


def _stand_in(kind: type, n: int) -> int | str | datetime:
    # A string stand-in holds the characters a LIKE pattern escapes: a lookup that changes its
    # value on the way (``iexact`` on SQLite) is refused rather than bound unescaped.
    if kind is str:
        return f"%_\\prepared-stand-in-{n}"
    if kind is datetime:
        return _STAND_IN_TIME + timedelta(microseconds=n)
    return _STAND_IN_BASE - n


def _padded(value: Value) -> Value:
    if not isinstance(value, list | tuple) or not value:
        return value
    size = max(8, 1 << (len(value) - 1).bit_length())
    return [*value, *([value[-1]] * (size - len(value)))]


def _value(value: Value, index: int, connection: Any) -> Any:
    picked = value[index] if isinstance(value, list | tuple) else value
    if isinstance(picked, datetime):
        return connection.ops.adapt_datetimefield_value(picked)
    return picked


def _converted(
    row: tuple[Any, ...], converters: tuple[Converter, ...], connection: Any
) -> tuple[Any, ...]:
    values = list(row)
    for column, functions, expression in converters:
        value = values[column]
        for convert in functions:
            value = convert(value, expression, connection)
        values[column] = value
    return tuple(values)
