"""What follows an account that moved: its local followers follow the new account instead,
and the blocks and mutes local accounts had of it cover the new account too.

Glimpse carries followers, blocks and mutes; posts stay where they were published.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.graph.models import Follow
from glimpse.graph.selectors import blocker_ids, muter_ids
from glimpse.graph.services import block_create, follow_create, follow_delete, mute_create
from glimpse.graph.visibility import account_visible


def followers_move(*, old: User, new: User) -> int:
    """Make the local followers of ``old`` follow ``new`` instead, and carry the blocks and
    mutes of ``old`` by local accounts over to ``new``; return how many followers moved.

    Each step does nothing when done already, so running it again changes nothing more.
    """
    followers = Follow.objects.filter(followee=old).values_list("follower_id", flat=True)
    blockers = blocker_ids(account=old)
    muters = muter_ids(account=old)
    moved = 0
    for follower in _local_accounts(followers):
        if follower.pk != new.pk:
            try:
                follow_create(follower=follower, followee=new)
            except NotFound:
                continue  # it may not follow the new account (a block): it keeps what it had
        follow_delete(follower=follower, followee=old)
        moved += 1
    for blocker in _local_accounts(blockers):
        if blocker.pk != new.pk and account_visible(blocker, new):
            block_create(blocker=blocker, blocked=new)
    for muter in _local_accounts(muters):
        if muter.pk != new.pk and account_visible(muter, new):
            mute_create(muter=muter, muted=new)
    return moved


def _local_accounts(ids: QuerySet[Any, int]) -> list[User]:
    """Return the local, active accounts among the ids a subquery gives, in id order."""
    found = User.objects.filter(pk__in=ids, remote_actor__isnull=True, is_active=True)
    return list(found.order_by("pk"))
