"""Fixtures for notifications: accounts, real posts, and running the after-commit jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.notifications.models import Notification, NotificationActor
from tests.posts.conftest import client_for, follow, media_for, publish

__all__ = ["client_for", "follow", "media_for", "publish"]

Run = Callable[[Callable[[], Any]], Any]


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Run:
    """Call a service and run what it queued on commit (the notification jobs included)."""

    def call(func: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func()

    return call


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana")


@pytest.fixture
def bo(make_user: Callable[..., User]) -> User:
    return make_user("bo")


@pytest.fixture
def cy(make_user: Callable[..., User]) -> User:
    return make_user("cy")


def entries(user: User, kind: str | None = None) -> list[Notification]:
    """Return the stored notifications of a recipient, latest activity first."""
    rows = Notification.objects.filter(recipient=user).order_by("-sort_id")
    return list(rows.filter(kind=kind) if kind else rows)


def actor_names(entry: Notification) -> list[str]:
    """Return the usernames of an entry's actors, latest first."""
    rows = NotificationActor.objects.filter(notification=entry).order_by("-id")
    return [row.actor.username for row in rows.select_related("actor")]


def state() -> list[tuple[Any, ...]]:
    """Return every notification row and actor, to assert that nothing changed."""
    return [
        *Notification.objects.order_by("pk").values_list(
            "pk", "recipient_id", "kind", "actor_count", "is_read", "sort_id"
        ),
        *NotificationActor.objects.order_by("pk").values_list("pk", "actor_id"),
    ]


@pytest.fixture
def post_by(media_for: Callable[..., list], run: Run) -> Callable[..., Any]:
    """Publish a one-photo post through the real service and run its after-commit jobs."""
    from glimpse.posts import services
    from glimpse.posts.services import ItemSpec, PeopleTagSpec

    def make(author: User, caption: str = "", tagged: tuple[str, ...] = ()) -> Any:
        media = media_for(author, 1)  # queued outside `run`: its job already ran
        items = [ItemSpec(people_tags=[PeopleTagSpec(username=n, x=0.5, y=0.5) for n in tagged])]
        return run(
            lambda: services.post_create(
                author=author, media_ids=[media[0].pk], caption=caption, items=items
            )
        )

    return make
