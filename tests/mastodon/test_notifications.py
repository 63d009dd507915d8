"""An account's notifications through the client API: one per account and action (v1), or
grouped (v2), through the same visibility rules as Glimpse's activity page; read, dismissed
and cleared by their recipient only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.notifications.models import Notification, NotificationActor
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.mastodon.conftest import bearer_of
from tests.mastodon.entities import GroupedNotifications
from tests.mastodon.entities import Notification as NotificationEntity
from tests.notifications.conftest import Run, ana, bo, cy, post_by, run, state
from tests.oauth_flow import bearer, register_app, user_token
from tests.posts.conftest import media_for

__all__ = ["ana", "bo", "cy", "media_for", "post_by", "run"]

pytestmark = pytest.mark.django_db


def _get(auth: dict[str, Any], path: str, **params: Any) -> Any:
    response = Client().get(path, params, **auth)
    assert response.status_code == 200, response.content
    return response


def _listed(auth: dict[str, Any], **params: Any) -> list[NotificationEntity]:
    body = _get(auth, "/api/v1/notifications", **params).json()
    return [NotificationEntity.model_validate(item) for item in body]


@pytest.fixture
def busy(ana: User, bo: User, cy: User, post_by: Callable[..., Post], run: Run) -> Post:
    """Ana's post, liked by bo then cy, commented on by bo; then bo follows ana."""
    post = post_by(ana, "dawn")
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="lovely light"))
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    return post


def test_each_account_and_action_is_one_notification_newest_first(
    ana: User, bo: User, cy: User, busy: Post
) -> None:
    shown = _listed(bearer_of(ana))
    assert [(n.type, n.account.username) for n in shown] == [
        ("follow", "bo"),
        ("mention", "bo"),
        ("favourite", "cy"),
        ("favourite", "bo"),
    ]
    follow, reply, liked_cy, liked_bo = shown
    assert follow.status is None
    assert reply.status is not None
    assert reply.status.in_reply_to_id == str(busy.pk)
    assert "lovely light" in reply.status.content
    assert liked_cy.status is not None
    assert liked_cy.status.id == str(busy.pk)
    # The likes of one post are one group; the others are groups of their own.
    assert liked_cy.group_key == liked_bo.group_key
    assert len({follow.group_key, reply.group_key, liked_cy.group_key}) == 3
    assert [int(n.id) for n in shown] == sorted((int(n.id) for n in shown), reverse=True)


def test_types_accounts_and_pages_narrow_the_list(
    ana: User, bo: User, cy: User, busy: Post
) -> None:
    auth = bearer_of(ana)
    assert [n.type for n in _listed(auth, **{"types[]": ["favourite"]})] == ["favourite"] * 2
    assert {n.type for n in _listed(auth, **{"exclude_types[]": ["favourite", "follow"]})} == {
        "mention"
    }
    assert [n.account.username for n in _listed(auth, account_id=cy.pk)] == ["cy"]
    first = _get(auth, "/api/v1/notifications", limit=2)
    assert len(first.json()) == 2
    assert 'rel="next"' in first["Link"]
    rest = _listed(auth, max_id=first.json()[-1]["id"])
    assert [n.type for n in rest] == ["favourite", "favourite"]
    newer = _listed(auth, min_id=rest[0].id)
    assert [n.id for n in newer] == [n["id"] for n in first.json()]


def test_grouped_notifications_put_the_likes_of_a_post_together(
    ana: User, bo: User, cy: User, busy: Post
) -> None:
    grouped = GroupedNotifications.model_validate(
        _get(bearer_of(ana), "/api/v2/notifications").json()
    )
    groups = grouped.notification_groups
    assert [(g.type, g.notifications_count) for g in groups] == [
        ("follow", 1),
        ("mention", 1),
        ("favourite", 2),
    ]
    likes = groups[2]
    assert likes.sample_account_ids == [str(cy.pk), str(bo.pk)]
    assert likes.status_id == str(busy.pk)
    assert int(likes.page_max_id) > int(likes.page_min_id)
    # Each account and status once.
    assert sorted(a.username for a in grouped.accounts) == ["bo", "cy"]
    assert sorted(s.id for s in grouped.statuses) == sorted(
        {str(busy.pk), groups[1].status_id or ""}
    )


def test_a_grouped_page_counts_groups_and_its_link_continues_after_them(
    ana: User, busy: Post
) -> None:
    auth = bearer_of(ana)
    first = _get(auth, "/api/v2/notifications", limit=2)
    assert [g["type"] for g in first.json()["notification_groups"]] == ["follow", "mention"]
    link = first["Link"].split(";")[0].strip("<>")
    rest = Client().get(link, **auth).json()
    assert [(g["type"], g["notifications_count"]) for g in rest["notification_groups"]] == [
        ("favourite", 2)
    ]


