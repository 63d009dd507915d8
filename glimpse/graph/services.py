"""Every write to the social graph: follows, requests, blocks, mutes, and the counts; and the
content the visibility policy hides until a moderator looks.

Counts (``follower_count``, ``following_count``) change in the same transaction as the edge,
with F() expressions, and only when a row was really inserted or deleted, so they stay exact
under concurrency and never go below zero. Every write that touches the edges between two
accounts first locks both account rows, in id order: writes about the same accounts then
run one after the other (no lost update, no deadlock), and a follow sees the followee's
privacy as committed, never as it was before a concurrent change.

What the apps above do about a change (feeds, notifications, insights) they do after
commit, as subscribers to the events published here (``glimpse.core.events``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.core.event_bus import publish
from glimpse.core.events import (
    BlockChanged,
    FollowCreated,
    FollowRemoved,
    FollowRequestApproved,
    FollowRequestDenied,
    FollowRequested,
    MuteChanged,
)
from glimpse.graph.models import Block, CloseFriend, Follow, FollowRequest, HiddenContent, Mute
from glimpse.graph.visibility import account_visible

FollowState = Literal["following", "requested"]

# The message of a missing account: an account the actor may not see answers the same.
MISSING_ACCOUNT = "No account with this username."
MISSING_REQUEST = "No follow request with this id."


def follow_create(*, follower: User, followee: User) -> FollowState:
    """Follow an account, or ask to when it is private; doing it twice changes nothing.

    An account of another server is always asked: its server answers (at once, for a
    public one), and the request becomes a follow when it accepts.
    """
    _refuse_self(follower, followee, "You can't follow yourself.")
    with transaction.atomic():
        target = _lock(follower, followee).get(followee.pk)
        if target is None or not account_visible(follower, target):
            raise NotFound(MISSING_ACCOUNT)
        if Follow.objects.filter(follower=follower, followee=target).exists():
            return "following"
        if target.is_private or target.is_remote:
            _insert(FollowRequest(requester=follower, target=target))
            publish(FollowRequested(requester_id=follower.pk, target_id=target.pk))
            return "requested"
        FollowRequest.objects.filter(requester=follower, target=target).delete()
        if _insert(Follow(follower=follower, followee=target)):
            _count_follows(followee_ids=[target.pk], follower_ids=[follower.pk], delta=1)
            publish(FollowCreated(follower_id=follower.pk, followee_id=target.pk))
        return "following"


def follow_delete(*, follower: User, followee: User) -> None:
    """Unfollow an account, or cancel the request to follow it; nothing to undo is fine."""
    _refuse_self(follower, followee, "You can't unfollow yourself.")
    with transaction.atomic():
        _lock(follower, followee)
        FollowRequest.objects.filter(requester=follower, target=followee).delete()
        existed = _unfollow(follower.pk, followee.pk)
        publish(FollowRemoved(follower_id=follower.pk, followee_id=followee.pk, existed=existed))


def follow_request_approve(*, owner: User, request_id: int) -> None:
    """Approve a pending request to follow the owner: the requester becomes a follower."""
    with transaction.atomic():
        request = _request_of(owner, request_id)
        _lock(owner, request.requester)
        # Locked now: the request may have been cancelled while we waited.
        request = _request_of(owner, request_id)
        request.delete()
        followed = _insert(Follow(follower_id=request.requester_id, followee=owner))
        if followed:
            _count_follows(followee_ids=[owner.pk], follower_ids=[request.requester_id], delta=1)
        publish(
            FollowRequestApproved(
                owner_id=owner.pk, requester_id=request.requester_id, followed=followed
            )
        )


def follow_request_deny(*, owner: User, request_id: int) -> None:
    """Deny a pending request to follow the owner; the requester is not told."""
    found = FollowRequest.objects.filter(pk=request_id, target=owner)
    requester_id = found.values_list("requester_id", flat=True).first()
    deleted, _ = found.delete()
    if not deleted or requester_id is None:
        raise NotFound(MISSING_REQUEST)
    publish(FollowRequestDenied(owner_id=owner.pk, requester_id=requester_id))


def follow_requests_approve_all(*, owner: User) -> int:
    """Approve every pending request to follow the owner; return how many were approved."""
    with transaction.atomic():
        pending = FollowRequest.objects.filter(target=owner)
        requester_ids = set(pending.values_list("requester_id", flat=True))
        if not requester_ids:
            return 0
        _lock_ids({owner.pk, *requester_ids})
        # Read again under the locks: only what is still pending now is approved.
        requester_ids = set(pending.values_list("requester_id", flat=True))
        already = set(
            Follow.objects.filter(followee=owner, follower_id__in=requester_ids).values_list(
                "follower_id", flat=True
            )
        )
        new_ids = sorted(requester_ids - already)
        Follow.objects.bulk_create(
            [Follow(follower_id=requester_id, followee=owner) for requester_id in new_ids]
        )
        pending.filter(requester_id__in=requester_ids).delete()
        _count_follows(followee_ids=[owner.pk] * len(new_ids), follower_ids=new_ids, delta=1)
        for requester_id in new_ids:
            publish(
                FollowRequestApproved(owner_id=owner.pk, requester_id=requester_id, followed=True)
            )
        return len(new_ids)


def follower_remove(*, owner: User, follower: User) -> None:
    """Remove one of the owner's followers (who is not told); not a follower is fine."""
    _refuse_self(owner, follower, "You can't remove yourself.")
    with transaction.atomic():
        _lock(owner, follower)
        existed = _unfollow(follower.pk, owner.pk)
        publish(
            FollowRemoved(
                follower_id=follower.pk, followee_id=owner.pk, existed=existed, by_followee=True
            )
        )


