"""The social graph through the API: every endpoint, its refusals, and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from tests.conftest import ApiClient
from tests.graph.conftest import api_as, counts, follow_approved, graph_state

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


@pytest.fixture
def ben(make_user: MakeUser) -> User:
    return make_user("ben", display_name="Ben Ito")


@pytest.fixture
def pia(make_user: MakeUser) -> User:
    return make_user("pia", is_private=True)


def missing(client: ApiClient, method: str, suffix: str) -> dict:
    """Return the body the same call answers for an account that does not exist."""
    response = client.request(method, f"accounts/nobody{suffix}", {} if method == "POST" else None)
    assert response.status_code == 404
    return response.json()


# --- Follow -------------------------------------------------------------------------------


def test_follow_and_unfollow(api: ApiClient, user: User, ben: User) -> None:
    response = api.post("accounts/ben/follow")
    assert response.status_code == 200
    assert response.json() == {"state": "following"}
    assert api.get("accounts/ben").json()["viewer"]["following"] is True
    assert api.get("accounts/ben").json()["follower_count"] == 1
    assert api.post("accounts/BEN/follow").json() == {"state": "following"}
    assert counts(ben) == (1, 0)
    assert api.delete("accounts/ben/follow").status_code == 204
    assert api.delete("accounts/ben/follow").status_code == 204
    assert counts(ben) == (0, 0)
    assert counts(user) == (0, 0)


def test_follow_a_private_account_then_cancel(api: ApiClient, user: User, pia: User) -> None:
    assert api.post("accounts/pia/follow").json() == {"state": "requested"}
    profile = api.get("accounts/pia").json()
    assert profile["viewer"]["requested"] is True
    assert profile["viewer"]["following"] is False
    assert api.delete("accounts/pia/follow").status_code == 204
    assert not FollowRequest.objects.exists()


def test_requests_listed_approved_and_denied(make_user: MakeUser, pia: User) -> None:
    first, second = make_user("first"), make_user("second")
    api_as(first).post("accounts/pia/follow")
    api_as(second).post("accounts/pia/follow")
    owner = api_as(pia)
    body = owner.get("follow-requests").json()
    assert [item["account"]["username"] for item in body["items"]] == ["second", "first"]
    assert body["next_max_id"] is None
    ids = [item["id"] for item in body["items"]]
    assert all(isinstance(value, str) for value in ids)
    assert body["items"][0]["account"]["viewer"]["followed_by"] is False
    assert owner.post(f"follow-requests/{ids[1]}/approve").status_code == 204
    assert owner.post(f"follow-requests/{ids[0]}/deny").status_code == 204
    assert owner.get("follow-requests").json()["items"] == []
    assert Follow.objects.filter(follower=first, followee=pia).exists()
    assert not Follow.objects.filter(follower=second).exists()
    assert counts(pia) == (1, 0)
    # Done already: the same id is now like any unknown one.
    gone = owner.post(f"follow-requests/{ids[1]}/approve")
    unknown = owner.post("follow-requests/12345/approve")
    assert gone.status_code == unknown.status_code == 404
    assert gone.json() == unknown.json()


def test_making_the_account_public_through_the_api_approves_requests(
    make_user: MakeUser, pia: User, django_capture_on_commit_callbacks: Any
) -> None:
    asker = make_user("asker")
    api_as(asker).post("accounts/pia/follow")
    with django_capture_on_commit_callbacks(execute=True):  # approved once the change commits
        assert api_as(pia).patch("accounts/me", {"is_private": False}).status_code == 200
    assert api_as(asker).get("accounts/pia").json()["viewer"]["following"] is True
    assert counts(pia) == (1, 0)


# --- Lists --------------------------------------------------------------------------------


def test_followers_and_following_lists_paginate_by_id(
    anon: ApiClient, make_user: MakeUser, ben: User
) -> None:
    fans = [make_user(f"fan{i}") for i in range(5)]
    for fan in fans:
        services.follow_create(follower=fan, followee=ben)
    seen: list[str] = []
    max_id = None
    pages = 0
    while True:
        path = "accounts/ben/followers?limit=2" + (f"&max_id={max_id}" if max_id else "")
        body = anon.get(path).json()
        pages += 1
        seen += [item["username"] for item in body["items"]]
        max_id = body["next_max_id"]
        if max_id is None:
            break
        assert isinstance(max_id, str)
    assert pages == 3
    assert seen == ["fan4", "fan3", "fan2", "fan1", "fan0"]
    item = anon.get("accounts/ben/followers?limit=1").json()["items"][0]
    assert set(item) == {"id", "username", "display_name", "is_private", "avatar", "viewer"}
    assert item["id"] == str(fans[4].pk)
    following = anon.get("accounts/fan0/following").json()
    assert [entry["username"] for entry in following["items"]] == ["ben"]
    assert anon.get("accounts/ben/followers?limit=0").status_code == 422


def test_list_items_carry_the_viewers_relation(
    api: ApiClient, user: User, make_user: MakeUser, ben: User
) -> None:
    fan = make_user("fan")
    services.follow_create(follower=fan, followee=ben)
    services.follow_create(follower=user, followee=ben)
    services.follow_create(follower=user, followee=fan)
    items = {
        item["username"]: item["viewer"]
        for item in api.get("accounts/ben/followers").json()["items"]
    }
    assert items["fan"]["following"] is True
    assert items["ana"]["is_self"] is True


def test_blocked_and_muted_lists(api: ApiClient, user: User, ben: User, pia: User) -> None:
    assert api.post("accounts/ben/block").status_code == 204
    assert api.post("accounts/pia/mute").status_code == 204
    blocked = api.get("accounts/me/blocked").json()
    assert [item["username"] for item in blocked["items"]] == ["ben"]
    assert blocked["items"][0]["viewer"]["blocking"] is True
    muted = api.get("accounts/me/muted").json()
    assert [item["username"] for item in muted["items"]] == ["pia"]
    assert muted["items"][0]["viewer"]["muting"] is True
    # The blocked account's own lists say nothing about the block.
    assert api_as(ben).get("accounts/me/blocked").json()["items"] == []
    # Unblock and unmute; doing it again is harmless.
    for _ in range(2):
        assert api.delete("accounts/ben/block").status_code == 204
        assert api.delete("accounts/pia/mute").status_code == 204
    assert api.get("accounts/me/blocked").json()["items"] == []
    assert api.get("accounts/me/muted").json()["items"] == []


def test_remove_a_follower(api: ApiClient, user: User, ben: User) -> None:
    services.follow_create(follower=ben, followee=user)
    assert api.delete("accounts/me/followers/ben").status_code == 204
    assert not Follow.objects.exists()
    assert counts(user) == (0, 0)
    assert counts(ben) == (0, 0)


# --- Blocks hide each side from the other -------------------------------------------------


def test_a_block_hides_both_sides_and_answers_like_a_missing_account(
    api: ApiClient, user: User, ben: User
) -> None:
    services.follow_create(follower=ben, followee=user)
    assert api.post("accounts/ben/block").status_code == 204
    blocked = api_as(ben)
    for client in (api, blocked):
        other = "ben" if client is api else "ana"
        for suffix in ("", "/followers", "/following"):
            response = client.get(f"accounts/{other}{suffix}")
            assert response.status_code == 404
            assert response.json() == missing(client, "GET", suffix)
    assert counts(user) == (0, 0)


# --- Refused writes change nothing --------------------------------------------------------


WRITES = [
    ("POST", "accounts/{}/follow"),
    ("DELETE", "accounts/{}/follow"),
    ("POST", "accounts/{}/block"),
    ("DELETE", "accounts/{}/block"),
    ("POST", "accounts/{}/mute"),
    ("DELETE", "accounts/{}/mute"),
    ("DELETE", "accounts/me/followers/{}"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_anonymous_writes_are_refused(
    anon: ApiClient, ben: User, user: User, method: str, path: str
) -> None:
    services.follow_create(follower=ben, followee=user)
    before = graph_state()
    response = anon.request(method, path.format("ben"), {} if method == "POST" else None)
    assert response.status_code == 401
    assert graph_state() == before


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("side", ["blocked", "blocker"])
def test_writes_between_a_blocked_pair_answer_like_a_missing_account(
    make_user: MakeUser, method: str, path: str, side: str
) -> None:
    owner, other = make_user("owner"), make_user("other")
    follow_approved(other, owner)
    if side == "blocked":
        services.block_create(blocker=owner, blocked=other)
    else:
        services.block_create(blocker=other, blocked=owner)
    before = graph_state()
    client = api_as(other)
    body: dict | None = {} if method == "POST" else None
    response = client.request(method, path.format("owner"), body)
    if side == "blocker" and path.endswith("/block"):
        # The blocker still reaches its own block: blocking again or unblocking.
        assert response.status_code == 204
        return
    assert response.status_code == 404
    assert response.json() == client.request(method, path.format("nobody"), body).json()
    assert graph_state() == before


@pytest.mark.parametrize(("method", "path"), [w for w in WRITES if w[0] == "POST"])
def test_writes_on_oneself_are_refused(api: ApiClient, method: str, path: str) -> None:
    before = graph_state()
    response = api.post(path.format("ana"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "self"
    assert graph_state() == before


@pytest.mark.parametrize("who", ["stranger", "requester", "blocked", "non_follower"])
@pytest.mark.parametrize("action", ["approve", "deny"])
def test_only_the_owner_answers_its_requests(make_user: MakeUser, who: str, action: str) -> None:
    owner = make_user("owner", is_private=True)
    requester = make_user("requester")
    services.follow_create(follower=requester, followee=owner)
    request_id = FollowRequest.objects.get().pk
    actor = requester if who == "requester" else make_user("someone")
    if who == "blocked":
        services.block_create(blocker=owner, blocked=actor)
    elif who == "non_follower":
        services.follow_create(follower=owner, followee=actor)  # followed by, not following
    before = graph_state()
    response = api_as(actor).post(f"follow-requests/{request_id}/{action}")
    assert response.status_code == 404
    assert graph_state() == before
    assert api_as(actor).get("follow-requests").json()["items"] == []


def test_malformed_request_id_is_a_422(api: ApiClient) -> None:
    response = api.post("follow-requests/not-a-number/approve")
    assert response.status_code == 422
    assert "request_id" in response.json()["error"]["fields"]


def test_session_writes_need_the_csrf_token(user: User, ben: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = graph_state()
    response = client.post("/api/glimpse/v1/accounts/ben/follow")
    assert response.status_code == 403
    assert graph_state() == before
    assert not Block.objects.exists()
    assert not Mute.objects.exists()


# --- The OpenAPI document -----------------------------------------------------------------


def test_openapi_declares_every_answer(anon: ApiClient) -> None:
    paths = anon.get("openapi.json").json()["paths"]
    expected = {
        ("/api/glimpse/v1/accounts/{username}/follow", "post"): {"200", "401", "403", "404", "422"},
        ("/api/glimpse/v1/accounts/{username}/follow", "delete"): {
            "204",
            "401",
            "403",
            "404",
            "422",
        },
        ("/api/glimpse/v1/accounts/{username}/followers", "get"): {"200", "401", "404", "422"},
        ("/api/glimpse/v1/accounts/{username}/following", "get"): {"200", "401", "404", "422"},
        ("/api/glimpse/v1/accounts/{username}/block", "post"): {"204", "401", "403", "404", "422"},
        ("/api/glimpse/v1/accounts/{username}/block", "delete"): {
            "204",
            "401",
            "403",
            "404",
            "422",
        },
        ("/api/glimpse/v1/accounts/{username}/mute", "post"): {"204", "401", "403", "404", "422"},
        ("/api/glimpse/v1/accounts/{username}/mute", "delete"): {"204", "401", "403", "404", "422"},
        ("/api/glimpse/v1/accounts/me/followers/{username}", "delete"): {
            "204",
            "401",
            "404",
            "422",
        },
        ("/api/glimpse/v1/accounts/me/blocked", "get"): {"200", "401", "422"},
        ("/api/glimpse/v1/accounts/me/muted", "get"): {"200", "401", "422"},
        ("/api/glimpse/v1/follow-requests", "get"): {"200", "401", "422"},
        ("/api/glimpse/v1/follow-requests/{request_id}/approve", "post"): {
            "204",
            "401",
            "404",
            "422",
        },
        ("/api/glimpse/v1/follow-requests/{request_id}/deny", "post"): {"204", "401", "404", "422"},
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, method, set(responses))
        for status in statuses - {"200", "204"}:
            assert "ErrorOut" in str(responses[status])
    profile = paths["/api/glimpse/v1/accounts/{username}"]["get"]["responses"]["200"]
    assert "ProfileOut" in str(profile)


@pytest.mark.parametrize("name", ["a%00b", "%00", "a" * 31])
def test_block_of_an_impossible_username_is_a_404(make_user, name: str) -> None:
    client = api_as(make_user("ana"))
    assert client.post(f"accounts/{name}/block").status_code == 404
    assert client.delete(f"accounts/{name}/block").status_code == 404
