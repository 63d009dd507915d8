"""What an account does to another through the client API: follow, unfollow, block, mute,
remove a follower, answer follow requests; refused, and nothing changed, where it may not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from tests.conftest import ApiClient
from tests.mastodon.entities import Relationship
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": "Record not found"}
MISSING_ID = "123456789012345678"


def _graph() -> dict[str, Any]:
    """Return every edge of the social graph and the follow counts."""
    return {
        "follows": sorted(Follow.objects.values_list("follower_id", "followee_id")),
        "requests": sorted(FollowRequest.objects.values_list("requester_id", "target_id")),
        "blocks": sorted(Block.objects.values_list("blocker_id", "blocked_id")),
        "mutes": sorted(Mute.objects.values_list("muter_id", "muted_id")),
        "counts": sorted(User.objects.values_list("follower_count", "following_count")),
    }


def _relationship(response: Any, account: User) -> Relationship:
    assert response.status_code == 200, response.content
    found = Relationship.model_validate(response.json())
    assert found.id == str(account.pk)
    return found


def test_following_a_public_account_follows_it_and_unfollowing_undoes_it(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    api = client_for(bob)
    followed = _relationship(api.post(f"accounts/{ana.pk}/follow"), ana)
    assert (followed.following, followed.requested) == (True, False)
    assert Follow.objects.filter(follower=bob, followee=ana).exists()
    assert User.objects.get(pk=ana.pk).follower_count == 1
    _relationship(api.post(f"accounts/{ana.pk}/follow"), ana)  # twice changes nothing
    assert Follow.objects.count() == 1
    unfollowed = _relationship(api.post(f"accounts/{ana.pk}/unfollow"), ana)
    assert unfollowed.following is False
    assert _graph()["follows"] == []
    assert User.objects.get(pk=ana.pk).follower_count == 0


def test_follow_options_mastodon_sends_are_accepted_as_a_form(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    token = client_for(bob).token
    answer = Client().post(
        f"/api/v1/accounts/{ana.pk}/follow",
        {"reblogs": "false", "notify": "true", "languages[]": ["en", "pt"]},
        **bearer(token or ""),
    )
    assert _relationship(answer, ana).following is True


def test_following_a_private_account_asks_and_its_owner_authorizes(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana", is_private=True), make_user("bob")
    asked = _relationship(client_for(bob).post(f"accounts/{ana.pk}/follow"), ana)
    assert (asked.following, asked.requested) == (False, True)
    assert _graph()["requests"] == [(bob.pk, ana.pk)]
    assert _graph()["follows"] == []

    owner = client_for(ana)
    authorized = _relationship(owner.post(f"follow_requests/{bob.pk}/authorize"), bob)
    assert (authorized.followed_by, authorized.following) == (True, False)
    assert _graph()["requests"] == []
    assert _graph()["follows"] == [(bob.pk, ana.pk)]
    seen = client_for(bob).get(f"accounts/relationships?id[]={ana.pk}").json()
    assert (seen[0]["following"], seen[0]["requested"]) == (True, False)
    # Nothing is pending any more: a second answer finds no request.
    assert owner.post(f"follow_requests/{bob.pk}/authorize").status_code == 404


def test_a_rejected_request_leaves_no_follow(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana", is_private=True), make_user("bob")
    client_for(bob).post(f"accounts/{ana.pk}/follow")
    rejected = _relationship(client_for(ana).post(f"follow_requests/{bob.pk}/reject"), bob)
    assert (rejected.followed_by, rejected.following) == (False, False)
    assert (_graph()["requests"], _graph()["follows"]) == ([], [])
    again = client_for(bob).get(f"accounts/relationships?id[]={ana.pk}").json()
    assert (again[0]["following"], again[0]["requested"]) == (False, False)


def test_unfollowing_a_private_account_cancels_the_request(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana", is_private=True), make_user("bob")
    api = client_for(bob)
    api.post(f"accounts/{ana.pk}/follow")
    cancelled = _relationship(api.post(f"accounts/{ana.pk}/unfollow"), ana)
    assert cancelled.requested is False
    assert _graph()["requests"] == []


def test_a_stranger_cannot_answer_someone_elses_request(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob, eve = make_user("ana", is_private=True), make_user("bob"), make_user("eve")
    client_for(bob).post(f"accounts/{ana.pk}/follow")
    before = _graph()
    for verb in ("authorize", "reject"):
        refused = client_for(eve).post(f"follow_requests/{bob.pk}/{verb}")
        assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    # Nor may the requester answer its own request.
    refused = client_for(bob).post(f"follow_requests/{bob.pk}/authorize")
    assert refused.status_code == 404
    assert _graph() == before


def test_answering_a_request_that_does_not_exist_is_not_found(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana", is_private=True), make_user("bob")
    api = client_for(ana)
    for path in (f"follow_requests/{bob.pk}/authorize", f"follow_requests/{MISSING_ID}/reject"):
        answer = api.post(path)
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert _graph()["follows"] == []


def test_blocking_ends_follows_both_ways_and_unblocking_lifts_it(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    graph.follow_create(follower=ana, followee=bob)
    graph.follow_create(follower=bob, followee=ana)
    api = client_for(ana)
    blocked = _relationship(api.post(f"accounts/{bob.pk}/block"), bob)
    assert (blocked.blocking, blocked.following, blocked.followed_by) == (True, False, False)
    assert _graph()["blocks"] == [(ana.pk, bob.pk)]
    assert _graph()["follows"] == []
    # The blocked account is still found by its blocker, to unblock it.
    unblocked = _relationship(api.post(f"accounts/{bob.pk}/unblock"), bob)
    assert unblocked.blocking is False
    assert _graph()["blocks"] == []


def test_a_blocked_account_cannot_follow_nor_find_its_blocker(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    graph.block_create(blocker=ana, blocked=bob)
    before = _graph()
    for action in ("follow", "mute", "block", "unblock", "remove_from_followers"):
        refused = client_for(bob).post(f"accounts/{ana.pk}/{action}")
        assert (refused.status_code, refused.json()) == (404, NOT_FOUND), action
    # The blocker cannot follow whom it blocks either, until it unblocks.
    assert client_for(ana).post(f"accounts/{bob.pk}/follow").status_code == 404
    assert _graph() == before


def test_muting_and_unmuting_with_mastodons_options(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    api = client_for(ana)
    muted = _relationship(
        api.post(f"accounts/{bob.pk}/mute", {"notifications": False, "duration": 3600}), bob
    )
    assert (muted.muting, muted.muting_notifications) == (True, True)
    assert _graph()["mutes"] == [(ana.pk, bob.pk)]
    unmuted = _relationship(api.post(f"accounts/{bob.pk}/unmute"), bob)
    assert unmuted.muting is False
    assert _graph()["mutes"] == []


def test_removing_a_follower(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    graph.follow_create(follower=bob, followee=ana)
    removed = _relationship(client_for(ana).post(f"accounts/{bob.pk}/remove_from_followers"), bob)
    assert removed.followed_by is False
    assert _graph()["follows"] == []
    assert User.objects.get(pk=ana.pk).follower_count == 0


@pytest.mark.parametrize(
    "action",
    ["follow", "unfollow", "block", "unblock", "mute", "unmute", "remove_from_followers"],
)
def test_acting_on_oneself_is_refused(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient], action: str
) -> None:
    ana = make_user("ana")
    before = _graph()
    refused = client_for(ana).post(f"accounts/{ana.pk}/{action}")
    assert refused.status_code == 422, refused.content
    assert refused.json()["error"].startswith("Validation failed: You can't")
    assert _graph() == before


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "mute"])
def test_an_account_that_does_not_exist_is_not_found(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient], action: str
) -> None:
    ana = make_user("ana")
    answer = client_for(ana).post(f"accounts/{MISSING_ID}/{action}")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert _graph()["blocks"] == _graph()["mutes"] == []


def test_a_deactivated_account_is_not_found(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, gone = make_user("ana"), make_user("gone", is_active=False)
    answer = client_for(ana).post(f"accounts/{gone.pk}/follow")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert _graph()["follows"] == []


@pytest.mark.parametrize(
    "path",
    [
        "accounts/{other}/follow",
        "accounts/{other}/unfollow",
        "accounts/{other}/block",
        "accounts/{other}/mute",
        "accounts/{other}/remove_from_followers",
        "follow_requests/{other}/authorize",
        "follow_requests/{other}/reject",
    ],
)
def test_a_read_only_token_changes_nothing(make_user: Callable[..., User], path: str) -> None:
    ana, bob = make_user("ana", is_private=True), make_user("bob")
    graph.follow_create(follower=bob, followee=ana)  # a request to answer
    browser = Client()
    browser.force_login(ana)
    token = user_token(browser, register_app(), scope="read")
    before = _graph()
    refused = Client().post("/api/v1/" + path.format(other=bob.pk), **bearer(token))
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "This action is outside the authorized scopes"},
    )
    assert _graph() == before


def test_a_follow_scoped_token_may_act(make_user: Callable[..., User]) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    browser = Client()
    browser.force_login(ana)
    token = user_token(browser, register_app("read write follow"), scope="follow")
    answer = Client().post(f"/api/v1/accounts/{bob.pk}/block", **bearer(token))
    assert _relationship(answer, bob).blocking is True
