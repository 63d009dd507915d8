"""Update and Delete from other servers: an author's edit newer than the version kept, an
author's delete, an actor's new profile and an actor's deletion; and nothing done for
anyone but the author."""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.federation.models import RemoteActor, RemoteObject
from glimpse.federation.objects import local_post_uri
from glimpse.graph.models import Follow
from glimpse.posts.models import Comment, Like, Post
from glimpse.posts.services import like_create
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


@pytest.fixture
def stored(remote: Remote, alice: Peer, ana: User) -> dict[str, Any]:
    """Alice's photo post, stored here for her follower ana."""
    followed(alice, by=ana)
    obj = note(alice, content="<p>before</p>", attachment=[pixelfed_photo(remote, alt="old")])
    alice.send(create(alice, obj))
    return obj


def _edited(obj: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**obj, "content": "<p>after #new</p>", "updated": "2024-05-02T08:00:00Z", **fields}


def test_a_newer_edit_by_the_author_changes_caption_and_alt_text(
    alice: Peer, stored: dict[str, Any]
) -> None:
    attachment = {**stored["attachment"][0], "name": "new alt"}
    alice.send(alice.activity("Update", _edited(stored, attachment=[attachment])))
    post = Post.objects.get()
    assert post.caption == "after #new"
    assert post.items.get().alt_text == "new alt"
    assert post.edited_at is not None
    assert list(post.post_hashtags.values_list("hashtag__name", flat=True)) == ["new"]


def test_an_edit_not_newer_than_the_kept_version_changes_nothing(
    alice: Peer, stored: dict[str, Any]
) -> None:
    alice.send(alice.activity("Update", _edited(stored)))
    older = alice.activity(
        "Update", _edited(stored, content="<p>stale</p>", updated="2024-05-01T12:00:00Z")
    )
    alice.send(older)
    same = alice.activity("Update", _edited(stored, content="<p>same time</p>"))
    alice.send(same)
    assert Post.objects.get().caption == "after #new"
    assert outcome(older)[0] == outcome(same)[0] == "ignored"


def test_an_edit_or_delete_by_another_account_changes_nothing(
    remote: Remote, stored: dict[str, Any]
) -> None:
    mallory = peer(remote, "mallory")
    forged = {**_edited(stored), "attributedTo": mallory.uri}
    for activity in (
        mallory.activity("Update", forged),
        mallory.activity("Update", _edited(stored)),
        mallory.activity("Delete", stored["id"]),
        mallory.activity("Delete", {"id": stored["id"], "type": "Tombstone"}),
    ):
        mallory.send(activity)
        assert outcome(activity)[0] == "ignored"
    post = Post.objects.get()
    assert post.caption == "before"
    assert RemoteObject.objects.count() == 1


@pytest.mark.parametrize("form", ["id", "tombstone", "note"])
def test_the_author_deletes_a_post(alice: Peer, stored: dict[str, Any], form: str) -> None:
    obj: Any = {
        "id": stored["id"],
        "tombstone": {"id": stored["id"], "type": "Tombstone"},
        "note": stored,
    }[form]
    alice.send(alice.activity("Delete", obj))
    assert not Post.objects.exists()
    assert not RemoteObject.objects.exists()


def test_the_author_edits_and_deletes_a_comment(alice: Peer, ana: User) -> None:
    post = local_post(ana)
    reply = note(alice, content="<p>nice</p>", inReplyTo=local_post_uri(post.pk))
    alice.send(create(alice, reply))
    alice.send(
        alice.activity(
            "Update", {**reply, "content": "<p>very nice</p>", "updated": "2024-05-03T00:00:00Z"}
        )
    )
    assert Comment.objects.get().text == "very nice"
    alice.send(alice.activity("Delete", reply["id"]))
    assert not Comment.objects.exists()
    post.refresh_from_db()
    assert post.comment_count == 0


def test_an_actor_update_reads_the_profile_from_its_server(
    remote: Remote, alice: Peer, ana: User
) -> None:
    account_of(alice)
    alice.document["name"] = "Alice Liddell"
    remote.serve("/users/alice", alice.document)
    # The embedded copy says something else: it is not what is stored.
    alice.send(alice.activity("Update", {**alice.document, "name": "Forged Name"}))
    assert User.objects.get(username=f"alice@{remote.host}").display_name == "Alice Liddell"


def test_an_actor_deleting_itself_takes_its_account_and_content_with_it(
    remote: Remote, alice: Peer, ana: User, stored: dict[str, Any]
) -> None:
    author = account_of(alice)
    post = local_post(ana)
    like_create(user=author, post_id=post.pk)
    # Its server answers 410 for it now: the stored account is used.
    remote.documents.pop("/users/alice")
    alice.send(
        alice.activity("Delete", alice.uri, to=["https://www.w3.org/ns/activitystreams#Public"])
    )
    assert not User.objects.filter(pk=author.pk).exists()
    assert not RemoteActor.objects.exists()
    assert list(Post.objects.values_list("pk", flat=True)) == [post.pk]
    assert not Like.objects.exists()
    assert not Follow.objects.exists()
    post.refresh_from_db()
    assert post.like_count == 0
    assert User.objects.get(pk=ana.pk).following_count == 0
