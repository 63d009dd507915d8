"""Suggested accounts: followed by the accounts the viewer follows, most mutual follows first."""

from __future__ import annotations

from django.db.models import Count

from glimpse.accounts.models import User
from glimpse.feeds.entries import followed_ids
from glimpse.graph.models import Follow, FollowRequest
from glimpse.graph.visibility import accounts_unmuted_for, accounts_visible_to

SUGGESTIONS_LIMIT = 10


def accounts_suggested(*, viewer: User, limit: int = SUGGESTIONS_LIMIT) -> list[User]:
    """Return accounts followed by the viewer's followees, with ``mutual_count`` set on each.

    Leaves out the viewer, accounts already followed or requested (a pending request to a
    private account), blocked either way, muted and inactive accounts. Two queries.
    """
    following = followed_ids(viewer)
    rows = (
        Follow.objects.filter(follower_id__in=following)
        .filter(
            accounts_visible_to(viewer, account="followee"),
            accounts_unmuted_for(viewer, account="followee"),
        )
        .exclude(followee=viewer)
        .exclude(followee_id__in=following)
        .exclude(followee_id__in=FollowRequest.objects.filter(requester=viewer).values("target_id"))
        .values("followee_id")
        .annotate(mutuals=Count("follower_id", distinct=True))
        .order_by("-mutuals", "-followee_id")[:limit]
    )
    counts = {row["followee_id"]: row["mutuals"] for row in rows}
    users = User.objects.in_bulk(list(counts))
    found = []
    for pk, mutuals in counts.items():
        user = users[pk]
        user.mutual_count = mutuals  # type: ignore[attr-defined]
        found.append(user)
    return found
