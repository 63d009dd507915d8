"""Explore reads its candidates ready: the network's lists kept by a periodic job, each
viewer's picks prepared once and again in the background when old; the policy on reading."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.feeds import explore_grid, explore_lists
from glimpse.feeds.explore_grid import explore_page
from glimpse.feeds.tasks import explore_prepare, explore_refresh
from glimpse.graph import services as graph
from tests.feeds.conftest import follow
from tests.feeds.test_explore import all_pages, like, raw_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(make_user: Callable[..., User]) -> dict[str, Any]:
    """A viewer, a twin who liked what it liked and more, and an author's six posts."""
    viewer, twin, author = make_user("viewer"), make_user("twin"), make_user("author")
    shared = raw_post(make_user("other"))
    like(viewer, shared)
    like(twin, shared)
    posts = [raw_post(author, hours_ago=n) for n in range(6)]
    for post in posts[:3]:
        like(twin, post)
    return {"viewer": viewer, "author": author, "posts": posts, "shared": shared}


def test_the_periodic_job_keeps_the_network_lists(network: dict[str, Any]) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["feeds-explore-refresh"]["schedule"] == 60.0
    explore_refresh()
    lists = cache.get(explore_lists.NETWORK_KEY)
    liked = [post.pk for post in network["posts"][:3]]
    assert set(lists.trending) >= set(liked)
    # The most liked of late first (two likes, then one: newest first among equals).
    assert list(lists.liked[:4]) == [network["shared"].pk, *sorted(liked, reverse=True)]
    assert set(lists.liked) >= {post.pk for post in network["posts"]}


def test_a_page_reads_ready_lists_with_two_statements(network: dict[str, Any]) -> None:
    viewer = network["viewer"]
    first = explore_page(viewer=viewer, limit=10)  # makes the lists, caches the cards
    picks = cache.get(explore_lists.PICKS_KEY.format(viewer.pk))
    assert set(picks.ids) == {post.pk for post in network["posts"][:3]}
    with CaptureQueriesContext(connection) as captured:
        again = explore_page(viewer=viewer, limit=10)  # another session: the same posts
    assert [post.id for post in again.items] == [post.id for post in first.items]
    # Which candidates the policy allows, then their state: no ranking, no like counted.
    assert len(captured) == 2, [query["sql"] for query in captured]
    # The viewer's picks come first: the posts its twin liked.
    assert {post.id for post in again.items[:3]} == {post.pk for post in network["posts"][:3]}


def test_a_new_post_joins_the_candidates_with_the_next_refresh(network: dict[str, Any]) -> None:
    viewer = network["viewer"]
    explore_page(viewer=viewer)
    newer = raw_post(network["author"])
    assert newer.pk not in all_pages(viewer)
    explore_refresh()
    assert newer.pk in all_pages(viewer)


def test_the_policy_decides_on_reading_whatever_the_lists_hold(
    network: dict[str, Any], make_user: Callable[..., User], act: Any
) -> None:
    viewer, author = network["viewer"], network["author"]
    assert set(all_pages(viewer)) == {post.pk for post in network["posts"]}
    graph.block_create(blocker=author, blocked=viewer)
    assert all_pages(viewer) == []  # blocked: at once, though the lists still hold the posts
    graph.block_delete(blocker=author, blocked=viewer)
    act(lambda: follow(viewer, author))
    assert all_pages(viewer) == []  # followed now: its posts are in the home feed instead


def test_old_picks_are_prepared_again_by_one_job_while_the_page_uses_them(
    network: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = network["viewer"]
    key = explore_lists.PICKS_KEY.format(viewer.pk)
    old = explore_lists.Picks((network["posts"][5].pk,), time.time() - 11 * 60)
    cache.set(key, old, explore_lists.PICKS_TTL)
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(explore_grid, "enqueue", lambda task, *args: queued.append(args))
    page = explore_page(viewer=viewer, limit=1)
    assert [post.id for post in page.items] == [network["posts"][5].pk]  # the old picks
    explore_page(viewer=viewer, limit=1)
    assert queued == [(viewer.pk,)]  # one job, however many pages meanwhile
    assert explore_prepare(viewer.pk) == 3
    fresh = cache.get(key)
    assert set(fresh.ids) == {post.pk for post in network["posts"][:3]}
    assert cache.get(explore_lists.PICKS_PENDING_KEY.format(viewer.pk)) is None
