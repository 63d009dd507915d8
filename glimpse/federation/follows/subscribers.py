"""Hear of follows that concern an account of another server, and queue what to tell it."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.core import event_bus, events
from glimpse.core.jobs import enqueue
from glimpse.federation.follows.tasks import federation_follow_send
from glimpse.federation.switch import federation_enabled


def subscribe_follows() -> None:
    """Subscribe to the graph's follow events (called from the app's ``ready``)."""
    event_bus.subscribe(events.FollowRequested, follow_requested)
    event_bus.subscribe(events.FollowRequestApproved, follow_request_approved)
    event_bus.subscribe(events.FollowRequestDenied, follow_request_denied)
    event_bus.subscribe(events.FollowRemoved, follow_removed)


def follow_requested(event: events.FollowRequested) -> None:
    """Send a local account's request to an account of another server."""
    _send("follow", follower_id=event.requester_id, followee_id=event.target_id)


def follow_request_approved(event: events.FollowRequestApproved) -> None:
    """Tell another server that a local account accepted its account's follow."""
    _send("accept", follower_id=event.requester_id, followee_id=event.owner_id)


def follow_request_denied(event: events.FollowRequestDenied) -> None:
    """Tell another server that a local account refused its account's follow."""
    _send("reject", follower_id=event.requester_id, followee_id=event.owner_id)


def follow_removed(event: events.FollowRemoved) -> None:
    """Undo a local account's follow of another server's account, or reject a removed one."""
    kind = "reject" if event.by_followee else "undo"
    _send(kind, follower_id=event.follower_id, followee_id=event.followee_id)


def _send(kind: str, *, follower_id: int, followee_id: int) -> None:
    """Queue the activity when the follow is between a local and a remote account, this way."""
    if not federation_enabled():
        return
    accounts = User.objects.in_bulk([follower_id, followee_id])
    follower, followee = accounts.get(follower_id), accounts.get(followee_id)
    if follower is None or followee is None:
        return
    # A Follow or its Undo comes from the local follower; an answer from the local followee.
    acting, other = (follower, followee) if kind in ("follow", "undo") else (followee, follower)
    if not acting.is_remote and other.is_remote:
        enqueue(federation_follow_send, kind, follower_id, followee_id)
