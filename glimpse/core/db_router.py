"""Send reads to the read replicas and everything else to the primary database.

Reads go to a replica only inside a request that may use one: a GET or HEAD request of a
client that has not written in the last GLIMPSE_REPLICA_LAG_SECONDS (the cookie set after
each write says so), and outside a transaction. Writes, reads inside a transaction, jobs,
commands and websockets all use the primary, so nobody misses what they just wrote.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

WROTE_COOKIE = "glimpse_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_replica_reads = ContextVar("glimpse_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads of this block go to a replica (outside transactions)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Send the reads of this block to the primary, even inside ``replica_reads``.

    For reads whose result is cached for everyone (cards): a replica behind an edit would
    have its old copy cached under the edit's new version.
    """
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    """Route reads to a random replica when allowed, every write to the primary."""

    def __init__(self) -> None:
        self.replicas: list[str] = list(getattr(settings, "GLIMPSE_DATABASE_REPLICAS", []))

    def db_for_read(self, model: type, **hints: Any) -> str:
        """Pick a replica for a read when this context allows it, else the primary."""
        if (
            self.replicas
            and _replica_reads.get()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return random.choice(self.replicas)  # noqa: S311 - spreading load, not secrets
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        """Write to the primary, always."""
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        """Allow relations across aliases: the replicas hold the primary's data."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Migrate the primary only; replicas follow it by replication."""
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Allow replica reads for safe requests of clients that did not write just before."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.lag = float(getattr(settings, "GLIMPSE_REPLICA_LAG_SECONDS", 5))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            if response.status_code < 400:
                until = int(time.time() + self.lag) + 1
                response.set_cookie(
                    WROTE_COOKIE,
                    str(until),
                    max_age=int(self.lag) + 1,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        if self._wrote_recently(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)

    def _wrote_recently(self, request: HttpRequest) -> bool:
        try:
            return float(request.COOKIES.get(WROTE_COOKIE, "0")) > time.time()
        except ValueError:
            return False
