"""Follows across servers, both ways, against the test server: a remote account follows a
local one (at once, or after approval), is refused when blocked, and takes its follow back;
a local account follows a remote one, which accepts or rejects; each side can end it. Only
the accounts concerned can answer or undo, and nothing else changes when they cannot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.test import TestCase

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id
from glimpse.federation.keys import actor_key
from glimpse.federation.models import FollowActivity, InboxActivity, InboxState
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.federation.signatures import verify_request
from glimpse.federation.signatures.common import PublicKeyInfo
from glimpse.graph.models import Follow, FollowRequest
from glimpse.graph.services import (
    block_create,
    follow_create,
    follow_delete,
    follow_request_approve,
    follow_request_deny,
    follower_remove,
)
from tests.federation.remote_server import Peer, Remote, peer


@contextmanager
def committed() -> Iterator[None]:
    """Run what commits in the block, and the jobs it queues, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def follows(follower: User, followee: User) -> bool:
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def requested(follower: User, followee: User) -> bool:
    return FollowRequest.objects.filter(requester=follower, target=followee).exists()


def follow_of(who: Peer, whom: User) -> dict[str, Any]:
    return who.activity("Follow", actor_id(whom.username))


def answers(remote: Remote, who: Peer) -> list[dict[str, Any]]:
    """Return what this server posted to the peer's own inbox."""
    return remote.posted(who.inbox)


def follow_sent(remote: Remote, who: Peer, *, by: User) -> tuple[User, dict[str, Any]]:
    """Make a local account ask to follow a peer; return the peer's account and the Follow
    its server got."""
    followee = actor_by_uri(who.uri)
    with committed():
        follow_create(follower=by, followee=followee)
    (follow,) = answers(remote, who)
    return followee, follow


# --- A remote account follows a local one ------------------------------------------------


def test_a_remote_follow_of_a_public_account_is_accepted_at_once(
    remote: Remote, alice: Peer, ana: User
) -> None:
    follow = follow_of(alice, ana)
    assert alice.send(follow, to="/users/ana/inbox").status_code == 202
    follower = actor_by_uri(alice.uri)
    assert follows(follower, ana)
    (accept,) = answers(remote, alice)
    assert accept["type"] == "Accept"
    assert accept["actor"] == actor_id("ana")
    assert accept["object"] == {
        "id": follow["id"],
        "type": "Follow",
        "actor": alice.uri,
        "object": actor_id("ana"),
    }
    # Signed by ana's key, as the follow's owner.
    seen = remote.asked(alice.inbox)[0]

    def key(key_id: str, refresh: bool) -> PublicKeyInfo:
        return PublicKeyInfo(public_key_pem=actor_key(ana).public_pem, actor_id=actor_id("ana"))

    url = remote.url(alice.inbox)
    verified = verify_request(
        method="POST", url=url, headers=seen.headers, body=seen.body, key_lookup=key
    )
    assert verified.actor_id == actor_id("ana")


def test_a_follow_sent_again_is_accepted_again_and_stays_one(
    remote: Remote, alice: Peer, ana: User
) -> None:
    alice.send(follow_of(alice, ana))
    again = follow_of(alice, ana)
    alice.send(again)
    assert Follow.objects.filter(followee=ana).count() == 1
    assert [a["object"]["id"] for a in answers(remote, alice)][-1] == again["id"]
    assert ana.__class__.objects.get(pk=ana.pk).follower_count == 1


def test_a_private_account_approves_a_remote_follow_first(
    remote: Remote, alice: Peer, make_user: Callable[..., User]
) -> None:
    bea = make_user("bea", is_private=True)
    follow = follow_of(alice, bea)
    alice.send(follow)
    follower = actor_by_uri(alice.uri)
    assert requested(follower, bea)
    assert not follows(follower, bea)
    assert answers(remote, alice) == []
    with committed():
        request = FollowRequest.objects.get(target=bea)
        follow_request_approve(owner=bea, request_id=request.pk)
    assert follows(follower, bea)
    (accept,) = answers(remote, alice)
    assert (accept["type"], accept["object"]["id"]) == ("Accept", follow["id"])


def test_a_private_account_can_refuse_a_remote_follow(
    remote: Remote, alice: Peer, make_user: Callable[..., User]
) -> None:
    bea = make_user("bea", is_private=True)
    follow = follow_of(alice, bea)
    alice.send(follow)
    with committed():
        request = FollowRequest.objects.get(target=bea)
        follow_request_deny(owner=bea, request_id=request.pk)
    follower = actor_by_uri(alice.uri)
    assert not requested(follower, bea)
    assert not follows(follower, bea)
    (reject,) = answers(remote, alice)
    assert (reject["type"], reject["object"]["id"]) == ("Reject", follow["id"])


def test_a_blocked_account_is_refused_and_nothing_is_written(
    remote: Remote, alice: Peer, ana: User
) -> None:
    follower = actor_by_uri(alice.uri)
    block_create(blocker=ana, blocked=follower)
    alice.send(follow_of(alice, ana))
    assert not follows(follower, ana)
    assert not requested(follower, ana)
    (reject,) = answers(remote, alice)
    assert reject["type"] == "Reject"


