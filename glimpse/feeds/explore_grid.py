"""Explore's pages: posts and Reels the viewer does not follow yet, never twice a session.

Photo posts come from Explore's eligibility (``explore_eligible``) and Reels from
``reels_recommended``, both through the one visibility policy; each kind is ranked by
``explore_choose`` (co-engagement and trending in turns, then the most liked). Posts already
shown in a session are remembered in the cache. A constant number of queries per page.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.core.cache import cache

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.core.pagination import clamp_limit
from glimpse.feeds.explore import explore_candidates, explore_choose, explore_eligible
from glimpse.feeds.reels import reels_recommended
from glimpse.posts.models import Post
from glimpse.posts.selectors import posts_hydrate

SESSION_TTL = 60 * 60  # seconds an Explore session remembers what it showed
SESSION_CAP = 2000  # most post ids remembered per session
SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
REEL_EVERY = 4  # a Reel after every four posts, as in Instagram's grid


@dataclass(frozen=True)
class ExplorePage:
    items: list[Post]
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
    seen: list[int] = cache.get(key) or []
    candidates = explore_candidates(viewer=viewer)
    eligible = explore_eligible(viewer).exclude(pk__in=seen)
    photos = explore_choose(
        eligible.exclude(kind=Post.Kind.REEL), candidates=candidates, want=size + 1
    )
    reels = explore_choose(
        reels_recommended(viewer=viewer).exclude(pk__in=seen),
        candidates=candidates,
        want=size + 1,
    )
    share = size // (REEL_EVERY + 1)
    take_reels = min(len(reels), max(share, size - len(photos)))
    take_photos = min(len(photos), size - take_reels)
    chosen = _merged(photos[:take_photos], reels[:take_reels])
    found = {p.pk: p for p in eligible.filter(pk__in=chosen).select_related("author")}
    posts = [found[pk] for pk in chosen if pk in found]
    posts_hydrate(viewer=viewer, posts=posts)
    cache.set(key, (seen + [p.pk for p in posts])[-SESSION_CAP:], SESSION_TTL)
    has_more = len(photos) + len(reels) > take_photos + take_reels
    return ExplorePage(items=posts, session=token, has_more=has_more)


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
