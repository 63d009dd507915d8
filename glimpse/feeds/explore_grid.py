"""Explore's pages: posts and Reels the viewer does not follow yet, never twice a session.

A page reads its candidates ready (``explore_lists``: the viewer's co-engagement picks and
the network's trending posts in turns, then the most liked of late), leaves out what the
session showed already, and keeps those Explore's rule allows this viewer
(``explore_eligible``: the one visibility policy, public, not followed, not muted, not
liked yet), a batch of candidates per statement, compiled once. Photos and Reels are told
apart by the same statement; the page is drawn from the posts' cached cards
(``posts_shown``). Posts already shown in a session are remembered in the cache. A
constant number of queries per page.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.core.jobs import enqueue
from glimpse.core.pagination import clamp_limit
from glimpse.core.prepared import PreparedQuery
from glimpse.feeds.explore import explore_eligible
from glimpse.feeds.explore_lists import explore_lists, picks_refresh_due
from glimpse.feeds.tasks import explore_prepare
from glimpse.posts.models import Post
from glimpse.posts.presenters import PostView
from glimpse.posts.shown import posts_shown

SESSION_TTL = 60 * 60  # seconds an Explore session remembers what it showed
SESSION_CAP = 2000  # most post ids remembered per session
SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
REEL_EVERY = 4  # a Reel after every four posts, as in Instagram's grid
BATCH = 128  # candidates checked against the policy per statement
MAX_BATCHES = 4  # a page checks at most this many batches (when one kind is scarce)


@dataclass(frozen=True)
class ExplorePage:
    items: list[PostView]
    session: str
    has_more: bool


def explore_session(session: str | None) -> str:
    """Return the session token given (checked), or a new one."""
    if session is None or session == "":
        return secrets.token_urlsafe(12)
    if not SESSION_RE.match(session):
        raise InvalidInput(fields={"session": ["Must be 8 to 64 letters, digits, - or _."]})
    return session


def explore_page(
    *, viewer: User, session: str | None = None, limit: int | None = None
) -> ExplorePage:
    """Return the next page of the viewer's Explore grid in this session, never a post twice.

    One Reel for every four posts (a page of 5 or more has at least one when there is
    one), either kind filling in when the other runs short; items come in that order, four
    posts then a Reel. What the page shows is added to the session's seen ids.
    """
    size = clamp_limit(limit)
    token = explore_session(session)
    key = _seen_key(viewer, token)
    network, picks, stored = explore_lists(viewer, also=key)
    if picks_refresh_due(viewer, picks):
        enqueue(explore_prepare, viewer.pk)
    seen: list[int] = stored if isinstance(stored, list) else []
    unseen = set(seen)
    ranked = dict.fromkeys([*_interleave(picks.ids, network.trending), *network.liked])
    candidates = [pk for pk in ranked if pk not in unseen]
    reel_ids = network.reels | picks.reels
    photos, reels = _eligible(viewer, candidates, reel_ids, want=size + 1)
    share = size // (REEL_EVERY + 1)
    take_reels = min(len(reels), max(share, size - len(photos)))
    take_photos = min(len(photos), size - take_reels)
    chosen = _merged(photos[:take_photos], reels[:take_reels])
    posts = posts_shown(viewer=viewer, post_ids=chosen, listed=True)
    cache.set(key, (seen + [post.id for post in posts])[-SESSION_CAP:], SESSION_TTL)
    has_more = len(photos) + len(reels) > take_photos + take_reels
    return ExplorePage(items=posts, session=token, has_more=has_more)


def _eligible(
    viewer: User, candidates: list[int], reel_ids: frozenset[int], *, want: int
) -> tuple[list[int], list[int]]:
    """Return, in the candidates' order, up to ``want`` photo posts and ``want`` Reels Explore
    may show the viewer, checking a batch of candidates per statement: only while a kind
    still wants some and candidates of that kind remain, and at most ``MAX_BATCHES``."""
    photos: list[int] = []
    reels: list[int] = []
    reels_left = sum(1 for pk in candidates if pk in reel_ids)
    photos_left = len(candidates) - reels_left
    for start in range(0, min(len(candidates), BATCH * MAX_BATCHES), BATCH):
        if (len(photos) >= want or not photos_left) and (len(reels) >= want or not reels_left):
            break
        batch = candidates[start : start + BATCH]
        kinds = dict(_ELIGIBLE.rows(viewer=viewer.pk, ids=batch))
        for pk in batch:
            is_reel = pk in reel_ids
            reels_left -= is_reel
            photos_left -= not is_reel
            if pk not in kinds:
                continue
            (reels if kinds[pk] == Post.Kind.REEL else photos).append(pk)
    return photos[:want], reels[:want]


def _eligible_query(*, viewer: int, ids: list[int]) -> QuerySet[Post, Any]:
    return explore_eligible(User(pk=viewer)).filter(pk__in=ids).values_list("pk", "kind")


_ELIGIBLE = PreparedQuery(_eligible_query, pad_lists=True)


def _interleave(*lists: Iterable[int]) -> list[int]:
    """Return the ids of the lists taken in turns, each id once."""
    iterators = [iter(items) for items in lists]
    seen: set[int] = set()
    out: list[int] = []
    while iterators:
        for it in list(iterators):
            for pk in it:
                if pk not in seen:
                    seen.add(pk)
                    out.append(pk)
                    break
            else:
                iterators.remove(it)
    return out


def _seen_key(viewer: User, session: str) -> str:
    return f"explore:seen:{viewer.pk}:{session}"


def _merged(photos: list[int], reels: list[int]) -> list[int]:
    """Return the photos with a Reel after every `REEL_EVERY` of them, the rest at the end."""
    out: list[int] = []
    queue = list(reels)
    for n, pk in enumerate(photos, start=1):
        out.append(pk)
        if n % REEL_EVERY == 0 and queue:
            out.append(queue.pop(0))
    return out + queue


__all__ = ["ExplorePage", "explore_page", "explore_session"]
