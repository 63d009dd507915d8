"""Suggested accounts: followed by the accounts the viewer follows, most mutual follows first."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count

from glimpse.accounts.models import User
from glimpse.feeds.entries import followed_ids
from glimpse.graph.models import Follow, FollowRequest
from glimpse.graph.visibility import accounts_unmuted_for, accounts_visible_to

SUGGESTIONS_LIMIT = 10
SUGGESTIONS_SOURCES = 200  # the latest followees whose follows are counted
CANDIDATES_PER_SUGGESTION = 5  # the most followed, of which the ones the viewer may see
SUGGESTIONS_CACHE_SECONDS = 600  # how long the candidates last: a new follow shows later


def accounts_suggested(*, viewer: User, limit: int = SUGGESTIONS_LIMIT) -> list[User]:
    """Return accounts followed by the viewer's followees, with ``mutual_count`` set on each.

    The most followed among the follows of the viewer's latest followees are kept in the cache
    for a while (``suggestion_candidates``); of those, each call keeps the accounts the viewer
    may see now and has neither followed, asked to follow nor muted (nor blocked either way,
    nor inactive). One query when the candidates are cached, three when not.
    """
    candidates: list[tuple[int, int]] = (
        cache.get_or_set(
            f"feeds:suggestions:{viewer.pk}",
            lambda: suggestion_candidates(viewer=viewer, limit=limit * CANDIDATES_PER_SUGGESTION),
            SUGGESTIONS_CACHE_SECONDS,
        )
        or []
    )
    mutuals = dict(candidates)
    requested = FollowRequest.objects.filter(requester=viewer).values("target_id")
    users = (
        User.objects.filter(
            accounts_visible_to(viewer), accounts_unmuted_for(viewer), pk__in=list(mutuals)
        )
        .exclude(pk__in=followed_ids(viewer))
        .exclude(pk__in=requested)
    )
    found = sorted(users, key=lambda user: (-mutuals[user.pk], -user.pk))[:limit]
    for user in found:
        user.mutual_count = mutuals[user.pk]  # type: ignore[attr-defined]
    return found


def suggestion_candidates(*, viewer: User, limit: int) -> list[tuple[int, int]]:
    """Return the accounts most followed by the viewer's latest followees, as (id, count),
    leaving out the viewer and the accounts it follows. Two queries, bounded whatever the
    network's size."""
    following = followed_ids(viewer)
    # A bounded list first, so that the count walks each followee's index of follows.
    sources = list(following.order_by("-pk")[:SUGGESTIONS_SOURCES])
    counted = (
        Follow.objects.filter(follower_id__in=sources)
        .exclude(followee=viewer)
        .exclude(followee_id__in=following)
        .values_list("followee_id")
        .annotate(mutuals=Count("follower_id"))
        .order_by("-mutuals", "-followee_id")[:limit]
    )
    return [(followee_id, mutuals) for followee_id, mutuals in counted]
