"""Read-through caching of small per-id records ("cards") in the shared cache."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def cards_get(
    pattern: str, ids: Iterable[int], load: Callable[[set[int]], dict[int, T]]
) -> dict[int, T]:
    """Return the cards of these ids by id: from the cache, and ``load`` for the rest.

    ``pattern`` formats an id into its cache key. Ids ``load`` does not return have no card.
    """
    wanted = set(ids)
    if not wanted:
        return {}
    keys = {pattern.format(pk): pk for pk in wanted}
    found: dict[int, T] = {keys[key]: card for key, card in cache.get_many(list(keys)).items()}
    missing = wanted - found.keys()
    if missing:
        made = load(missing)
        cache.set_many(
            {pattern.format(pk): card for pk, card in made.items()}, settings.GLIMPSE_CARD_TTL
        )
        found.update(made)
    return found


def cards_forget_on_commit(pattern: str, ids: Iterable[int]) -> None:
    """Drop the cards of these ids once the current transaction commits."""
    keys = [pattern.format(pk) for pk in ids]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