def block_create(*, blocker: User, blocked: User) -> None:
    """Block an account: follows and requests both ways go, and each is hidden from the other."""
    _refuse_self(blocker, blocked, "You can't block yourself.")
    with transaction.atomic():
        target = _lock(blocker, blocked).get(blocked.pk)
        if Block.objects.filter(blocker=blocker, blocked=blocked).exists():
            return
        if target is None or not account_visible(blocker, target):
            raise NotFound(MISSING_ACCOUNT)
        _insert(Block(blocker=blocker, blocked=blocked))
        FollowRequest.objects.filter(
            Q(requester=blocker, target=blocked) | Q(requester=blocked, target=blocker)
        ).delete()
        pairs = ((blocker.pk, blocked.pk), (blocked.pk, blocker.pk))
        ended = tuple(pair for pair in pairs if _unfollow(*pair))
        publish(
            BlockChanged(
                blocker_id=blocker.pk, blocked_id=blocked.pk, blocking=True, follows_ended=ended
            )
        )


def block_delete(*, blocker: User, blocked: User) -> None:
    """Unblock an account; it does not restore the follows the block removed."""
    _refuse_self(blocker, blocked, "You can't unblock yourself.")
    if Block.objects.filter(blocker=blocker, blocked=blocked).delete()[0]:
        publish(BlockChanged(blocker_id=blocker.pk, blocked_id=blocked.pk, blocking=False))


def mute_create(*, muter: User, muted: User) -> None:
    """Mute an account: its posts and stories leave the muter's feed; it is not told."""
    _refuse_self(muter, muted, "You can't mute yourself.")
    with transaction.atomic():
        if Mute.objects.filter(muter=muter, muted=muted).exists():
            return
        if not account_visible(muter, muted):
            raise NotFound(MISSING_ACCOUNT)
        if _insert(Mute(muter=muter, muted=muted)):
            publish(MuteChanged(muter_id=muter.pk, muted_id=muted.pk, muting=True))


def mute_delete(*, muter: User, muted: User) -> None:
    """Unmute an account."""
    _refuse_self(muter, muted, "You can't unmute yourself.")
    if Mute.objects.filter(muter=muter, muted=muted).delete()[0]:
        publish(MuteChanged(muter_id=muter.pk, muted_id=muted.pk, muting=False))


def close_friend_add(*, owner: User, friend: User) -> None:
    """Put an account on the owner's Close Friends list; twice changes nothing."""
    _refuse_self(owner, friend, "You can't add yourself to your Close Friends.")
    if not account_visible(owner, friend):
        raise NotFound(MISSING_ACCOUNT)
    _insert(CloseFriend(owner=owner, friend=friend))


