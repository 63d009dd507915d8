"""The Reels feed: reels of the accounts the viewer follows and recommended public ones.

Every read goes through the one visibility policy (``Post.objects.listed_to(viewer)
.unmuted_for(viewer)``). A page costs a constant number of queries whatever its size: the
page's ids, their fresh state with the viewer's own, and (when the captions or tags name
anyone) which of those accounts the viewer may see; cards come from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from glimpse.accounts.models import User
from glimpse.core.pagination import clamp_limit
from glimpse.feeds.entries import followed_ids
from glimpse.feeds.selectors import account_checks, post_states
from glimpse.posts.cards import PostCard, post_cards
from glimpse.posts.models import Post
from glimpse.posts.presenters import PostState
from glimpse.posts.shown import card_cut_to


@dataclass(frozen=True)
class ReelItem:
    """A reel of the feed: its card as this viewer may see it, and its fresh state."""

    post_id: int
    card: PostCard
    state: PostState


@dataclass(frozen=True)
class ReelsPage:
    items: list[ReelItem]
    next_max_id: int | None


def reels_eligible(*, viewer: User) -> QuerySet[Post]:
    """Return the reels the Reels feed may show the viewer: those of the accounts it follows,
    and those of public accounts, that it may see and has not muted; never its own."""
    return (
        Post.objects.listed_to(viewer)
        .unmuted_for(viewer)
        .filter(kind=Post.Kind.REEL)
        .filter(Q(author_id__in=followed_ids(viewer)) | Q(author__is_private=False))
        .exclude(author=viewer)
    )


def reels_page(*, viewer: User, max_id: int | None = None, limit: int | None = None) -> ReelsPage:
    """Return a page of the viewer's Reels feed, newest first, below ``max_id``."""
    size = clamp_limit(limit)
    reels = reels_eligible(viewer=viewer)
    if max_id is not None:
        reels = reels.filter(pk__lt=max_id)
    ids = list(reels.order_by("-pk").values_list("pk", flat=True)[: size + 1])
    next_max_id = ids[size - 1] if len(ids) > size else None
    ids = ids[:size]
    states = post_states(viewer, ids)
    cards = post_cards(states)
    named: set[int] = set()
    for card in cards.values():
        named.update(card.named_ids)
    checks = account_checks(viewer, named)
    items = [
        ReelItem(pk, card_cut_to(cards[pk], checks), states[pk][0])
        for pk in ids
        if pk in states and pk in cards
    ]
    return ReelsPage(items=items, next_max_id=next_max_id)


__all__ = ["ReelItem", "ReelsPage", "reels_eligible", "reels_page"]
