"""Many threads writing the same edges at once: rows and counts stay exact.

Each thread has its own database connection. On PostgreSQL the writes really race, and the
row locks of the services keep them right. The embedded default's test database is a
shared-cache in-memory SQLite, which answers "table is locked" at once instead of waiting
for the lock (a file database waits up to its timeout): there a thread retries its whole
call, which is safe because a failed call rolled back everything it did.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from glimpse.accounts.models import User
from glimpse.accounts.services import profile_update
from glimpse.core.errors import NotFound
from glimpse.graph import services
from glimpse.graph.models import Follow, FollowRequest
from tests.graph.conftest import counts

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24
MakeUser = Callable[..., User]


def run_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; return results, raise errors."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = _with_retries(call)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    if errors:
        raise errors[0]
    return results


def _with_retries(call: Callable[[], Any]) -> Any:
    for attempt in range(200):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(random.uniform(0.001, 0.01) * (1 + attempt % 5))
    raise AssertionError("still locked after 200 attempts")


def test_many_accounts_follow_the_same_account_at_once(make_user: MakeUser) -> None:
    star = make_user("star")
    fans = [make_user(f"fan{i}") for i in range(THREADS)]
    states = run_at_once(
        [partial(services.follow_create, follower=fan, followee=star) for fan in fans]
    )
    assert states == ["following"] * THREADS
    assert Follow.objects.filter(followee=star).count() == THREADS
    assert counts(star) == (THREADS, 0)
    assert all(counts(fan) == (0, 1) for fan in fans)


def test_the_same_follow_sent_many_times_at_once_counts_once(make_user: MakeUser) -> None:
    star, fan = make_user("star"), make_user("fan")
    run_at_once([partial(services.follow_create, follower=fan, followee=star)] * THREADS)
    assert Follow.objects.count() == 1
    assert counts(star) == (1, 0)
    assert counts(fan) == (0, 1)


def test_follows_and_unfollows_racing_stay_exact(make_user: MakeUser) -> None:
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
    run_at_once(calls)
    followers = set(Follow.objects.filter(followee=star).values_list("follower_id", flat=True))
    assert followers == {fan.pk for fan in arriving}
    assert counts(star) == (len(arriving), 0)
    assert all(counts(fan) == (0, 0) for fan in leaving)


def test_going_public_while_requests_arrive_leaves_no_request_behind(
    make_user: MakeUser,
) -> None:
    star = make_user("star", is_private=True)
    fans = [make_user(f"fan{i}") for i in range(THREADS)]
    calls: list[Callable[[], Any]] = [
        partial(services.follow_create, follower=fan, followee=star) for fan in fans
    ]
    calls.insert(THREADS // 2, partial(profile_update, user=star, is_private=False))
    run_at_once(calls)
    # Whichever came first, every asker ends up a follower of the now public account.
    assert not FollowRequest.objects.exists()
    assert Follow.objects.filter(followee=star).count() == THREADS
    assert counts(star) == (THREADS, 0)
    assert all(counts(fan) == (0, 1) for fan in fans)


def test_blocks_racing_follows_leave_no_follow_between_the_pair(make_user: MakeUser) -> None:
    pairs = [(make_user(f"a{i}"), make_user(f"b{i}")) for i in range(THREADS // 2)]
    calls: list[Callable[[], Any]] = []
    for one, two in pairs:
        calls.append(partial(_follow_unless_blocked, one, two))
        calls.append(partial(services.block_create, blocker=two, blocked=one))
    run_at_once(calls)
    for one, two in pairs:
        assert not Follow.objects.filter(follower=one, followee=two).exists()
        assert counts(one) == (0, 0)
        assert counts(two) == (0, 0)


def _follow_unless_blocked(follower: User, followee: User) -> None:
    with contextlib.suppress(NotFound):  # the block came first
        services.follow_create(follower=follower, followee=followee)
