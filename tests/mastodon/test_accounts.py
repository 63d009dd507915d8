"""Accounts through the client API: who signed in, profiles and their posts, followers and
following, relationships, lookup and search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts.models import Post
from glimpse.posts.services import post_pin
from tests.conftest import ApiClient
from tests.mastodon.conftest import follow
from tests.mastodon.entities import (
    Account,
    CredentialAccount,
    Relationship,
    accounts,
    statuses,
)

pytestmark = pytest.mark.django_db


def test_verify_credentials_answers_the_account_with_its_source(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    ana = make_user("ana", display_name="Ana", bio="Photos of\n\nthe sea", is_private=True)
    bob = make_user("bob")
    act(lambda: graph.follow_create(follower=bob, followee=ana))  # a pending request
    me = CredentialAccount.model_validate(client_for(ana).get("accounts/verify_credentials").json())
    assert (me.username, me.acct, me.display_name, me.locked) == ("ana", "ana", "Ana", True)
    assert me.note == "<p>Photos of</p><p>the sea</p>"
    assert me.source.note == "Photos of\n\nthe sea"
    assert me.source.privacy == "private"
    assert me.source.follow_requests_count == 1
    assert me.url.endswith("/ana/")
    assert me.avatar.startswith("http")


def test_a_profile_and_its_posts(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    anon: ApiClient,
    act: Callable[..., Any],
) -> None:
    ana = make_user("ana")
    posts = [post_by(ana, f"post {n}") for n in range(3)]
    act(lambda: post_pin(actor=ana, post_id=posts[0].pk))
    profile = Account.model_validate(anon.get(f"accounts/{ana.pk}").json())
    assert (profile.id, profile.statuses_count, profile.locked) == (str(ana.pk), 3, False)
    found = anon.get(f"accounts/{ana.pk}/statuses?exclude_reblogs=true&only_media=true&limit=2")
    assert [s.id for s in statuses(found.json())] == [str(posts[2].pk), str(posts[1].pk)]
    assert f"max_id={posts[1].pk}" in found.headers["Link"]
    pinned = statuses(anon.get(f"accounts/{ana.pk}/statuses?pinned=true").json())
    assert [(s.id, s.pinned) for s in pinned] == [(str(posts[0].pk), True)]


def test_followers_and_following_page_by_follow(
    make_user: Callable[..., User], anon: ApiClient, act: Callable[..., Any]
) -> None:
    ana = make_user("ana")
    fans = [make_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        act(lambda fan=fan: follow(fan, ana))
    page = anon.get(f"accounts/{ana.pk}/followers?limit=2")
    assert [a.username for a in accounts(page.json())] == ["fan2", "fan1"]
    nxt = page.headers["Link"].split("<", 1)[1].split(">", 1)[0].split("/api/v1/")[1]
    assert [a.username for a in accounts(anon.get(nxt).json())] == ["fan0"]
    following = accounts(anon.get(f"accounts/{fans[0].pk}/following").json())
    assert [a.username for a in following] == ["ana"]


def test_relationships_lookup_and_search(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    ana, bob, eve = make_user("ana"), make_user("bob"), make_user("eve", is_private=True)
    act(lambda: follow(ana, bob))
    act(lambda: follow(bob, ana))
    act(lambda: graph.follow_create(follower=ana, followee=eve))
    act(lambda: graph.mute_create(muter=ana, muted=bob))
    api = client_for(ana)
    answer = api.get(f"accounts/relationships?id[]={bob.pk}&id[]={eve.pk}&id[]=12345")
    bob_rel, eve_rel = (Relationship.model_validate(item) for item in answer.json())
    assert (bob_rel.id, bob_rel.following, bob_rel.followed_by, bob_rel.muting) == (
        str(bob.pk),
        True,
        True,
        True,
    )
    assert (eve_rel.following, eve_rel.requested) == (False, True)
    assert Account.model_validate(api.get("accounts/lookup?acct=@bob").json()).id == str(bob.pk)
    assert api.get("accounts/lookup?acct=bob@testserver").json()["username"] == "bob"
    assert api.get("accounts/lookup?acct=bob@elsewhere.example").status_code == 404
    assert [a.username for a in accounts(api.get("accounts/search?q=bo&resolve=true").json())] == [
        "bob"
    ]
    assert api.get("accounts/search").status_code == 422


def test_a_username_is_a_404_here_and_a_profile_in_glimpses_own_api(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    bob = make_user("bob")
    client = client_for(make_user("ana"))
    assert client.get("accounts/bob").status_code == 404
    response = ApiClient(client.token).get("accounts/bob")
    assert response.status_code == 200
    assert response.json()["username"] == "bob"
    assert response.json()["id"] == str(bob.pk)


def test_familiar_followers_are_the_followed_accounts_that_follow_it(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    viewer, star = make_user("viewer"), make_user("star")
    friends = [make_user(f"friend{n}") for n in range(2)]
    stranger = make_user("stranger")
    for friend in friends:
        act(lambda friend=friend: follow(viewer, friend))
        act(lambda friend=friend: follow(friend, star))
    act(lambda: follow(stranger, star))  # follows the star, not followed by the viewer
    answer = client_for(viewer).get(f"accounts/familiar_followers?id[]={star.pk}&id[]=1").json()
    assert [item["id"] for item in answer] == [str(star.pk)]
    assert [a.username for a in accounts(answer[0]["accounts"])] == ["friend1", "friend0"]


def test_tagged_statuses_featured_tags_and_lists_of_an_account(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
) -> None:
    ana = make_user("ana")
    tagged = post_by(ana, "#Sea at dawn")
    post_by(ana, "#land")
    api = client_for(make_user("viewer"))
    found = statuses(api.get(f"accounts/{ana.pk}/statuses?tagged=sea").json())
    assert [s.id for s in found] == [str(tagged.pk)]
    assert api.get(f"accounts/{ana.pk}/featured_tags").json() == []
    assert api.get(f"accounts/{ana.pk}/lists").json() == []
    assert api.get("accounts/999999999999999999/featured_tags").json() == {
        "error": "Record not found"
    }
