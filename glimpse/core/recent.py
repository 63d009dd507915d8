"""A bounded map of what a process used last, least recently used out first, safe to share
between a server's threads (cached cards, rendered fragments)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The values used last, by key, at most ``limit()`` of them (a setting, read each time
    so that tests may change it)."""

    def __init__(self, limit: Callable[[], int]) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """Return the value kept under ``key``, if any, as the most recently used."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used past the limit."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            limit = self._limit()
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
