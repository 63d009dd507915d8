"""Accounts of other servers shown here: their profile page at ``/<name@host>/`` (names, bio,
counts, their posts here, where they come from, the follow button), links to them from
comments, notifications and follower lists, and the client API's Account for them."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.federation.remote.resolve import actor_by_handle
from glimpse.graph import services as graph
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.conftest import PASSWORD
from tests.federation.remote_server import Remote, peer
from tests.mastodon.conftest import bearer_of, client_api
from tests.posts.conftest import media_for

__all__ = ["media_for"]


@pytest.fixture
def alice(remote: Remote) -> User:
    """Return the account of alice, an actor of the test server with a bio."""
    actor = peer(remote, "alice")
    actor.document["summary"] = "<p>Tea &amp; rabbit holes.</p>"
    actor.document["name"] = "Alice Liddell"
    remote.serve("/users/alice", actor.document)
    return actor_by_handle(f"alice@{remote.host}")


def signed_in(user: User) -> Client:
    """Return a web client logged in as an account."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def text(response: Any) -> str:
    """Return a page's body with its entities decoded."""
    return html.unescape(response.content.decode())


def a_post(
    author: User, media_for: Callable[..., list], django_capture_on_commit_callbacks: Any
) -> Post:
    """Publish a post of one real photo by ``author``."""
    media = media_for(author)
    with django_capture_on_commit_callbacks(execute=True):
        return posts.post_create(author=author, media_ids=[media[0].pk], caption="Tea time")


def test_a_remote_profile_shows_where_it_comes_from_and_its_posts_here(
    remote: Remote,
    alice: User,
    make_user: Callable[..., User],
    media_for: Callable[..., list],
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = a_post(alice, media_for, django_capture_on_commit_callbacks)
    viewer = make_user("ana")
    response = signed_in(viewer).get(f"/alice@{remote.host}/")
    assert response.status_code == 200
    body = text(response)
    assert f"alice@{remote.host}" in body
    assert "Alice Liddell" in body
    assert "Tea & rabbit holes." in body
    assert f"from {remote.host}" in body
    assert f'href="{remote.url("/@alice")}"' in body
    assert f"/p/{post.pk}/" in body  # its post here, in the grid
    assert "<strong>1</strong> post" in body
    # The follow button, and no message button: conversations stay on this server.
    assert reverse("graph:follow", args=[alice.username]) in body
    assert reverse("messages:with", args=[alice.username]) not in body


def test_an_empty_remote_profile_sends_the_visitor_to_its_server(
    remote: Remote, alice: User
) -> None:
    body = text(Client().get(f"/alice@{remote.host}/"))
    assert "Only the posts that reached this server show here." in body
    assert f"See their profile on {remote.host}" in body


def test_a_local_profile_has_no_server_mark(remote: Remote, make_user: Callable[..., User]) -> None:
    make_user("ana")
    body = text(Client().get("/ana/"))
    assert "from glimpse.example" not in body
    assert "profile__origin" not in body


def test_an_unknown_or_malformed_remote_name_is_a_404(remote: Remote, alice: User) -> None:
    assert Client().get(f"/bob@{remote.host}/").status_code == 404
    assert Client().get("/alice@remote test/").status_code == 404
    # Nothing was asked of the other server to answer them.
    assert remote.asked("/users/bob") == []


def test_this_server_publishes_no_actor_for_a_remote_account(remote: Remote, alice: User) -> None:
    # Its actor, collections and outbox are on its own server: here they are 404s (a Person
    # served here would speak for it with this server's keys).
    name = f"alice@{remote.host}"
    for path in (
        f"/{name}/",
        f"/users/{name}",
        f"/users/{name}/followers",
        f"/users/{name}/outbox",
        f"/users/{name}/outbox?page=true",
    ):
        response = Client().get(
            path,
            headers={"Accept": "application/activity+json", "Host": "glimpse.example"},
            secure=True,
        )
        assert response.status_code == 404, path
    webfinger = Client().get(
        "/.well-known/webfinger",
        {"resource": f"https://glimpse.example/{name}/"},
        headers={"Host": "glimpse.example"},
        secure=True,
    )
    assert webfinger.status_code == 404


def test_links_to_a_remote_account_from_comments_notifications_and_lists(
    remote: Remote,
    alice: User,
    make_user: Callable[..., User],
    media_for: Callable[..., list],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = make_user("ana")
    post = a_post(ana, media_for, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        posts.comment_create(author=alice, post_id=post.pk, text="Lovely")
        graph.follow_create(follower=alice, followee=ana)
    profile = reverse("profile", args=[alice.username])
    assert profile == f"/alice@{remote.host}/"
    client = signed_in(ana)
    for page in (
        reverse("posts:detail", args=[post.pk]),
        reverse("notifications:list"),
        reverse("graph:followers", args=["ana"]),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{profile}' in response.content.decode(), page
    # And the remote account's own list of followings, which names ana.
    following = client.get(reverse("graph:following", args=[alice.username]))
    assert following.status_code == 200
    assert 'href="/ana/' in following.content.decode()


def test_the_client_api_account_of_a_remote_account(
    remote: Remote, alice: User, make_user: Callable[..., User]
) -> None:
    viewer = make_user("ana")
    response = client_api().get(f"accounts/{alice.pk}", **bearer_of(viewer))
    assert response.status_code == 200
    account = response.json()
    assert account["acct"] == f"alice@{remote.host}"
    assert account["username"] == "alice"
    assert account["url"] == remote.url("/@alice")
    assert account["display_name"] == "Alice Liddell"
    # A local account is unchanged: its name, and its page here.
    own = client_api().get(f"accounts/{viewer.pk}", **bearer_of(viewer)).json()
    assert (own["acct"], own["username"]) == ("ana", "ana")
    assert own["url"] == "https://glimpse.example/ana/"


def test_an_actor_without_a_profile_page_links_to_its_id(remote: Remote) -> None:
    actor = peer(remote, "carol")
    del actor.document["url"]
    remote.serve("/users/carol", actor.document)
    carol = actor_by_handle(f"carol@{remote.host}")
    assert carol.remote_url == actor.uri
    # A later document with a page updates it.
    actor.document["url"] = remote.url("/@carol")
    remote.serve("/users/carol", actor.document)
    carol = actor_by_handle(f"carol@{remote.host}", refresh=True)
    carol.refresh_from_db()
    assert carol.remote_url == remote.url("/@carol")
