"""Send the activities of follows between a local account and an account of another server,
and keep the id of each ``Follow`` (``FollowActivity``) that answers and undoes name.

Every activity goes to the other account's own inbox: a follow concerns that account alone.
"""

from __future__ import annotations

import secrets

from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id
from glimpse.federation.delivery.services import deliver_activity
from glimpse.federation.follows.activities import answer_of, follow_of, undo_of, with_context
from glimpse.federation.models import FollowActivity, RemoteActor
from glimpse.federation.recipients import actor_uri_of


def follow_id_record(*, follower: User, followee: User, follow_id: str) -> None:
    """Remember the id of the latest ``Follow`` between two accounts."""
    FollowActivity.objects.update_or_create(
        follower=follower,
        followee=followee,
        defaults={"uri": follow_id, "created_at": timezone.now()},
    )


def follow_send(*, follower: User, followee: User) -> None:
    """Ask an account of another server to be followed by a local account (a new ``Follow``)."""
    follow_id = f"{actor_id(follower.username)}#follows/{secrets.token_hex(8)}"
    follow_id_record(follower=follower, followee=followee, follow_id=follow_id)
    follow = follow_of(
        follow_id=follow_id, follower=actor_id(follower.username), followee=actor_uri_of(followee)
    )
    deliver_activity(activity=with_context(follow), actor=follower, inboxes=_inbox(followee))


def follow_undo_send(*, follower: User, followee: User) -> None:
    """Take back a local account's follow (or request) of an account of another server."""
    follow = _follow(follower, followee)
    if follow is None:
        return  # never sent: nothing to take back
    deliver_activity(activity=undo_of(follow), actor=follower, inboxes=_inbox(followee))
    FollowActivity.objects.filter(follower=follower, followee=followee).delete()


def follow_answer_send(*, follower: User, followee: User, accepted: bool) -> None:
    """Accept (or reject) the follow of a local account by an account of another server."""
    follow = _follow(follower, followee)
    if follow is None:
        return  # no Follow was received: there is nothing to answer
    activity = answer_of(follow, accepted=accepted)
    deliver_activity(activity=activity, actor=followee, inboxes=_inbox(follower))
    if not accepted:
        FollowActivity.objects.filter(follower=follower, followee=followee).delete()


def _follow(follower: User, followee: User) -> dict[str, str] | None:
    """Return the ``Follow`` between two accounts as it was sent, or None if none is known."""
    follow_id = (
        FollowActivity.objects.filter(follower=follower, followee=followee)
        .values_list("uri", flat=True)
        .first()
    )
    if follow_id is None:
        return None
    return follow_of(
        follow_id=follow_id, follower=actor_uri_of(follower), followee=actor_uri_of(followee)
    )


def _inbox(account: User) -> list[str]:
    """Return the account's own inbox, where a follow's activities go."""
    inbox = RemoteActor.objects.filter(user_id=account.pk).values_list("inbox", flat=True).first()
    return [inbox] if inbox else []
