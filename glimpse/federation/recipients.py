"""Who an activity goes to: the actor ids and inboxes of accounts, local or of other servers.

An account of this server is ``<site>/users/<username>``; another server's account is the id
its ``RemoteActor`` keeps. An activity for a remote account goes to its server's shared inbox
when it has one (one copy for all its accounts there), else to the account's own inbox.
"""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id
from glimpse.federation.models import RemoteActor
from glimpse.graph.models import Follow


def actor_uri_of(user: User) -> str:
    """Return the ActivityPub id of an account, local or of another server."""
    if not user.is_remote:
        return actor_id(user.username)
    return RemoteActor.objects.values_list("uri", flat=True).get(user_id=user.pk)


def inbox_of(user: User) -> str | None:
    """Return where to deliver to an account of another server; None for a local one."""
    if not user.is_remote:
        return None
    found = RemoteActor.objects.filter(user_id=user.pk).values_list("shared_inbox", "inbox")
    row = found.first()
    return (row[0] or row[1]) if row else None


def inboxes_of(user_ids: list[int]) -> list[str]:
    """Return the distinct inboxes of these accounts of other servers (local ones skipped)."""
    rows = RemoteActor.objects.filter(user_id__in=user_ids).values_list("shared_inbox", "inbox")
    return sorted({shared or own for shared, own in rows})


def follower_inboxes(user: User) -> list[str]:
    """Return the distinct inboxes of an account's followers on other servers."""
    rows = RemoteActor.objects.filter(
        user_id__in=Follow.objects.filter(followee_id=user.pk).values("follower_id")
    ).values_list("shared_inbox", "inbox")
    return sorted({shared or own for shared, own in rows})
