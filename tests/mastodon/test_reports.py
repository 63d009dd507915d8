"""Reporting through the client API: an account, or statuses of it, land in the moderation
queue as any report does; refused, and nothing written, where the reporter may not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.moderation.models import Case, Report
from glimpse.moderation.selectors import queue_open
from glimpse.posts import services as post_services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": "Record not found"}


def _rows() -> list[tuple[Any, ...]]:
    return sorted(Report.objects.values_list("reporter_id", "target_type", "target_id", "reason"))


def _queued() -> set[tuple[str, int]]:
    return {(row.case.target_type, row.case.target_id) for row in queue_open()}


def test_reporting_an_account_answers_the_report_and_queues_it(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    answer = client_for(bob).post(
        "reports", {"account_id": str(ana.pk), "comment": "impersonates me", "forward": True}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    report = Report.objects.get()
    assert body["id"] == str(report.pk)
    assert (body["category"], body["comment"], body["status_ids"]) == (
        "other",
        "impersonates me",
        None,
    )
    assert (body["action_taken"], body["forwarded"], body["rule_ids"]) == (False, False, None)
    assert body["target_account"]["id"] == str(ana.pk)
    assert _rows() == [(bob.pk, "account", ana.pk, "other")]
    assert _queued() == {("account", ana.pk)}


def test_reporting_statuses_reports_each_post_and_comment_in_a_form(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    post_by: Callable[..., Post],
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "buy now")
    comment = post_services.comment_create(author=ana, post_id=post.pk, text="cheap pills")
    answer = Client().post(
        "/api/v1/reports",
        {
            "account_id": str(ana.pk),
            "status_ids[]": [str(post.pk), str(comment.pk)],
            "category": "spam",
        },
        **bearer(client_for(bob).token or ""),
    )
    assert answer.status_code == 200, answer.content
    assert sorted(answer.json()["status_ids"]) == sorted([str(post.pk), str(comment.pk)])
    assert answer.json()["category"] == "spam"
    assert _rows() == sorted(
        [(bob.pk, "post", post.pk, "spam"), (bob.pk, "comment", comment.pk, "spam")]
    )
    assert _queued() == {("post", post.pk), ("comment", comment.pk)}


@pytest.mark.parametrize(
    ("category", "reason", "answered"),
    [("spam", "spam", "spam"), ("legal", "other", "other"), ("violation", "other", "other")],
)
def test_mastodons_categories_are_filed_under_glimpses_reasons(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    category: str,
    reason: str,
    answered: str,
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    answer = client_for(bob).post("reports", {"account_id": ana.pk, "category": category})
    assert answer.json()["category"] == answered
    assert _rows() == [(bob.pk, "account", ana.pk, reason)]


def test_a_status_of_another_account_writes_nothing(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    post_by: Callable[..., Post],
) -> None:
    ana, bob, carl = make_user("ana"), make_user("bob"), make_user("carl")
    own, other = post_by(ana, "mine"), post_by(carl, "not ana's")
    answer = client_for(bob).post(
        "reports", {"account_id": str(ana.pk), "status_ids": [str(own.pk), str(other.pk)]}
    )
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert (_rows(), Case.objects.count()) == ([], 0)


@pytest.mark.parametrize("relation", ["blocked_by", "missing", "private_post"])
def test_what_the_reporter_may_not_see_is_not_found(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    post_by: Callable[..., Post],
    relation: str,
) -> None:
    ana, bob = make_user("ana", is_private=relation == "private_post"), make_user("bob")
    post = post_by(ana, "dawn")
    if relation == "blocked_by":
        graph.block_create(blocker=ana, blocked=bob)
    body: dict[str, Any] = {"account_id": str(ana.pk)}
    if relation == "missing":
        body["account_id"] = "123456789012345678"
    if relation == "private_post":
        body["status_ids"] = [str(post.pk)]
    answer = client_for(bob).post("reports", body)
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert (_rows(), Case.objects.count()) == ([], 0)


def test_bad_input_and_oneself_are_refused(
    make_user: Callable[..., User], client_for: Callable[[User], ApiClient]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    api = client_for(bob)
    cases = [
        ({}, 422),
        ({"account_id": str(ana.pk), "category": "rude"}, 422),
        ({"account_id": str(ana.pk), "comment": "x" * 1001}, 422),
        ({"account_id": "abc"}, 404),
        ({"account_id": str(ana.pk), "status_ids": [str(n) for n in range(1, 42)]}, 422),
        ({"account_id": str(bob.pk)}, 403),
    ]
    for body, status in cases:
        answer = api.post("reports", body)
        assert answer.status_code == status, (body, answer.content)
        assert isinstance(answer.json()["error"], str)
    assert (_rows(), Case.objects.count()) == ([], 0)


def test_reporting_again_is_a_conflict_and_adds_nothing(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    post_by: Callable[..., Post],
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    first, second = post_by(ana, "one"), post_by(ana, "two")
    api = client_for(bob)
    assert api.post("reports", {"account_id": ana.pk, "status_ids": [first.pk]}).status_code == 200
    again = api.post("reports", {"account_id": ana.pk, "status_ids": [first.pk]})
    assert again.status_code == 409
    assert again.json() == {"error": "You already reported this."}
    # With a new status besides, the new one is reported and the old one left as it was.
    more = api.post("reports", {"account_id": ana.pk, "status_ids": [first.pk, second.pk]})
    assert more.json()["status_ids"] == [str(second.pk)]
    assert Report.objects.count() == 2


def test_a_token_without_write_reports_writes_nothing(make_user: Callable[..., User]) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    browser = Client()
    browser.force_login(bob)
    token = user_token(browser, register_app(), scope="read write:follows")
    answer = Client().post(
        "/api/v1/reports",
        {"account_id": str(ana.pk)},
        content_type="application/json",
        **bearer(token),
    )
    assert (answer.status_code, answer.json()) == (
        403,
        {"error": "This action is outside the authorized scopes"},
    )
    assert _rows() == []
