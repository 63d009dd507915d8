"""Markers: where an account stopped reading, shared by its apps; the notifications marker
also marks Glimpse's notifications read up to it (the web badge agrees with the apps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.mastodon.models import ReadMarker
from glimpse.notifications.models import Notification
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.mastodon.conftest import bearer_of
from tests.notifications.conftest import Run, ana, bo, cy, post_by, run
from tests.oauth_flow import bearer, register_app, user_token
from tests.posts.conftest import media_for

__all__ = ["ana", "bo", "cy", "media_for", "post_by", "run"]

pytestmark = pytest.mark.django_db


def _save(auth: dict[str, Any], **positions: int) -> Any:
    form = {f"{name}[last_read_id]": str(value) for name, value in positions.items()}
    return Client().post("/api/v1/markers", form, **auth)


def _read(auth: dict[str, Any]) -> Any:
    return Client().get("/api/v1/markers", {"timeline[]": ["home", "notifications"]}, **auth).json()


def test_markers_are_kept_per_account_and_counted(ana: User, bo: User) -> None:
    auth = bearer_of(ana)
    saved = _save(auth, home=123456789012345678)
    assert saved.status_code == 200, saved.content
    assert saved.json()["home"]["last_read_id"] == "123456789012345678"
    assert saved.json()["home"]["version"] == 1
    moved = (
        Client()
        .post(
            "/api/v1/markers",
            '{"home": {"last_read_id": "123456789012345999"}}',
            content_type="application/json",
            **auth,
        )
        .json()
    )
    assert moved["home"] == {**moved["home"], "last_read_id": "123456789012345999", "version": 2}
    assert set(_read(auth)) == {"home"}
    assert _read(bearer_of(bo)) == {}


def test_the_notifications_marker_marks_them_read_up_to_it(
    ana: User, bo: User, cy: User, post_by: Callable[..., Post], run: Run
) -> None:
    post = post_by(ana, "dawn")
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.comment_create(author=cy, post_id=post.pk, text="wow"))
    auth = bearer_of(ana)
    shown = Client().get("/api/v1/notifications", **auth).json()
    newest, older = shown[0], shown[1]
    assert (newest["type"], older["type"]) == ("mention", "favourite")
    _save(auth, notifications=int(older["id"]))
    unread = dict(Notification.objects.filter(recipient=ana).values_list("kind", "is_read"))
    assert unread == {"like": True, "comment": False}
    assert Client().get("/api/v1/notifications/unread_count", **auth).json() == {"count": 1}
    _save(auth, notifications=int(newest["id"]))
    assert not Notification.objects.filter(recipient=ana, is_read=False).exists()
    assert _read(auth)["notifications"]["last_read_id"] == newest["id"]


@pytest.mark.parametrize(
    "form",
    [{}, {"home[last_read_id]": "soon"}, {"home": "12"}, {"notifications[last_read_id]": ""}],
)
def test_a_bad_marker_is_refused(ana: User, form: dict[str, str]) -> None:
    response = Client().post("/api/v1/markers", form, **bearer_of(ana))
    assert response.status_code == 422
    assert "error" in response.json()
    assert not ReadMarker.objects.exists()


def test_a_read_only_app_cannot_move_a_marker(ana: User) -> None:
    client = Client()
    client.force_login(ana)
    reader = bearer(user_token(client, register_app(), scope="read"))
    assert _save(reader, home=123456789012345678).status_code == 403
    assert not ReadMarker.objects.exists()
    assert _read(reader) == {}
