"""Local accounts' profiles sent to other servers: an Update of the Person when the profile
changes, and a Delete of the actor when the account is erased for good.

The erased account's key row goes with it, while Mastodon takes a Delete of an actor only
signed by that actor (with the key it keeps of it: the actor's address answers 404 by
then). So the Delete is built, and a copy of the key taken, before the rows go; the
outgoing row keeps that copy, without the account, until every delivery is finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glimpse.federation.actors import actor_id, person_document
from glimpse.federation.delivery.sending import SignerCopy
from glimpse.federation.delivery.services import current_time, deliver_activity
from glimpse.federation.models import ActorKey
from glimpse.federation.outgoing.activities import actor_delete_activity, person_update_activity
from glimpse.federation.outgoing.audience import (
    inboxes,
    remote_follower_ids,
    remote_following_ids,
)
from glimpse.federation.outgoing.common import local_account


@dataclass(frozen=True)
class Farewell:
    """The Delete of an erased account, ready to send: built before its rows went."""

    activity: dict[str, Any]
    inboxes: tuple[str, ...]
    signer: SignerCopy


def account_update_send(*, account_id: int) -> int:
    """Send the Update of a changed profile to the account's followers of other servers."""
    user = local_account(account_id)
    if user is None or not user.is_active:
        return 0  # an inactive account's actor is not found: nothing to tell of it
    activity = person_update_activity(person_document(user), at=current_time())
    recipients = inboxes(remote_follower_ids(user.pk))
    return deliver_activity(activity=activity, actor=user, inboxes=recipients)


def account_farewell(*, account_id: int) -> Farewell | None:
    """Return the Delete of an account about to be erased, for every server that follows it
    or that it follows, or None when there is nothing to send."""
    user = local_account(account_id)
    if user is None:
        return None
    key = ActorKey.objects.filter(user_id=user.pk).first()
    if key is None:
        return None  # its key was never made: no server ever read its actor
    me = actor_id(user.username)
    targets = inboxes([*remote_follower_ids(user.pk), *remote_following_ids(user.pk)])
    if not targets:
        return None
    return Farewell(
        activity=actor_delete_activity(actor=me),
        inboxes=tuple(targets),
        signer=SignerCopy(key_id=f"{me}#main-key", private_pem=key.private_pem),
    )


def account_farewell_send(farewell: Farewell) -> int:
    """Record the Delete of an erased account, signed by the copy of its key."""
    return deliver_activity(
        activity=farewell.activity, actor=None, inboxes=farewell.inboxes, signer=farewell.signer
    )
