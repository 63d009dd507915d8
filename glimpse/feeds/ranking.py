"""The ranked home feed: the newest candidates re-ordered by a documented score.

score = recency * affinity * engagement, where

- recency    = 0.5 ** (age in hours / GLIMPSE_FEED_RANK_HALF_LIFE_HOURS), age of the entry
               (a repost counts from when it was reposted);
- affinity   = 1 + GLIMPSE_FEED_RANK_AFFINITY_WEIGHT * ln(1 + the viewer's likes and comments
               on the author's posts over the last GLIMPSE_FEED_RANK_AFFINITY_DAYS days);
- engagement = 1 + GLIMPSE_FEED_RANK_ENGAGEMENT_WEIGHT * ln(1 + likes + 2 * comments).

Ties go to the newer entry. The first page ranks the newest GLIMPSE_FEED_RANK_CANDIDATES
entries once and keeps the order in the cache (a snapshot), so the following pages neither
repeat nor skip a post; each page is checked against the policy again when it is read.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.core.ids import created_at, lowest_id_at
from glimpse.core.pagination import clamp_limit
from glimpse.feeds.entries import Entry
from glimpse.feeds.selectors import FeedItem, feed_items
from glimpse.feeds.stores import feed_store
from glimpse.posts.models import Comment, Like
from glimpse.posts.presenters import PostState

SNAPSHOT_SECONDS = 30 * 60
EXPIRED = "This ranked feed has expired. Load the feed again without a cursor."


@dataclass(frozen=True)
class RankedPage:
    items: list[FeedItem]
    next_cursor: str | None


def feed_ranked_page(
    *, viewer: User, cursor: str | None = None, limit: int | None = None
) -> RankedPage:
    """Return a page of the viewer's ranked feed; ``cursor`` continues a ranking."""
    size = clamp_limit(limit)
    if cursor is None:
        token, offset = secrets.token_urlsafe(9), 0
        ranked = _rank(viewer)
        cache.set(_snapshot_key(viewer, token), [(e.id, e.kind) for e in ranked], SNAPSHOT_SECONDS)
    else:
        token, offset = _parse(cursor)
        stored = cache.get(_snapshot_key(viewer, token))
        if stored is None:
            raise InvalidInput(EXPIRED, code="cursor_expired", fields={"cursor": [EXPIRED]})
        ranked = [Entry(pk, kind) for pk, kind in stored]
    window = ranked[offset : offset + size]
    more = offset + size < len(ranked)
    return RankedPage(feed_items(viewer, window), f"{token}.{offset + size}" if more else None)


def _rank(viewer: User) -> list[Entry]:
    """Return the candidates the viewer may see, best first."""
    entries = feed_store().entries(viewer, max_id=None, count=settings.GLIMPSE_FEED_RANK_CANDIDATES)
    items = feed_items(viewer, entries)
    affinity = interactions_by_author(viewer, {item.state.author_id for item in items})
    now = timezone.now()

    def key(item: FeedItem) -> tuple[float, int]:
        hours = max((now - created_at(item.entry_id)).total_seconds(), 0) / 3600
        return (score(item.state, hours, affinity.get(item.state.author_id, 0)), item.entry_id)

    ranked = sorted(items, key=key, reverse=True)
    return [Entry(i.entry_id, "p" if i.reposted_by_id is None else "r") for i in ranked]


def score(state: PostState, age_hours: float, interactions: int) -> float:
    """Return the ranking score of a post (the formula of this module's docstring)."""
    recency = 0.5 ** (age_hours / settings.GLIMPSE_FEED_RANK_HALF_LIFE_HOURS)
    affinity = 1 + settings.GLIMPSE_FEED_RANK_AFFINITY_WEIGHT * math.log1p(interactions)
    engaged = state.like_count + 2 * state.comment_count
    engagement = 1 + settings.GLIMPSE_FEED_RANK_ENGAGEMENT_WEIGHT * math.log1p(engaged)
    return recency * affinity * engagement


def interactions_by_author(viewer: User, author_ids: set[int]) -> dict[int, int]:
    """Return how many times the viewer liked or commented on each author's posts lately."""
    if not author_ids:
        return {}
    since = lowest_id_at(timezone.now() - timedelta(days=settings.GLIMPSE_FEED_RANK_AFFINITY_DAYS))
    counts: dict[int, int] = {}
    for model, who in ((Like, "user"), (Comment, "author")):
        rows = (
            model.objects.filter(**{who: viewer}, pk__gte=since, post__author_id__in=author_ids)
            .exclude(post__author_id=viewer.pk)
            .values("post__author_id")
            .annotate(n=Count("pk"))
            .values_list("post__author_id", "n")
        )
        for author_id, n in rows:
            counts[author_id] = counts.get(author_id, 0) + n
    return counts


def _snapshot_key(viewer: User, token: str) -> str:
    return f"feed:ranked:v1:{viewer.pk}:{token}"


def _parse(cursor: str) -> tuple[str, int]:
    token, _, offset = cursor.rpartition(".")
    if not token or not offset.isdigit() or len(cursor) > 64:
        raise InvalidInput(
            "This cursor is not one the feed gave.", fields={"cursor": ["Not a feed cursor."]}
        )
    return token, int(offset)
