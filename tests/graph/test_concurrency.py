"""Many threads writing the same edges at once: rows and counts stay exact.

Each thread has its own database connection (see tests/threads.py). On PostgreSQL the writes
really race, and the row locks of the services keep them right; on SQLite the database
serializes the write transactions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.accounts.services import profile_update
from glimpse.core.errors import NotFound
from glimpse.graph import services
from glimpse.graph.models import Follow, FollowRequest
from tests.graph.conftest import counts
from tests.threads import run_at_once, writable_by_threads

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24
MakeUser = Callable[..., User]


def test_many_accounts_follow_the_same_account_at_once(make_user: MakeUser, tmp_path: Path) -> None:
    star = make_user("star")
    fans = [make_user(f"fan{i}") for i in range(THREADS)]
    with writable_by_threads(tmp_path) as use:
        states = run_at_once(
            [partial(services.follow_create, follower=fan, followee=star) for fan in fans],
            use=use,
        )
        assert states == ["following"] * THREADS
        assert Follow.objects.filter(followee=star).count() == THREADS
        assert counts(star) == (THREADS, 0)
        assert all(counts(fan) == (0, 1) for fan in fans)


def test_the_same_follow_sent_many_times_at_once_counts_once(
    make_user: MakeUser, tmp_path: Path
) -> None:
    star, fan = make_user("star"), make_user("fan")
    with writable_by_threads(tmp_path) as use:
        run_at_once(
            [partial(services.follow_create, follower=fan, followee=star)] * THREADS, use=use
        )
        assert Follow.objects.count() == 1
        assert counts(star) == (1, 0)
        assert counts(fan) == (0, 1)


def test_follows_and_unfollows_racing_stay_exact(make_user: MakeUser, tmp_path: Path) -> None:
    star = make_user("star")
    leaving = [make_user(f"old{i}") for i in range(THREADS // 2)]
    arriving = [make_user(f"new{i}") for i in range(THREADS // 2)]
    for fan in leaving:
        services.follow_create(follower=fan, followee=star)
    calls: list[Callable[[], Any]] = []
    for old, new in zip(leaving, arriving, strict=True):
        calls.append(partial(services.follow_delete, follower=old, followee=star))
        calls.append(partial(services.follow_create, follower=new, followee=star))
        # Each unfollow is sent twice: only one may count.
        calls.append(partial(services.follow_delete, follower=old, followee=star))
    with writable_by_threads(tmp_path) as use:
        run_at_once(calls, use=use)
        followers = set(Follow.objects.filter(followee=star).values_list("follower_id", flat=True))
        assert followers == {fan.pk for fan in arriving}
        assert counts(star) == (len(arriving), 0)
        assert all(counts(fan) == (0, 0) for fan in leaving)


def test_going_public_while_requests_arrive_leaves_no_request_behind(
    make_user: MakeUser, tmp_path: Path
) -> None:
    star = make_user("star", is_private=True)
    fans = [make_user(f"fan{i}") for i in range(THREADS)]
    calls: list[Callable[[], Any]] = [
        partial(services.follow_create, follower=fan, followee=star) for fan in fans
    ]
    calls.insert(THREADS // 2, partial(profile_update, user=star, is_private=False))
    with writable_by_threads(tmp_path) as use:
        run_at_once(calls, use=use)
        # Whichever came first, every asker ends up a follower of the now public account.
        assert not FollowRequest.objects.exists()
        assert Follow.objects.filter(followee=star).count() == THREADS
        assert counts(star) == (THREADS, 0)
        assert all(counts(fan) == (0, 1) for fan in fans)


def test_blocks_racing_follows_leave_no_follow_between_the_pair(
    make_user: MakeUser, tmp_path: Path
) -> None:
    pairs = [(make_user(f"a{i}"), make_user(f"b{i}")) for i in range(THREADS // 2)]
    calls: list[Callable[[], Any]] = []
    for one, two in pairs:
        calls.append(partial(_follow_unless_blocked, one, two))
        calls.append(partial(services.block_create, blocker=two, blocked=one))
    with writable_by_threads(tmp_path) as use:
        run_at_once(calls, use=use)
        for one, two in pairs:
            assert not Follow.objects.filter(follower=one, followee=two).exists()
            assert counts(one) == (0, 0)
            assert counts(two) == (0, 0)


def _follow_unless_blocked(follower: User, followee: User) -> None:
    with contextlib.suppress(NotFound):  # the block came first
        services.follow_create(follower=follower, followee=followee)
