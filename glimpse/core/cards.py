"""Read-through caching of small per-id records ("cards") in the shared cache, versioned.

A reader that loaded a record just before an edit committed must not put the old card back
after the edit dropped it (an old caption, the URLs of deleted files, served for the card's
whole lifetime). So every id has a version in the cache next to its card: a fresh random
token, replaced after each change commits. A card is stored with the version its reader
read *before* loading, and served only while that version is still the current one. A
reader that lost the race may still write its card, but under a version that is no longer
current: nobody is served it, and the next reader loads the record again.

Why it holds: a version is always written before the load that a card under it comes from,
and a change writes a new version only after it commits. A card under the current version
was therefore loaded after the last change that replaced the version, and so shows it.
Tokens are never reused, so a version key that expires or is evicted costs a load, never a
stale card. It works the same on Redis and on the in-process cache, with plain sets: no
step needs to be atomic.

Each process also keeps the cards it last served in memory (``GLIMPSE_CARD_NEAR`` of them,
the least recently used dropped first), under the same versions. A warm read then fetches
only the versions, small numbers, and unpickles no card: a card kept here is served only
while its version is still the current one in the shared cache, so it is exactly as fresh
as the shared cache's own, and never after the time its card was made to end by.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeGuard, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from glimpse.core import clock
from glimpse.core.db_router import primary_reads
from glimpse.core.recent import Recent

T = TypeVar("T")

VERSION_SUFFIX = ":ver"


def cards_get(
    pattern: str,
    ids: Iterable[int],
    load: Callable[[set[int]], dict[int, T]],
    *,
    ttl: int | None = None,
) -> dict[int, T]:
    """Return the cards of these ids by id: from the cache, and ``load`` for the rest.

    ``pattern`` formats an id into its cache key. Ids ``load`` does not return have no card.
    Cards live ``ttl`` seconds (``GLIMPSE_CARD_TTL`` unless told). One cache round trip when
    every card is kept in this process, two when some are only in the shared cache, four
    and the load otherwise.
    """
    wanted = set(ids)
    if not wanted:
        return {}
    keys = {pk: pattern.format(pk) for pk in wanted}
    current = cache.get_many([_version_key(key) for key in keys.values()])
    now = clock.now()
    found: dict[int, T] = {}
    versions: dict[int, int] = {}
    for pk, key in keys.items():
        version = current.get(_version_key(key))
        if version is None:
            continue
        entry = _NEAR.get(key)
        if entry is not None and entry[0] == version and now < entry[2]:
            found[pk] = entry[1]
        else:
            versions[pk] = version
    if versions:
        stored = cache.get_many([keys[pk] for pk in versions])
        for pk, version in list(versions.items()):
            entry = stored.get(keys[pk])
            if _is_entry(entry) and entry[0] == version and now < entry[2]:
                _NEAR.put(keys[pk], entry)
                found[pk] = entry[1]
                del versions[pk]
    missing = wanted - found.keys()
    if missing:
        # Ids with no version yet get one now, before the load (see the module's docstring).
        fresh = {pk: _token() for pk in missing if pk not in versions}
        if fresh:
            cache.set_many({_version_key(keys[pk]): v for pk, v in fresh.items()}, _version_ttl())
            versions.update(fresh)
        with primary_reads():  # a lagging replica's old copy would be cached for everyone
            made = load(missing)
        lifetime = settings.GLIMPSE_CARD_TTL if ttl is None else ttl
        entries = {keys[pk]: (versions[pk], card, now + lifetime) for pk, card in made.items()}
        cache.set_many(entries, lifetime)
        for key, entry in entries.items():
            _NEAR.put(key, entry)
        found.update(made)
    return found


def cards_forget_on_commit(pattern: str, ids: Iterable[int]) -> None:
    """Give these ids a new version once the current transaction commits (their cached
    cards are then never served again, even one a slower reader writes back later)."""
    keys = [pattern.format(pk) for pk in ids]
    if keys:
        transaction.on_commit(lambda: cards_forget(keys))


def cards_forget_now_and_on_commit(pattern: str, ids: Iterable[int]) -> None:
    """Forget these ids' cards now, so that the rest of the transaction reads them anew, and
    again once it commits, since a reader between the two may have cached the rows as they
    were."""
    ids = sorted(set(ids))
    if not ids:
        return
    cards_forget([pattern.format(pk) for pk in ids])
    if transaction.get_connection().in_atomic_block:
        cards_forget_on_commit(pattern, ids)


def cards_forget(keys: list[str]) -> None:
    """Give these cache keys a new version and drop their cards (call after commit)."""
    cache.set_many({_version_key(key): _token() for key in keys}, _version_ttl())
    cache.delete_many(keys)


def _is_entry(entry: Any) -> TypeGuard[tuple[int, Any, float]]:
    # (version, card, the time it ends by); an entry of any other form is loaded again.
    return isinstance(entry, tuple) and len(entry) == 3


_NEAR: Recent[str, tuple[int, Any, float]] = Recent(lambda: settings.GLIMPSE_CARD_NEAR)


def _version_key(key: str) -> str:
    return key + VERSION_SUFFIX


def _version_ttl() -> int:
    # Longer than a card lives, so that a version rarely ends before the cards made under it.
    return int(settings.GLIMPSE_CARD_TTL) * 2


def _token() -> int:
    # A random number, never reused: the cache stores an int as it is, unpickled.
    return secrets.randbits(62)
