"""``Move`` from another server: one of its accounts moved, and its followers here follow
the new account (on any server, this one included) when that account agrees."""

from __future__ import annotations

from glimpse.accounts.services import account_move_record
from glimpse.federation.incoming.registry import Ignored, Incoming, handles, id_of
from glimpse.federation.moves.carry import followers_move
from glimpse.federation.moves.selectors import also_known_as
from glimpse.federation.remote.parse import RemoteActorInvalid
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_uri


@handles("Move")
def move_received(incoming: Incoming) -> None:
    """Record that the sender's account moved, and move its local followers to the target.

    Accepted only when the sender moves itself and the target, read afresh, lists the
    sender among the accounts it also is (``alsoKnownAs``).
    """
    old_uri = incoming.actor_uri
    if incoming.object_id != old_uri:
        raise Ignored("a Move may only move the account that sends it")
    target_uri = id_of(incoming.activity.get("target"))
    if target_uri is None:
        raise Ignored("the Move names no target")
    if target_uri == old_uri:
        raise Ignored("the Move's target is the account that moves")
    try:
        # Afresh: the alias the new account lists may have been added a minute ago.
        new = actor_by_uri(target_uri, refresh=True)
    except (ActorNotFound, RemoteActorInvalid) as error:
        raise Ignored(f"the Move's target is no account: {error}") from error
    old = incoming.actor
    if new.pk == old.pk:
        raise Ignored("the Move's target is the account that moves")
    if not new.is_active:
        raise Ignored("the Move's target is not an active account")
    if old_uri not in also_known_as(account=new):
        raise Ignored("the Move's target does not list the account that moves (alsoKnownAs)")
    account_move_record(user=old, target=new)
    followers_move(old=old, new=new)