def test_a_remote_account_takes_its_follow_back(remote: Remote, alice: Peer, ana: User) -> None:
    follow = follow_of(alice, ana)
    alice.send(follow)
    alice.send(alice.activity("Undo", follow))
    assert not follows(actor_by_uri(alice.uri), ana)
    assert not FollowActivity.objects.exists()
    # Undo naming the Follow by its id alone works too.
    again = follow_of(alice, ana)
    alice.send(again)
    alice.send(alice.activity("Undo", again["id"]))
    assert not follows(actor_by_uri(alice.uri), ana)


def test_nobody_else_can_undo_a_follow(remote: Remote, alice: Peer, ana: User) -> None:
    mallory = peer(remote, "mallory")
    follow = follow_of(alice, ana)
    alice.send(follow)
    mallory.send(mallory.activity("Undo", follow))
    mallory.send(mallory.activity("Undo", follow["id"]))
    assert follows(actor_by_uri(alice.uri), ana)
    undos = InboxActivity.objects.filter(actor_uri=mallory.uri)
    assert {row.state for row in undos} == {InboxState.IGNORED}


def test_a_follow_of_no_account_here_is_left_alone(remote: Remote, alice: Peer) -> None:
    alice.send(alice.activity("Follow", actor_id("nobody")))
    alice.send(alice.activity("Follow", peer(remote, "bob").uri))
    assert not Follow.objects.exists()
    assert not FollowRequest.objects.exists()
    assert set(InboxActivity.objects.values_list("state", flat=True)) == {InboxState.IGNORED}
    assert answers(remote, alice) == []


def test_a_local_account_removing_a_remote_follower_rejects_its_follow(
    remote: Remote, alice: Peer, ana: User
) -> None:
    follow = follow_of(alice, ana)
    alice.send(follow)
    with committed():
        follower_remove(owner=ana, follower=actor_by_uri(alice.uri))
    reject = answers(remote, alice)[-1]
    assert (reject["type"], reject["object"]["id"]) == ("Reject", follow["id"])


# --- A local account follows a remote one ------------------------------------------------


def test_a_local_follow_waits_for_the_remote_accept(remote: Remote, alice: Peer, ana: User) -> None:
    followee = actor_by_uri(alice.uri)
    with committed():
        assert follow_create(follower=ana, followee=followee) == "requested"
    (follow,) = answers(remote, alice)
    assert follow["type"] == "Follow"
    assert (follow["actor"], follow["object"]) == (actor_id("ana"), alice.uri)
    assert not follows(ana, followee)
    alice.send(alice.activity("Accept", {k: follow[k] for k in ("id", "type", "actor", "object")}))
    assert follows(ana, followee)
    assert not requested(ana, followee)
    assert User.objects.get(pk=ana.pk).following_count == 1


def test_an_accept_naming_the_follow_by_id_alone_is_enough(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followee, follow = follow_sent(remote, alice, by=ana)
    alice.send(alice.activity("Accept", follow["id"]))
    assert follows(ana, followee)


def test_a_remote_reject_drops_the_request(remote: Remote, alice: Peer, ana: User) -> None:
    followee, follow = follow_sent(remote, alice, by=ana)
    alice.send(alice.activity("Reject", follow))
    assert not requested(ana, followee)
    assert not follows(ana, followee)


def test_a_remote_reject_later_ends_the_follow(remote: Remote, alice: Peer, ana: User) -> None:
    followee, follow = follow_sent(remote, alice, by=ana)
    alice.send(alice.activity("Accept", follow))
    alice.send(alice.activity("Reject", follow))
    assert not follows(ana, followee)
    assert User.objects.get(pk=ana.pk).following_count == 0


def test_only_the_followee_can_accept(remote: Remote, alice: Peer, ana: User) -> None:
    mallory = peer(remote, "mallory")
    followee, follow = follow_sent(remote, alice, by=ana)
    mallory.send(mallory.activity("Accept", follow))
    mallory.send(mallory.activity("Accept", follow["id"]))
    assert requested(ana, followee)
    assert not follows(ana, followee)
    assert not Follow.objects.exists()


def test_unfollowing_a_remote_account_undoes_the_follow(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followee, follow = follow_sent(remote, alice, by=ana)
    alice.send(alice.activity("Accept", follow))
    with committed():
        follow_delete(follower=ana, followee=followee)
    undo = answers(remote, alice)[-1]
    sent = {k: v for k, v in follow.items() if k != "@context"}
    assert (undo["type"], undo["actor"], undo["object"]) == ("Undo", actor_id("ana"), sent)
    assert not FollowActivity.objects.exists()


def test_nothing_is_sent_while_federation_is_off(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    followee = actor_by_uri(alice.uri)
    settings.GLIMPSE_FEDERATION = False
    with committed():
        follow_create(follower=ana, followee=followee)
    assert answers(remote, alice) == []
