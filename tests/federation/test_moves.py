"""A ``Move`` from another server, against the test server: an account moved, its local
followers follow the new account (on that server or this one) and stop following the old,
and blocks and mutes carry over. A Move that is not the
old account's own, or whose target does not list it, changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import TestCase

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id
from glimpse.federation.models import InboxActivity, InboxState
from glimpse.federation.moves.aliases import alias_add
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from glimpse.graph.services import block_create, follow_create, mute_create
from glimpse.notifications.models import Notification
from tests.federation.remote_server import Peer, Remote, peer


@contextmanager
def committed() -> Iterator[None]:
    """Run what commits in the block, and the jobs it queues, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


@pytest.fixture
def bob(remote: Remote) -> Peer:
    return peer(remote, "bob")


def also_known_as(remote: Remote, who: Peer, *uris: Any) -> None:
    """Serve the peer's document again with ``alsoKnownAs``."""
    who.document["alsoKnownAs"] = list(uris)
    remote.serve("/users/" + who.name, who.document)


def follow_remote(remote: Remote, local: User, who: Peer) -> User:
    """Make a local account follow a peer: its Follow goes, the peer accepts."""
    account = actor_by_uri(who.uri)
    with committed():
        follow_create(follower=local, followee=account)
    follow = [a for a in remote.posted(who.inbox) if a["type"] == "Follow"][-1]
    who.send(who.activity("Accept", follow))
    assert Follow.objects.filter(follower=local, followee=account).exists()
    return account


def move_of(who: Peer, target: str, *, obj: str | None = None) -> dict[str, Any]:
    return who.activity("Move", obj or who.uri, target=target)


def follows(follower: User, followee: User) -> bool:
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def requested(follower: User, followee: User) -> bool:
    return FollowRequest.objects.filter(requester=follower, target=followee).exists()


def state_of(activity: dict[str, Any]) -> str:
    return InboxActivity.objects.get(activity_id=activity["id"]).state


def graph_snapshot() -> tuple[Any, ...]:
    """Every edge and every move, to show that nothing changed."""
    return (
        sorted(Follow.objects.values_list("follower_id", "followee_id")),
        sorted(FollowRequest.objects.values_list("requester_id", "target_id")),
        sorted(Block.objects.values_list("blocker_id", "blocked_id")),
        sorted(Mute.objects.values_list("muter_id", "muted_id")),
        sorted(User.objects.filter(moved_to__isnull=False).values_list("pk", "moved_to_id")),
    )


# --- Accepted ------------------------------------------------------------------------------


def test_a_move_takes_local_followers_to_the_new_account(
    remote: Remote, alice: Peer, bob: Peer, ana: User
) -> None:
    old = follow_remote(remote, ana, alice)
    also_known_as(remote, bob, alice.uri)
    move = move_of(alice, bob.uri)
    assert alice.send(move).status_code == 202
    assert state_of(move) == InboxState.DONE
    new = actor_by_uri(bob.uri)
    # Ana asked to follow the new account (its server answers), and left the old one.
    assert requested(ana, new)
    assert not follows(ana, old)
    (follow,) = [a for a in remote.posted(bob.inbox) if a["type"] == "Follow"]
    assert (follow["actor"], follow["object"]) == (actor_id("ana"), bob.uri)
    undo = remote.posted(alice.inbox)[-1]
    assert undo["type"] == "Undo"
    assert (undo["object"]["type"], undo["object"]["actor"]) == ("Follow", actor_id("ana"))
    assert undo["object"]["object"] == alice.uri
    old.refresh_from_db()
    assert old.moved_to_id == new.pk
    assert old.moved_at is not None
    # Its server accepts, and Ana follows the new account.
    bob.send(bob.activity("Accept", follow))
    assert follows(ana, new)


def test_blocks_and_mutes_of_the_old_account_carry_over(
    remote: Remote, alice: Peer, bob: Peer, make_user: Callable[..., User]
) -> None:
    bea, cai = make_user("bea"), make_user("cai")
    old = actor_by_uri(alice.uri)
    block_create(blocker=bea, blocked=old)
    mute_create(muter=cai, muted=old)
    also_known_as(remote, bob, alice.uri)
    alice.send(move_of(alice, bob.uri))
    new = actor_by_uri(bob.uri)
    assert Block.objects.filter(blocker=bea, blocked=new).exists()
    assert Mute.objects.filter(muter=cai, muted=new).exists()
    # The old ones stay.
    assert Block.objects.filter(blocker=bea, blocked=old).exists()
    assert Mute.objects.filter(muter=cai, muted=old).exists()


def test_an_alias_given_as_a_single_address_is_accepted(
    remote: Remote, alice: Peer, bob: Peer, ana: User
) -> None:
    old = follow_remote(remote, ana, alice)
    bob.document["alsoKnownAs"] = alice.uri
    remote.serve("/users/bob", bob.document)
    alice.send(move_of(alice, bob.uri))
    assert requested(ana, actor_by_uri(bob.uri))
    assert not follows(ana, old)


