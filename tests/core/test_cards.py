"""Cards a process keeps in memory are served only while their version is current."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache

from glimpse.core import cards, clock
from glimpse.core.cards import cards_forget, cards_get

KEY = "test-card:{}"


class Loads:
    """A load that makes a new card object each time and counts the ids it was asked."""

    def __init__(self) -> None:
        self.asked: list[set[int]] = []

    def __call__(self, ids: set[int]) -> dict[int, Any]:
        self.asked.append(set(ids))
        return {pk: {"id": pk, "made": len(self.asked)} for pk in ids}


@pytest.fixture(autouse=True)
def empty() -> None:
    cache.clear()
    cards._NEAR.clear()


def _shared_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the keys of each read of the shared cache."""
    reads: list[list[str]] = []
    real = cache.get_many

    def get_many(keys: list[str], *args: Any, **kwargs: Any) -> dict[str, Any]:
        reads.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


def test_a_kept_card_costs_one_read_of_versions_and_no_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load = Loads()
    first = cards_get(KEY, [1, 2], load)
    reads = _shared_reads(monkeypatch)
    again = cards_get(KEY, [1, 2], load)
    assert again == first
    assert again[1] is first[1]  # the object kept in memory, not unpickled again
    assert load.asked == [{1, 2}]
    assert [sorted(keys) for keys in reads] == [[KEY.format(1) + ":ver", KEY.format(2) + ":ver"]]


def test_a_card_changed_elsewhere_is_loaded_again_not_served_from_memory() -> None:
    load = Loads()
    cards_get(KEY, [1], load)
    cards_forget([KEY.format(1)])  # what an edit does after commit, in any process
    assert cards_get(KEY, [1], load)[1]["made"] == 2
    assert load.asked == [{1}, {1}]


def test_a_card_only_in_the_shared_cache_is_kept_from_then_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load = Loads()
    cards_get(KEY, [1], load)
    cards._NEAR.clear()  # another process: the shared cache has the card, memory does not
    reads = _shared_reads(monkeypatch)
    assert cards_get(KEY, [1], load)[1]["made"] == 1
    assert len(reads) == 2  # the versions, then the card
    cards_get(KEY, [1], load)
    assert len(reads) == 3  # the versions alone
    assert load.asked == [{1}]


def test_a_kept_card_ends_when_its_time_to_live_does(monkeypatch: pytest.MonkeyPatch) -> None:
    load = Loads()
    cards_get(KEY, [1], load, ttl=60)
    later = time.time() + 61
    monkeypatch.setattr(clock, "now", lambda: later)
    assert cards_get(KEY, [1], load, ttl=60)[1]["made"] == 2


def test_memory_keeps_at_most_the_set_number_least_recently_used_out_first(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.GLIMPSE_CARD_NEAR = 2
    load = Loads()
    cards_get(KEY, [1], load)
    cards_get(KEY, [2], load)
    cards_get(KEY, [1], load)  # 1 is now the most recently used
    cards_get(KEY, [3], load)  # so 2 goes
    reads = _shared_reads(monkeypatch)
    cards_get(KEY, [1], load)
    cards_get(KEY, [3], load)
    assert len(reads) == 2  # kept: one read of versions each
    cards_get(KEY, [2], load)
    assert len(reads) == 4  # dropped: the versions, then the shared cache's card
    assert load.asked == [{1}, {2}, {3}]
