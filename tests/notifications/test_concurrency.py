"""Grouping is race-safe: many likes at once make one entry with the exact actor count.

Each thread has its own connection and commits for real, so the notification job of each
like runs after its commit, at the same moment as the others (see tests/threads.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.notifications import services as notifications
from glimpse.notifications.activity import Activity
from glimpse.notifications.models import Notification, NotificationActor
from glimpse.posts import services
from tests.threads import run_at_once, writable_by_threads

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def test_concurrent_likes_make_one_entry_with_the_exact_count(
    make_user: Callable[..., User], publish: Callable[..., Any], tmp_path: Path
) -> None:
    author = make_user("author")
    post = publish(author)
    likers = [make_user(f"liker{n}") for n in range(THREADS)]
    with writable_by_threads(tmp_path) as use:
        calls = [partial(services.like_create, user=u, post_id=post.pk) for u in likers]
        run_at_once(calls, use=use)
        [entry] = Notification.objects.filter(recipient=author)
        assert entry.actor_count == THREADS
        assert NotificationActor.objects.filter(notification=entry).count() == THREADS


def test_the_same_job_at_once_counts_its_actor_once(
    make_user: Callable[..., User], publish: Callable[..., Any], tmp_path: Path
) -> None:
    author, fan = make_user("author"), make_user("fan")
    post = publish(author)
    services.like_create(user=fan, post_id=post.pk)  # committed: its job already ran once
    Notification.objects.all().delete()
    job = partial(
        notifications.notification_sync,
        activity=Activity(kind="like", actor_id=fan.pk, post_id=post.pk),
        undo=False,
    )
    with writable_by_threads(tmp_path) as use:
        run_at_once([job] * 8, use=use)
        [entry] = Notification.objects.filter(recipient=author)
        assert entry.actor_count == 1
        assert NotificationActor.objects.count() == 1