def test_a_group_and_its_accounts_are_read_by_key(
    ana: User, bo: User, cy: User, busy: Post
) -> None:
    auth = bearer_of(ana)
    key = next(n.group_key for n in _listed(auth) if n.type == "favourite")
    group = _get(auth, f"/api/v2/notifications/{key}").json()
    assert group["notification_groups"][0]["notifications_count"] == 2
    accounts = _get(auth, f"/api/v2/notifications/{key}/accounts").json()
    assert [a["username"] for a in accounts] == ["cy", "bo"]


def test_an_actor_the_recipient_blocks_drops_out(
    ana: User, bo: User, cy: User, busy: Post, run: Run
) -> None:
    run(lambda: graph.block_create(blocker=ana, blocked=cy))
    auth = bearer_of(ana)
    assert "cy" not in {n.account.username for n in _listed(auth)}
    groups = _get(auth, "/api/v2/notifications").json()["notification_groups"]
    assert {g["type"]: g["notifications_count"] for g in groups}["favourite"] == 1


def test_unread_counts_follow_the_read_state(ana: User, busy: Post) -> None:
    auth = bearer_of(ana)
    assert _get(auth, "/api/v1/notifications/unread_count").json() == {"count": 4}
    assert _get(auth, "/api/v2/notifications/unread_count").json() == {"count": 3}
    assert _get(auth, "/api/v1/notifications/unread_count", limit=2).json() == {"count": 2}
    Notification.objects.filter(recipient=ana).update(is_read=True)
    assert _get(auth, "/api/v1/notifications/unread_count").json() == {"count": 0}


def test_one_notification_is_read_and_dismissed_by_its_recipient_only(
    ana: User, bo: User, cy: User, busy: Post
) -> None:
    auth = bearer_of(ana)
    liked_cy = next(n for n in _listed(auth) if n.account.username == "cy")
    one = _get(auth, f"/api/v1/notifications/{liked_cy.id}").json()
    assert one["id"] == liked_cy.id
    assert one["type"] == "favourite"
    before = state()
    for stranger in (bo, cy):
        other = bearer_of(stranger)
        assert Client().get(f"/api/v1/notifications/{liked_cy.id}", **other).status_code == 404
        refused = Client().post(f"/api/v1/notifications/{liked_cy.id}/dismiss", **other)
        assert refused.status_code == 404
        assert refused.json() == {"error": "Record not found"}
    assert state() == before
    assert Client().post(f"/api/v1/notifications/{liked_cy.id}/dismiss", **auth).json() == {}
    shown = _listed(auth)
    assert [(n.type, n.account.username) for n in shown][-1] == ("favourite", "bo")
    assert liked_cy.id not in {n.id for n in shown}
    entry = Notification.objects.get(recipient=ana, kind="like")
    assert entry.actor_count == 1
    assert Client().get(f"/api/v1/notifications/{liked_cy.id}", **auth).status_code == 404


def test_a_group_is_dismissed_whole(ana: User, busy: Post) -> None:
    auth = bearer_of(ana)
    key = next(n.group_key for n in _listed(auth) if n.type == "favourite")
    assert Client().post(f"/api/v2/notifications/{key}/dismiss", **auth).json() == {}
    assert "favourite" not in {n.type for n in _listed(auth)}
    assert not Notification.objects.filter(recipient=ana, kind="like").exists()
    assert Client().post(f"/api/v2/notifications/{key}/dismiss", **auth).status_code == 404
    assert Client().post("/api/v2/notifications/nonsense/dismiss", **auth).status_code == 404


def test_clear_deletes_the_recipients_notifications_only(
    ana: User, bo: User, busy: Post, post_by: Callable[..., Post], run: Run
) -> None:
    theirs = post_by(bo, "dusk")
    run(lambda: posts.like_create(user=ana, post_id=theirs.pk))
    assert Client().post("/api/v1/notifications/clear", **bearer_of(ana)).json() == {}
    assert _listed(bearer_of(ana)) == []
    assert Notification.objects.filter(recipient=bo).count() == 1
    assert NotificationActor.objects.filter(notification__recipient=bo).count() == 1


def test_scopes_guard_reading_and_clearing(ana: User, busy: Post) -> None:
    client = Client()
    client.force_login(ana)
    app = register_app()
    reader = bearer(user_token(client, app, scope="read:notifications"))
    other = bearer(user_token(client, app, scope="read:statuses write:statuses"))
    assert len(_listed(reader)) == 4
    before = state()
    assert Client().get("/api/v1/notifications", **other).status_code == 403
    assert Client().get("/api/v2/notifications", **other).status_code == 403
    assert Client().post("/api/v1/notifications/clear", **reader).status_code == 403
    assert Client().post("/api/v1/notifications/clear", **other).status_code == 403
    assert Client().get("/api/v1/notifications").status_code == 401
    assert state() == before


@pytest.mark.parametrize(
    "query",
    [{"limit": "many"}, {"limit": "0"}, {"max_id": "abc"}, {"account_id": "-3"}],
)
def test_bad_parameters_get_a_clear_error(ana: User, query: dict[str, str]) -> None:
    response = Client().get("/api/v1/notifications", query, **bearer_of(ana))
    assert response.status_code == 422
    assert "error" in response.json()
