"""Replies from other servers: comments on posts here, replies in their threads, the thread
fetched up to its post when it is not known, and nothing written for an account that may not
see the post."""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.federation.models import RemoteObject
from glimpse.federation.objects import local_comment_uri, local_post_uri
from glimpse.graph.services import block_create
from glimpse.posts.models import Comment, Post
from glimpse.posts.services import comment_create
from tests.federation.incoming_fixtures import (
    account_of,
    create,
    followed,
    local_post,
    note,
    outcome,
    pixelfed_photo,
)
from tests.federation.remote_server import Peer, Remote, peer
from tests.posts.conftest import snapshot


@pytest.fixture
def ana_post(ana: User) -> Post:
    return local_post(ana)


def test_a_reply_to_a_post_here_is_a_comment(alice: Peer, ana_post: Post) -> None:
    reply = note(
        alice, content="<p>Lovely!</p>", inReplyTo=local_post_uri(ana_post.pk), attachment=[]
    )
    alice.send(create(alice, reply))
    comment = Comment.objects.get()
    assert (comment.post_id, comment.parent_id, comment.text) == (ana_post.pk, None, "Lovely!")
    assert comment.author_id == account_of(alice).pk
    assert RemoteObject.objects.get(uri=reply["id"]).comment_id == comment.pk


def test_a_reply_to_a_comment_joins_its_thread(alice: Peer, ana: User, ana_post: Post) -> None:
    top = comment_create(author=ana, post_id=ana_post.pk, text="First")
    alice.send(create(alice, note(alice, inReplyTo=local_comment_uri(top.pk))))
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert (reply.post_id, reply.parent_id) == (ana_post.pk, top.pk)
    # A reply to that reply, by its id on alice's server, joins the same thread.
    known = RemoteObject.objects.get(comment=reply).uri
    alice.send(create(alice, note(alice, content="<p>again</p>", inReplyTo=known)))
    deeper = Comment.objects.get(text="again")
    assert deeper.parent_id == top.pk


def test_an_unknown_parent_is_fetched_up_to_its_post(
    remote: Remote, alice: Peer, ana: User
) -> None:
    bob = peer(remote, "bob")
    # bob's photo post, and alice's reply to it, live on their server only.
    root = note(bob, attachment=[pixelfed_photo(remote)])
    middle = note(bob, content="<p>thread</p>", inReplyTo=root["id"])
    remote.serve(root["id"].split(str(remote.port))[1], root)
    remote.serve(middle["id"].split(str(remote.port))[1], middle)
    # ana follows alice, who replies to bob's reply.
    followed(alice, by=ana)
    alice.send(create(alice, note(alice, content="<p>me too</p>", inReplyTo=middle["id"])))
    post = Post.objects.get()
    assert post.author_id == account_of(bob).pk
    top = Comment.objects.get(text="thread")
    reply = Comment.objects.get(text="me too")
    assert (top.post_id, top.parent_id, reply.parent_id) == (post.pk, None, top.pk)
    assert RemoteObject.objects.count() == 3


def test_a_thread_deeper_than_the_limit_is_given_up(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION_REPLY_DEPTH = 1
    bob = peer(remote, "bob")
    root = note(bob, attachment=[pixelfed_photo(remote)])
    middle = note(bob, inReplyTo=root["id"])
    for doc in (root, middle):
        remote.serve(doc["id"].split(str(remote.port))[1], doc)
    followed(alice, by=ana)
    activity = create(alice, note(alice, inReplyTo=middle["id"]))
    alice.send(activity)
    assert outcome(activity) == ("ignored", "the thread it answers is too deep to follow")
    assert (Post.objects.count(), Comment.objects.count(), RemoteObject.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_reply_from_a_blocked_or_non_following_account_writes_nothing(
    remote: Remote, alice: Peer, ana: User, make_user: Any
) -> None:
    block_create(blocker=ana, blocked=account_of(alice))
    private = make_user("pri", is_private=True)
    hidden = local_post(private)
    visible = local_post(ana)
    before = snapshot()
    for target in (visible, hidden):
        activity = create(alice, note(alice, inReplyTo=local_post_uri(target.pk)))
        alice.send(activity)
        assert outcome(activity)[0] == "ignored"
    assert snapshot() == before
    assert not RemoteObject.objects.exists()


def test_a_direct_reply_is_not_a_comment(alice: Peer, ana_post: Post) -> None:
    activity = create(
        alice,
        note(
            alice,
            inReplyTo=local_post_uri(ana_post.pk),
            to=["https://glimpse.example/users/ana"],
            cc=[],
        ),
    )
    alice.send(activity)
    assert outcome(activity)[0] == "ignored"
    assert not Comment.objects.exists()
