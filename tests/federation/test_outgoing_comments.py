"""Comments, likes and reposts sent to other servers, and the comment's own address: the
Note answered there, browsers sent to the post, 404 for what the public may not see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.test import Client

from glimpse.accounts.models import User
from glimpse.federation.models import OutgoingActivity, RemoteObject
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.federation.outgoing_fixtures import (
    PUBLIC,
    arrived,
    bodies,
    follows,
    remote_account,
    signed_by,
)
from tests.federation.remote_server import SITE, Remote

Capture = Callable[..., Any]
AP = "application/activity+json"


def remote_post(author: User, uri: str) -> Post:
    """Store a post of another server, as the inbox does with a Create it takes."""
    post = Post.objects.create(author=author, caption="From afar")
    now = datetime.now(UTC)
    RemoteObject.objects.create(uri=uri, author=author, post=post, updated_at=now, received_at=now)
    return post


def text_post(author: User) -> Post:
    """Store a post of this server with no media (comments need only the row)."""
    return Post.objects.create(author=author, caption="Hello")


def get(path: str, accept: str = AP) -> Any:
    return Client().get(path, headers={"accept": accept, "host": "glimpse.example"}, secure=True)


def test_a_comment_on_a_remote_post_goes_to_its_author_and_the_writers_followers(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    alice_peer, alice = remote_account(remote, "alice")
    _, bob = remote_account(remote, "bob", host="other.test")
    follows(bob, ana)
    post = remote_post(alice, alice_peer.uri + "/statuses/1")
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(author=ana, post_id=post.pk, text="Lovely <3")
    uri = f"{SITE}/comments/{comment.pk}"
    (create,) = bodies(remote)
    assert create == bodies(remote, host="other.test")[0]
    assert (create["type"], create["id"], create["actor"]) == (
        "Create",
        uri + "#create",
        f"{SITE}/users/ana",
    )
    note = create["object"]
    assert note["id"] == note["url"] == uri
    assert note["inReplyTo"] == alice_peer.uri + "/statuses/1"
    assert note["attributedTo"] == f"{SITE}/users/ana"
    assert note["content"] == "<p>Lovely &lt;3</p>"
    assert note["to"] == [PUBLIC]
    assert note["cc"] == [f"{SITE}/users/ana/followers", alice_peer.uri]
    for seen in arrived(remote) + arrived(remote, host="other.test"):
        assert signed_by(seen, remote, ana)


def test_a_reply_answers_its_thread_and_its_delete_follows(
    remote: Remote, ana: User, make_user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    _alice_peer, alice = remote_account(remote, "alice")
    follows(alice, ana)
    post = text_post(make_user("rita"))
    first = services.comment_create(author=ana, post_id=post.pk, text="First")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_create(
            author=ana, post_id=post.pk, text="Again", parent_id=first.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(actor=ana, comment_id=reply.pk)
    create, delete = bodies(remote)
    assert create["object"]["inReplyTo"] == f"{SITE}/comments/{first.pk}"
    assert create["object"]["cc"] == [f"{SITE}/users/ana/followers", f"{SITE}/users/rita"]
    assert delete["type"] == "Delete"
    assert delete["actor"] == f"{SITE}/users/ana"
    assert delete["object"] == {"id": f"{SITE}/comments/{reply.pk}", "type": "Tombstone"}
    assert signed_by(arrived(remote)[-1], remote, ana)


def test_a_comment_under_a_private_post_goes_to_its_authors_followers_only(
    remote: Remote, ana: User, make_user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    rita = make_user("rita", is_private=True)
    _, alice = remote_account(remote, "alice")
    _, bob = remote_account(remote, "bob", host="other.test")
    follows(alice, rita)
    follows(ana, rita)
    follows(bob, ana)  # ana's follower, not rita's: may not see rita's post
    post = text_post(rita)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(author=ana, post_id=post.pk, text="Nice")
    (create,) = bodies(remote)
    assert create["object"]["to"] == [f"{SITE}/users/rita/followers"]
    assert create["object"]["cc"] == [f"{SITE}/users/rita"]
    assert arrived(remote, host="other.test") == []
    # Nor does the public see it at its address.
    assert get(f"/comments/{comment.pk}").status_code == 404


def test_the_comment_address_answers_the_note_or_sends_browsers_to_the_post(
    remote: Remote, ana: User, make_user: Any, settings: Any
) -> None:
    post = text_post(make_user("rita"))
    comment = services.comment_create(author=ana, post_id=post.pk, text="Hi @rita")
    found = get(f"/comments/{comment.pk}")
    assert found.status_code == 200
    assert found["Content-Type"] == "application/activity+json; charset=utf-8"
    note = found.json()
    assert note["id"] == f"{SITE}/comments/{comment.pk}"
    assert note["inReplyTo"] == f"{SITE}/p/{post.pk}/"
    assert note["tag"] == [
        {"type": "Mention", "href": f"{SITE}/users/rita", "name": "@rita@glimpse.example"}
    ]
    assert 'class="u-url mention"' in note["content"]
    browser = get(f"/comments/{comment.pk}", accept="text/html")
    assert (browser.status_code, browser["Location"]) == (302, f"{SITE}/p/{post.pk}/")
    assert get("/comments/999999").status_code == 404
    settings.GLIMPSE_FEDERATION = False
    assert get(f"/comments/{comment.pk}").status_code == 404


def test_likes_and_reposts_of_remote_posts_go_to_their_author_with_their_undo(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    alice_peer, alice = remote_account(remote, "alice")
    post = remote_post(alice, alice_peer.uri + "/statuses/7")
    for act in (
        services.like_create,
        services.like_delete,
        services.repost_create,
        services.repost_delete,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            act(user=ana, post_id=post.pk)
    like, unlike, announce, unannounce = bodies(remote)
    me = f"{SITE}/users/ana"
    assert like == {**like, "id": f"{me}#likes/{post.pk}", "type": "Like", "actor": me}
    assert like["object"] == alice_peer.uri + "/statuses/7"
    assert unlike["type"] == "Undo"
    assert unlike["id"] == like["id"] + "/undo"
    assert unlike["object"] == {k: v for k, v in like.items() if k != "@context"}
    assert announce["type"] == "Announce"
    assert announce["object"] == alice_peer.uri + "/statuses/7"
    assert (announce["to"], announce["cc"]) == ([PUBLIC], [f"{me}/followers", alice_peer.uri])
    assert unannounce["type"] == "Undo"
    assert unannounce["object"]["id"] == announce["id"]
    for seen in arrived(remote):
        assert signed_by(seen, remote, ana)


def test_a_like_of_a_remote_comment_goes_to_its_author(
    remote: Remote, ana: User, make_user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    alice_peer, alice = remote_account(remote, "alice")
    post = text_post(make_user("rita"))
    comment = services.comment_create(author=alice, post_id=post.pk, text="Hey")
    now = datetime.now(UTC)
    RemoteObject.objects.create(
        uri=alice_peer.uri + "/statuses/9",
        author=alice,
        comment=comment,
        updated_at=now,
        received_at=now,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_like_create(user=ana, comment_id=comment.pk)
    (like,) = bodies(remote)
    assert like["type"] == "Like"
    assert like["object"] == alice_peer.uri + "/statuses/9"
    assert like["id"] == f"{SITE}/users/ana#likes/comments/{comment.pk}"


def test_nothing_goes_for_likes_of_local_posts_nor_for_remote_accounts_actions(
    remote: Remote, ana: User, make_user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    alice_peer, alice = remote_account(remote, "alice")
    follows(alice, ana)
    own = text_post(ana)
    theirs = remote_post(alice, alice_peer.uri + "/statuses/3")
    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=make_user("rita"), post_id=own.pk)  # stays here
        services.like_create(user=alice, post_id=own.pk)  # came from its server
        services.comment_create(author=alice, post_id=own.pk, text="Hi")
        services.like_create(user=alice, post_id=theirs.pk)
        services.repost_create(user=alice, post_id=own.pk)
    assert arrived(remote) == []
    assert OutgoingActivity.objects.count() == 0
