"""Accounts to follow through the client API: Glimpse's suggestions (followed by the accounts
one follows) as Mastodon's Suggestion, and a dismissal that keeps nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from tests.conftest import ApiClient
from tests.mastodon.entities import Account
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db


def test_suggestions_are_the_accounts_followed_by_whom_one_follows(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob, carl, dora, eve = (make_user(name) for name in ("ana", "bob", "carl", "dora", "eve"))
    graph.follow_create(follower=ana, followee=bob)
    graph.follow_create(follower=ana, followee=carl)
    for followee in (dora, eve):
        graph.follow_create(follower=bob, followee=followee)
    graph.follow_create(follower=carl, followee=eve)
    graph.mute_create(muter=ana, muted=dora)
    # The test client's root is /api/v1/: the second version is asked by its full path.
    answer = Client().get("/api/v2/suggestions", **bearer(client_for(ana).token or ""))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [item["account"]["id"] for item in body] == [str(eve.pk)]  # dora is muted
    assert (body[0]["source"], body[0]["sources"]) == ("past_interactions", ["friends_of_friends"])
    Account.model_validate(body[0]["account"])


def test_no_one_to_suggest_is_an_empty_list(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana = make_user("ana")
    answer = Client().get("/api/v2/suggestions?limit=5", **bearer(client_for(ana).token or ""))
    assert (answer.status_code, answer.json()) == (200, [])


def test_dismissing_a_suggestion_answers_an_empty_object(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    api = client_for(ana)
    answer = api.delete(f"suggestions/{bob.pk}")
    assert (answer.status_code, answer.json()) == (200, {})
    missing = api.delete("suggestions/123456789012345678")
    assert (missing.status_code, missing.json()) == (404, {"error": "Record not found"})


def test_suggestions_need_a_read_token(make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    browser = Client()
    browser.force_login(ana)
    token = user_token(browser, register_app("read write follow push profile"), scope="profile")
    answer = Client().get("/api/v2/suggestions", **bearer(token))
    assert answer.status_code == 403
    assert Client().get("/api/v2/suggestions").status_code == 401