def close_friend_remove(*, owner: User, friend: User) -> None:
    """Take an account off the owner's Close Friends list; not on it is fine."""
    CloseFriend.objects.filter(owner=owner, friend=friend).delete()


def account_graph_delete(*, user: User) -> None:
    """Remove every edge of an account about to be deleted, and fix the others' counts."""
    with transaction.atomic():
        follows = Follow.objects.filter(Q(follower=user) | Q(followee=user))
        edges = list(follows.values_list("follower_id", "followee_id"))
        _lock_ids({user.pk} | {pk for edge in edges for pk in edge})
        # Read again under the locks: a follow made meanwhile is counted too.
        edges = list(follows.values_list("follower_id", "followee_id"))
        follows.delete()
        _count_follows(
            followee_ids=[followee for _, followee in edges],
            follower_ids=[follower for follower, _ in edges],
            delta=-1,
        )
        FollowRequest.objects.filter(Q(requester=user) | Q(target=user)).delete()
        Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
        Mute.objects.filter(Q(muter=user) | Q(muted=user)).delete()


def content_hide(*, kind: str, target_id: int) -> None:
    """Hide a post, comment or story from everyone but its author; twice is fine."""
    if kind not in HiddenContent.Kind.values:
        raise ValueError(f"{kind} cannot be hidden")
    # The unique pair makes a second hide a no-op, even when two run at once.
    HiddenContent.objects.bulk_create(
        [HiddenContent(kind=kind, target_id=target_id)], ignore_conflicts=True
    )


def content_unhide(*, kind: str, target_id: int) -> None:
    """Show hidden content to everyone who may see it again; not hidden is fine."""
    HiddenContent.objects.filter(kind=kind, target_id=target_id).delete()


# --- Helpers --------------------------------------------------------------------------------


def _refuse_self(actor: User, other: User, message: str) -> None:
    if actor.pk == other.pk:
        raise InvalidInput(message, code="self")


def _request_of(owner: User, request_id: int) -> FollowRequest:
    request = FollowRequest.objects.filter(pk=request_id, target=owner).first()
    if request is None:
        raise NotFound(MISSING_REQUEST)
    return request


def _lock(*accounts: User) -> dict[int, User]:
    """Lock the rows of these accounts, in id order, and return them fresh by id."""
    return _lock_ids({account.pk for account in accounts})


def _lock_ids(ids: Iterable[int]) -> dict[int, User]:
    # Always in id order, so that two transactions locking the same accounts cannot
    # deadlock. FOR NO KEY UPDATE: graph changes still run one at a time per account, but
    # rows that merely refer to the account (a like, a notification naming it) take their
    # key-share lock without queueing behind us, which closed a deadlock with the
    # notification jobs. SQLite ignores FOR UPDATE: its IMMEDIATE transactions already run
    # writers one at a time.
    rows = User.objects.select_for_update(no_key=True).filter(pk__in=list(ids)).order_by("pk")
    return {row.pk: row for row in rows}


def _insert(edge: Follow | FollowRequest | Block | Mute | CloseFriend) -> bool:
    """Insert an edge; return False when the same pair already exists."""
    try:
        with transaction.atomic():
            edge.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def _unfollow(follower_id: int, followee_id: int) -> bool:
    """Delete a follow and count it out; return whether there was one."""
    deleted, _ = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).delete()
    if deleted:
        _count_follows(followee_ids=[followee_id], follower_ids=[follower_id], delta=-1)
    return bool(deleted)


def _count_follows(*, followee_ids: list[int], follower_ids: list[int], delta: int) -> None:
    """Move the counts by ``delta`` for each follow inserted (1) or deleted (-1), never below 0.

    ``followee_ids[i]`` gained or lost the follower ``follower_ids[i]``.
    """
    for field, ids in (("follower_count", followee_ids), ("following_count", follower_ids)):
        by_times: dict[int, list[int]] = defaultdict(list)
        for pk, times in Counter(ids).items():
            by_times[times].append(pk)
        for times, pks in by_times.items():
            step = Greatest(F(field) + delta * times, Value(0))
            User.objects.filter(pk__in=pks).update(**{field: step})
