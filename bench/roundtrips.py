"""Count the Redis round trips of a block of code: each command or pipeline sent is one.

Used by the benchmarks and the tests that assert how many round trips a warm page costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from redis.connection import AbstractConnection


class RoundTrips:
    """The round trips counted so far, and what each one sent (for failure messages)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def __len__(self) -> int:
        return len(self.sent)


@contextmanager
def redis_round_trips() -> Iterator[RoundTrips]:
    """Count every command or pipeline any Redis connection of this process sends."""
    counted = RoundTrips()
    original = AbstractConnection.send_packed_command

    def send(self: AbstractConnection, command: Any, check_health: bool = True) -> None:
        parts = command if isinstance(command, list) else [command]
        first = bytes(parts[0])[:60] if parts else b""
        counted.sent.append(first.decode("utf-8", "replace").replace("\r\n", " "))
        original(self, command, check_health)

    AbstractConnection.send_packed_command = send  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        AbstractConnection.send_packed_command = original  # type: ignore[method-assign]
