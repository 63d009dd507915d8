"""Build the whole network phase by phase, in one transaction, and report what it took."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction

from glimpse.demo.dataset.bulk import bulk_load
from glimpse.demo.dataset.clock import IdClock, time_format
from glimpse.demo.dataset.config import DAY_MS, SCALES, Scale
from glimpse.demo.dataset.content import catalog_plan, places_pick, posts_plan, posts_write
from glimpse.demo.dataset.engagement import (
    comments_write,
    engagement_plan,
    likes_write,
    reposts_write,
)
from glimpse.demo.dataset.graph import follow_requests_write, follows_write
from glimpse.demo.dataset.people import people_plan, people_write
from glimpse.demo.dataset.pool import pool_ensure
from glimpse.demo.dataset.reset import FILLED, tables_empty, tables_reset
from glimpse.demo.dataset.sink import Batches, Progress, Sink


class DatasetExistsError(Exception):
    """Accounts already exist and no reset was asked for."""


@dataclass
class Summary:
    """Rows written per table, seconds per phase, and the time the whole load took."""

    scale: str
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    database_cpu_seconds: float | None = None


def seed(
    *,
    scale: str,
    seed: int = 1,
    reset: bool = False,
    stream: TextIO | None = None,
    now_ms: int | None = None,
) -> Summary:
    """Fill the database with a synthetic network of the given scale; refuse over accounts."""
    config = SCALES[scale]
    started, cpu_started = time.monotonic(), time.process_time()
    database_cpu = _DatabaseCpu()
    summary = Summary(scale=scale)
    if reset:
        summary.phases["reset"] = _timed(tables_reset)
    elif not tables_empty():
        raise DatasetExistsError(
            "Accounts already exist: run `seed` with --reset to replace them with the data set."
        )
    pool: list[dict[str, object]] = []
    summary.phases["media pool"] = _timed(lambda: pool.extend(pool_ensure(config.pool_size)))
    end_ms = (now_ms if now_ms is not None else int(time.time() * 1000)) - 1000
    clock = IdClock(start_ms=end_ms - config.days * DAY_MS, end_ms=end_ms)
    sink = Sink()
    with transaction.atomic():
        with bulk_load(FILLED):
            _load(config, seed, clock, sink, pool, stream, summary)
            rebuilding = time.monotonic()
        if sink.is_postgres:
            summary.phases["indexes"] = time.monotonic() - rebuilding
    if sink.is_postgres:
        summary.phases["analyze"] = _timed(_analyze)
    summary.rows = dict(sorted(sink.rows.items()))
    summary.seconds = time.monotonic() - started
    summary.cpu_seconds = time.process_time() - cpu_started
    summary.database_cpu_seconds = database_cpu.used()
    return summary


def _load(
    config: Scale,
    seed: int,
    clock: IdClock,
    sink: Sink,
    pool: list[dict[str, object]],
    stream: TextIO | None,
    summary: Summary,
) -> None:
    """Run every phase; each phase has its own random stream, so phases stay independent."""

    def rng(phase: str) -> random.Random:
        return random.Random(f"{seed}:{phase}")

    batches, fmt = Batches(sink), time_format(clock, postgres=sink.is_postgres)
    progress = Progress(stream, "plan", config.accounts + config.posts)
    people = people_plan(config, clock, rng("people"))
    progress.add(config.accounts)
    posts = posts_plan(config, people, clock, rng("posts"))
    catalog = catalog_plan(config, rng("catalog"))
    places_pick(config, posts, catalog, rng("places"))
    progress.add(config.posts)
    summary.phases["plan"] = progress.done()

    progress = Progress(stream, "follows", config.accounts)
    followers_of = follows_write(scale=config, people=people, clock=clock, rng=rng("follows"),
                                 batches=batches, fmt=fmt, progress=progress)  # fmt: skip
    follow_requests_write(scale=config, people=people, followers_of=followers_of, clock=clock,
                          rng=rng("requests"), batches=batches, fmt=fmt)  # fmt: skip
    summary.phases["follows"] = progress.done()

    engagement_plan(config, people, posts, followers_of, rng("engagement"))
    progress = Progress(stream, "posts", config.posts)
    posts_write(scale=config, people=people, posts=posts, catalog=catalog, pool=pool, clock=clock,
                rng=rng("content"), batches=batches, fmt=fmt, progress=progress)  # fmt: skip
    reposts_write(people=people, posts=posts, clock=clock, rng=rng("reposts"), batches=batches,
                  fmt=fmt)  # fmt: skip
    summary.phases["posts"] = progress.done()

    progress = Progress(stream, "likes", config.likes)
    likes_write(scale=config, people=people, posts=posts, followers_of=followers_of, clock=clock,
                rng=rng("likes"), batches=batches, fmt=fmt, progress=progress)  # fmt: skip
    summary.phases["likes"] = progress.done()

    progress = Progress(stream, "comments", config.comments)
    comments_write(scale=config, people=people, posts=posts, followers_of=followers_of,
                   clock=clock, rng=rng("comments"), batches=batches, fmt=fmt,
                   progress=progress)  # fmt: skip
    summary.phases["comments"] = progress.done()

    progress = Progress(stream, "accounts", config.accounts)
    people_write(people, batches, fmt)
    batches.flush()
    progress.add(config.accounts)
    summary.phases["accounts"] = progress.done()


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


class _DatabaseCpu:
    """Read the CPU time of this connection's PostgreSQL server process (Linux, same host)."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.start = 0.0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = int(cursor.fetchone()[0])
            self.start = self._read() or 0.0

    def used(self) -> float | None:
        """Return the CPU seconds the server process used since this object was made."""
        now = self._read()
        return None if now is None else now - self.start

    def _read(self) -> float | None:
        if self.pid is None:
            return None
        try:
            with open(f"/proc/{self.pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            return None  # the database runs elsewhere
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
