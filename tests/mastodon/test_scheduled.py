"""Scheduled statuses through the client API: ``scheduled_at`` on a new status, and
``/api/v1/scheduled_statuses`` to list, read, move and cancel; only the account's own."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts import services
from glimpse.posts.models import Draft, Post
from tests.mastodon.conftest import bearer_of
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db

Media = Callable[..., list[MediaItem]]


def call(auth: dict[str, Any], method: str, path: str, body: Any = None) -> Any:
    if body is None:
        return getattr(Client(), method)("/api/v1/" + path, **auth)
    return getattr(Client(), method)(
        "/api/v1/" + path, json.dumps(body), content_type="application/json", **auth
    )


def ahead(**delta: float) -> str:
    return (timezone.now() + timedelta(**delta)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def state() -> list[Any]:
    return [
        *sorted(Draft.objects.values_list("pk", "caption", "publish_at")),
        Post.objects.count(),
        MediaItem.objects.count(),
    ]


def test_schedule_list_read_move_and_cancel(make_user: Callable[..., User], media_for: Media):
    ana = make_user("ana")
    auth = bearer_of(ana)
    media = media_for(ana, 2)
    when = ahead(days=2)
    sent = call(
        auth,
        "post",
        "statuses",
        {"status": "Later", "media_ids": [str(m.pk) for m in media], "scheduled_at": when},
    )
    assert sent.status_code == 200, sent.content
    scheduled = sent.json()
    assert datetime.fromisoformat(scheduled["scheduled_at"]) == datetime.fromisoformat(when)
    assert scheduled["params"]["text"] == "Later"
    assert scheduled["params"]["media_ids"] == [str(m.pk) for m in media]
    assert scheduled["params"]["visibility"] == "public"
    assert [a["id"] for a in scheduled["media_attachments"]] == [str(m.pk) for m in media]
    assert not Post.objects.exists()

    listed = call(auth, "get", "scheduled_statuses")
    assert [s["id"] for s in listed.json()] == [scheduled["id"]]
    assert "max_id=" in listed["Link"]
    assert call(auth, "get", f"scheduled_statuses/{scheduled['id']}").json() == scheduled

    later = ahead(days=5)
    moved = call(auth, "put", f"scheduled_statuses/{scheduled['id']}", {"scheduled_at": later})
    assert moved.status_code == 200, moved.content
    assert datetime.fromisoformat(moved.json()["scheduled_at"]) == datetime.fromisoformat(later)

    cancelled = call(auth, "delete", f"scheduled_statuses/{scheduled['id']}")
    assert (cancelled.status_code, cancelled.json()) == (200, {})
    assert not Draft.objects.exists()
    assert not MediaItem.objects.exists()


def test_a_due_scheduled_status_is_published_by_the_job(
    make_user: Callable[..., User], media_for: Media
) -> None:
    ana = make_user("ana")
    [item] = media_for(ana)
    sent = call(
        bearer_of(ana),
        "post",
        "statuses",
        {"status": "Out", "media_ids": [str(item.pk)], "scheduled_at": ahead(hours=1)},
    )
    Draft.objects.update(publish_at=timezone.now() - timedelta(seconds=1))
    assert services.drafts_publish_due() == 1
    [post] = Post.objects.all()
    assert post.caption == "Out"
    assert call(bearer_of(ana), "get", f"scheduled_statuses/{sent.json()['id']}").status_code == 404


def test_too_soon_a_reply_and_a_drafts_id_are_refused(
    make_user: Callable[..., User], media_for: Media
) -> None:
    ana = make_user("ana")
    auth = bearer_of(ana)
    [item, other] = media_for(ana, 2)
    draft = services.draft_create(author=ana, media_ids=[other.pk])  # a draft, not scheduled
    before = state()
    soon = call(
        auth, "post", "statuses", {"media_ids": [str(item.pk)], "scheduled_at": ahead(minutes=6)}
    )
    assert soon.status_code == 422
    assert "at least 10 minutes" in soon.json()["error"]
    reply = call(
        auth,
        "post",
        "statuses",
        {"status": "hi", "in_reply_to_id": "123", "scheduled_at": ahead(days=1)},
    )
    assert reply.status_code == 422
    assert call(auth, "get", f"scheduled_statuses/{draft.pk}").status_code == 404
    assert state() == before


def test_others_get_404_and_nothing_changes(
    make_user: Callable[..., User], media_for: Media
) -> None:
    ana = make_user("ana")
    [item] = media_for(ana)
    draft = services.draft_create(
        author=ana,
        media_ids=[item.pk],
        publish_at=timezone.now() + timedelta(days=1),
    )
    stranger, blocked, follower = make_user("sam"), make_user("bob"), make_user("fay")
    graph.block_create(blocker=ana, blocked=blocked)
    follow(follower, ana)
    before = state()
    for other in (stranger, blocked, follower):
        auth = bearer_of(other)
        assert call(auth, "get", "scheduled_statuses").json() == []
        path = f"scheduled_statuses/{draft.pk}"
        assert call(auth, "get", path).status_code == 404
        assert call(auth, "put", path, {"scheduled_at": ahead(days=3)}).status_code == 404
        assert call(auth, "delete", path).status_code == 404
    assert state() == before
