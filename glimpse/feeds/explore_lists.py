"""Explore's prepared candidate lists: a request reads them ready, then checks the policy.

Ranking is the expensive part of Explore (thousands of likes counted and decayed), and it
does not need to happen on every page. So the rankings are kept in the cache:

- the network's lists, the same for everyone: the trending posts and the most liked of the
  recent posts, each the best ``CANDIDATES`` ids. The periodic job ``feeds.explore_refresh``
  recomputes them every minute; a request that finds none computes them once itself.
- each viewer's co-engagement picks (posts liked by the people who like what it likes),
  prepared the first time the viewer opens Explore and kept ``PICKS_TTL`` seconds; once
  older than ``PICKS_REFRESH`` seconds, a job (``feeds.explore_prepare``, at most one
  pending per viewer) prepares them again while the request serves the ones it has.

The lists hold ids only, for everyone: whether the viewer may be shown each one is decided
when a page is read, by the one visibility policy (``explore_grid``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from glimpse.accounts.models import User
from glimpse.feeds.explore import (
    CANDIDATES,
    coengagement_candidates,
    most_liked,
    reels_among,
    trending,
)

NETWORK_KEY = "explore:network:v2"
NETWORK_TTL = 10 * 60  # the periodic job refreshes it every minute; this only bounds staleness
PICKS_KEY = "explore:picks:v2:{}"
PICKS_PENDING_KEY = "explore:picks:pending:{}"
PICKS_TTL = 60 * 60
PICKS_REFRESH = 10 * 60


@dataclass(frozen=True)
class NetworkLists:
    """The network's best post ids, best first: trending now, and most liked of late; and
    which of them are Reels (a post's kind never changes)."""

    trending: tuple[int, ...]
    liked: tuple[int, ...]
    reels: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Picks:
    """A viewer's co-engagement picks, best first, which of them are Reels, and when they
    were made (epoch seconds)."""

    ids: tuple[int, ...]
    made_at: float
    reels: frozenset[int] = frozenset()


def network_lists_refresh() -> NetworkLists:
    """Recompute the network's lists and store them (the periodic job)."""
    hot, liked = trending()[:CANDIDATES], most_liked()
    lists = NetworkLists(tuple(hot), tuple(liked), reels_among([*hot, *liked]))
    cache.set(NETWORK_KEY, lists, NETWORK_TTL)
    return lists


def network_lists() -> NetworkLists:
    """Return the network's lists as last prepared (made now if there are none)."""
    found = cache.get(NETWORK_KEY)
    return found if isinstance(found, NetworkLists) else network_lists_refresh()


def viewer_picks_prepare(*, viewer: User) -> Picks:
    """Recompute the viewer's co-engagement picks and store them (a job, or the first read)."""
    ids = coengagement_candidates(viewer=viewer)
    picks = Picks(tuple(ids), time.time(), reels_among(ids))
    cache.set(PICKS_KEY.format(viewer.pk), picks, PICKS_TTL)
    cache.delete(PICKS_PENDING_KEY.format(viewer.pk))
    return picks


def explore_lists(viewer: User, *, also: str) -> tuple[NetworkLists, Picks, object]:
    """Return the network's lists, the viewer's picks and the cached value at ``also`` (the
    session's seen ids), read together in one cache round trip; what is missing is made."""
    network_key, picks_key = NETWORK_KEY, PICKS_KEY.format(viewer.pk)
    found = cache.get_many([network_key, picks_key, also])
    network = found.get(network_key)
    if not isinstance(network, NetworkLists):
        network = network_lists_refresh()
    picks = found.get(picks_key)
    if not isinstance(picks, Picks):
        picks = viewer_picks_prepare(viewer=viewer)
    return network, picks, found.get(also)


def picks_refresh_due(viewer: User, picks: Picks) -> bool:
    """Tell whether the viewer's picks are old enough to prepare again, and no job to do so
    is pending already (answering True marks one pending)."""
    if time.time() - picks.made_at <= PICKS_REFRESH:
        return False
    return bool(cache.add(PICKS_PENDING_KEY.format(viewer.pk), 1, PICKS_REFRESH))


__all__ = [
    "NetworkLists",
    "Picks",
    "explore_lists",
    "network_lists",
    "network_lists_refresh",
    "picks_refresh_due",
    "viewer_picks_prepare",
]