def test_the_same_move_twice_changes_nothing_more(
    remote: Remote, alice: Peer, bob: Peer, ana: User
) -> None:
    follow_remote(remote, ana, alice)
    also_known_as(remote, bob, alice.uri)
    alice.send(move_of(alice, bob.uri))
    before = graph_snapshot()
    posted = len([seen for seen in remote.seen if seen.method == "POST"])
    moved_at = User.objects.get(username__startswith="alice@").moved_at
    again = move_of(alice, bob.uri)
    alice.send(again)
    assert state_of(again) == InboxState.DONE
    assert graph_snapshot() == before
    assert len([seen for seen in remote.seen if seen.method == "POST"]) == posted
    assert User.objects.get(username__startswith="alice@").moved_at == moved_at


def test_a_move_here_makes_followers_follow_the_local_account_once(
    remote: Remote, alice: Peer, ana: User, make_user: Callable[..., User]
) -> None:
    dan = make_user("dan")
    old = follow_remote(remote, ana, alice)
    alias_add(user=dan, address=alice.uri)
    alice.send(move_of(alice, actor_id("dan")))
    assert follows(ana, dan)
    assert not follows(ana, old)
    assert remote.posted(alice.inbox)[-1]["type"] == "Undo"
    old.refresh_from_db()
    assert old.moved_to_id == dan.pk
    dan.refresh_from_db()
    assert dan.follower_count == 1
    assert Notification.objects.filter(recipient=dan, kind="follow").count() == 1
    # Told again, nobody is followed or notified twice.
    alice.send(move_of(alice, actor_id("dan")))
    assert Follow.objects.filter(followee=dan).count() == 1
    assert Notification.objects.filter(recipient=dan, kind="follow").count() == 1


# --- Refused -------------------------------------------------------------------------------


def test_a_move_whose_target_does_not_list_the_old_account_is_ignored(
    remote: Remote, alice: Peer, bob: Peer, ana: User
) -> None:
    old = follow_remote(remote, ana, alice)
    also_known_as(remote, bob, peer(remote, "someone").uri)
    before = graph_snapshot()
    move = move_of(alice, bob.uri)
    alice.send(move)
    assert state_of(move) == InboxState.IGNORED
    assert graph_snapshot() == before
    assert follows(ana, old)
    assert [a for a in remote.posted(bob.inbox) if a["type"] == "Follow"] == []


def test_a_move_of_someone_else_is_ignored(
    remote: Remote, alice: Peer, bob: Peer, ana: User
) -> None:
    follow_remote(remote, ana, alice)
    also_known_as(remote, bob, alice.uri)
    mallory = peer(remote, "mallory")
    before = graph_snapshot()
    # Mallory moves Alice's account: only Alice may.
    moved_by_mallory = move_of(mallory, bob.uri, obj=alice.uri)
    mallory.send(moved_by_mallory)
    # Mallory moves herself to Bob, who lists Alice, not her.
    mallory.send(move_of(mallory, bob.uri))
    # Alice names another actor as what moves.
    alice.send(move_of(alice, bob.uri, obj=mallory.uri))
    assert graph_snapshot() == before
    rows = InboxActivity.objects.filter(kind="Move")
    assert {row.state for row in rows} == {InboxState.IGNORED}
    assert [a for a in remote.posted(bob.inbox) if a["type"] == "Follow"] == []


def test_a_move_to_the_account_itself_or_to_nothing_is_ignored(
    remote: Remote, alice: Peer, ana: User
) -> None:
    follow_remote(remote, ana, alice)
    also_known_as(remote, alice, alice.uri)
    before = graph_snapshot()
    to_itself = move_of(alice, alice.uri)
    alice.send(to_itself)
    no_target = alice.activity("Move", alice.uri)
    alice.send(no_target)
    nobody = move_of(alice, remote.url("/users/nobody"))
    alice.send(nobody)
    assert graph_snapshot() == before
    assert state_of(to_itself) == InboxState.IGNORED
    assert state_of(no_target) == InboxState.IGNORED
    assert state_of(nobody) in (InboxState.IGNORED, InboxState.FAILED)


def test_a_move_to_a_local_account_that_did_not_list_it_is_ignored(
    remote: Remote, alice: Peer, ana: User, make_user: Callable[..., User]
) -> None:
    dan = make_user("dan")
    old = follow_remote(remote, ana, alice)
    alias_add(user=dan, address=peer(remote, "someone").uri)
    before = graph_snapshot()
    move = move_of(alice, actor_id("dan"))
    alice.send(move)
    assert state_of(move) == InboxState.IGNORED
    assert graph_snapshot() == before
    assert follows(ana, old)
    assert not follows(ana, dan)
    assert not Notification.objects.filter(recipient=dan).exists()
