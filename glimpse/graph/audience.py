"""Who hears of an account's new content: its followers in batches, less those who muted it.

For jobs that write to or notify every follower (feed fan-out, "new posts" and "new story"
broadcasts). Nothing here applies the visibility policy: followers may see what the account
shares, and reads check the policy again anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from glimpse.graph.models import Follow, Mute


def follower_id_batches(account_id: int, size: int) -> Iterator[list[int]]:
    """Yield the ids of an account's followers, ``size`` at a time, in id order."""
    last = 0
    while True:
        batch = list(
            Follow.objects.filter(followee_id=account_id, follower_id__gt=last)
            .order_by("follower_id")
            .values_list("follower_id", flat=True)[:size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1]


def muter_ids(account_id: int) -> set[int]:
    """Return the ids of the accounts that muted this one (broadcasts leave them out)."""
    return set(Mute.objects.filter(muted_id=account_id).values_list("muter_id", flat=True))
