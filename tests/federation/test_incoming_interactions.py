"""Likes, reposts and blocks from other servers, and their Undo: written through the posts'
and graph's services as the remote account, refused (nothing written) where the policy says
that account may not see the post, and undone only by their own actor."""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.federation.objects import local_comment_uri, local_post_uri
from glimpse.feeds.selectors import feed_page
from glimpse.graph.models import Block, Follow
from glimpse.graph.services import block_create
from glimpse.posts.models import CommentLike, Like, Post, Repost
from glimpse.posts.services import comment_create
from tests.federation.incoming_fixtures import (
    account_of,
    followed,
    local_post,
    note,
    outcome,
    pixelfed_photo,
)
from tests.federation.remote_server import Peer, Remote, peer
from tests.posts.conftest import snapshot


def test_a_like_of_a_post_and_of_a_comment_and_their_undo(alice: Peer, ana: User) -> None:
    post = local_post(ana)
    comment = comment_create(author=ana, post_id=post.pk, text="hi")
    like = alice.activity("Like", local_post_uri(post.pk))
    alice.send(like)
    alice.send(alice.activity("Like", local_post_uri(post.pk)))  # a second like: no change
    alice.send(alice.activity("Like", local_comment_uri(comment.pk)))
    post.refresh_from_db()
    assert post.like_count == 1
    assert Like.objects.get().user_id == account_of(alice).pk
    assert CommentLike.objects.count() == 1
    # An Undo naming the like by its id (Mastodon embeds it: see the reposts below).
    alice.send(alice.activity("Undo", like["id"]))
    post.refresh_from_db()
    assert (post.like_count, Like.objects.count()) == (0, 0)


def test_a_misskey_reaction_is_a_like(alice: Peer, ana: User) -> None:
    post = local_post(ana)
    react = alice.activity("EmojiReact", local_post_uri(post.pk), content="🔥")
    alice.send(react)
    assert Like.objects.count() == 1
    alice.send(alice.activity("Undo", react))
    assert Like.objects.count() == 0


def test_a_like_from_a_blocked_or_non_following_account_writes_nothing(
    alice: Peer, ana: User, make_user: Any
) -> None:
    block_create(blocker=ana, blocked=account_of(alice))
    private = make_user("pri", is_private=True)
    targets = [local_post(ana), local_post(private)]
    before = snapshot()
    for post in targets:
        activity = alice.activity("Like", local_post_uri(post.pk))
        alice.send(activity)
        assert outcome(activity)[0] == "ignored"
    assert snapshot() == before


def test_only_the_liker_may_undo_a_like(remote: Remote, alice: Peer, ana: User) -> None:
    post = local_post(ana)
    like = alice.activity("Like", local_post_uri(post.pk))
    alice.send(like)
    mallory = peer(remote, "mallory")
    for undo in (mallory.activity("Undo", like["id"]), mallory.activity("Undo", like)):
        mallory.send(undo)
        assert outcome(undo)[0] == "ignored"
    assert Like.objects.count() == 1


def test_an_announce_of_a_post_here_is_a_repost_and_undo_takes_it_back(
    alice: Peer, ana: User
) -> None:
    post = local_post(ana)
    announce = alice.activity("Announce", local_post_uri(post.pk))
    alice.send(announce)
    assert Repost.objects.get().user_id == account_of(alice).pk
    alice.send(alice.activity("Undo", announce))
    assert not Repost.objects.exists()


def test_an_announce_of_an_unknown_post_fetches_it_for_the_announcers_followers(
    remote: Remote, alice: Peer, ana: User
) -> None:
    bob = peer(remote, "bob")
    original = note(bob, attachment=[pixelfed_photo(remote)])
    remote.serve(original["id"].split(str(remote.port))[1], original)
    unwanted = alice.activity("Announce", original["id"])
    alice.send(unwanted)  # nobody follows alice yet
    assert outcome(unwanted)[0] == "ignored"
    assert not Post.objects.exists()
    followed(alice, by=ana)
    alice.send(alice.activity("Announce", original["id"]))
    post = Post.objects.get()
    assert post.author_id == account_of(bob).pk
    assert Repost.objects.get(post=post).user_id == account_of(alice).pk
    # ana sees it in her home feed, as alice's repost.
    assert [(i.post_id, i.reposted_by_id) for i in feed_page(viewer=ana).items] == [
        (post.pk, account_of(alice).pk)
    ]


def test_an_announced_object_must_come_from_its_own_server(
    remote: Remote, alice: Peer, ana: User
) -> None:
    followed(alice, by=ana)
    bob = peer(remote, "bob")
    original = note(bob, attachment=[pixelfed_photo(remote)])
    # Served at an address of other.test, but claiming an id on remote.test.
    remote.serve("/forged/1", original)
    activity = alice.activity("Announce", remote.url("/forged/1", host="other.test"))
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert not Post.objects.exists()


def test_a_block_and_its_undo(alice: Peer, ana: User) -> None:
    followed(alice, by=ana)
    block = alice.activity("Block", "https://glimpse.example/users/ana")
    alice.send(block)
    blocker = account_of(alice)
    assert Block.objects.filter(blocker=blocker, blocked=ana).exists()
    # The block ended ana's follow of alice, as any block does.
    assert not Follow.objects.filter(follower=ana).exists()
    alice.send(alice.activity("Undo", block))
    assert not Block.objects.exists()


def test_a_block_of_an_account_elsewhere_is_ignored(remote: Remote, alice: Peer) -> None:
    bob = peer(remote, "bob")
    activity = alice.activity("Block", bob.uri)
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert not Block.objects.exists()
