"""Follows other servers send: ``Follow`` of a local account, its ``Undo``, and the
``Accept`` or ``Reject`` of a local account's follow of theirs."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.federation.follows.services import (
    follow_answer_send,
    follow_id_record,
)
from glimpse.federation.incoming.registry import Ignored, Incoming, handles, id_of, type_of
from glimpse.federation.models import FollowActivity
from glimpse.federation.remote.resolve import local_account_by_uri
from glimpse.graph.models import Follow, FollowRequest
from glimpse.graph.services import (
    follow_create,
    follow_delete,
    follow_request_approve,
    follow_request_deny,
    follower_remove,
)


@handles("Follow")
def follow_received(incoming: Incoming) -> None:
    """Follow a local account, or ask to when it is private; refuse where it may not."""
    followee = _local_account(incoming.object_id)
    follower = incoming.actor
    follow_id_record(follower=follower, followee=followee, follow_id=str(incoming.activity["id"]))
    try:
        state = follow_create(follower=follower, followee=followee)
    except NotFound:
        # A blocked account (or one that may not see the followee) is told no.
        follow_answer_send(follower=follower, followee=followee, accepted=False)
        return
    if state == "following":
        # Also when it was following already: its server asks again because it lost track.
        follow_answer_send(follower=follower, followee=followee, accepted=True)
    # "requested": the Accept or Reject goes when the owner decides.


@handles("Undo/Follow")
def follow_undone(incoming: Incoming) -> None:
    """Stop the sender's follow of a local account, or withdraw its request."""
    followee = _followee_of_undo(incoming)
    follow_delete(follower=incoming.actor, followee=followee)
    FollowActivity.objects.filter(follower=incoming.actor, followee=followee).delete()


@handles("Accept")
def follow_accepted(incoming: Incoming) -> None:
    """Make a local account's request to follow the sender a follow."""
    follower = _follower_answered(incoming)
    request = FollowRequest.objects.filter(requester=follower, target=incoming.actor).first()
    if request is not None:
        follow_request_approve(owner=incoming.actor, request_id=request.pk)
    elif not Follow.objects.filter(follower=follower, followee=incoming.actor).exists():
        raise Ignored("no follow of the sender is waiting for an answer")


@handles("Reject")
def follow_rejected(incoming: Incoming) -> None:
    """Drop a local account's request to follow the sender, or its follow (removed there)."""
    follower = _follower_answered(incoming)
    request = FollowRequest.objects.filter(requester=follower, target=incoming.actor).first()
    if request is not None:
        follow_request_deny(owner=incoming.actor, request_id=request.pk)
    else:
        follower_remove(owner=incoming.actor, follower=follower)
    FollowActivity.objects.filter(follower=follower, followee=incoming.actor).delete()


def _local_account(uri: str | None) -> User:
    """Return the local account an actor id names, or leave the activity alone."""
    account = local_account_by_uri(uri) if uri else None
    if account is None:
        raise Ignored("it does not name an account of this server")
    return account


def _followee_of_undo(incoming: Incoming) -> User:
    """Return the local account an ``Undo`` of the sender's ``Follow`` concerns."""
    follow = incoming.object
    if isinstance(follow, dict):
        if id_of(follow.get("actor")) not in (None, incoming.actor_uri):
            raise Ignored("the Follow undone is not the sender's")
        followee_uri = id_of(follow.get("object"))
        if followee_uri:
            return _local_account(followee_uri)
    known = FollowActivity.objects.filter(
        follower=incoming.actor, uri=incoming.object_id or ""
    ).first()
    if known is None:
        raise Ignored("the Follow undone is unknown here")
    return known.followee


def _follower_answered(incoming: Incoming) -> User:
    """Return the local account whose ``Follow`` of the sender an Accept or Reject answers."""
    follow = incoming.object
    if isinstance(follow, dict) and type_of(follow) not in ("", "Follow"):
        raise Ignored(f"it answers a {type_of(follow)}, not a Follow")
    known = FollowActivity.objects.filter(
        followee=incoming.actor, uri=incoming.object_id or ""
    ).first()
    if known is not None:
        return known.follower
    # Some servers answer with a Follow of their own making: match it by who and whom.
    if isinstance(follow, dict) and id_of(follow.get("object")) == incoming.actor_uri:
        return _local_account(id_of(follow.get("actor")))
    raise Ignored("it answers no Follow sent from here")
