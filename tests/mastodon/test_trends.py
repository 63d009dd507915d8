"""Trends through the client API: the hashtags and posts Explore ranks as trending, each
with its week of use, through the viewer's policy (a private account's post reaches its
followers only, a block hides it)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.feeds.explore_lists import network_lists_refresh
from glimpse.graph import services as graph
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.mastodon.conftest import bearer_of
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [status["id"] for status in response.json()]


@pytest.fixture
def liked(make_user: Callable[..., User], post_by: Callable[..., Post]) -> dict[str, Any]:
    """A public post (#sunset) liked twice, a private account's (#secret) liked once, and a
    public one nobody liked; the network's lists prepared after."""
    ana, dan = make_user("ana"), make_user("dan", is_private=True)
    bo, cy = make_user("bo"), make_user("cy")
    follow(bo, dan)
    hot = post_by(ana, "golden hour #sunset")
    private = post_by(dan, "#secret garden")
    quiet = post_by(ana, "#sunset again")
    for fan in (bo, cy):
        posts.like_create(user=fan, post_id=hot.pk)
    posts.like_create(user=bo, post_id=private.pk)
    network_lists_refresh()
    return {
        "ana": ana,
        "dan": dan,
        "bo": bo,
        "cy": cy,
        "hot": hot,
        "private": private,
        "quiet": quiet,
    }


def test_trending_posts_come_best_first_through_the_viewers_policy(liked: dict[str, Any]) -> None:
    hot, private = str(liked["hot"].pk), str(liked["private"].pk)
    assert _ids(Client().get("/api/v1/trends/statuses")) == [hot]
    assert _ids(Client().get("/api/v1/trends/statuses", **bearer_of(liked["cy"]))) == [hot]
    # A follower of the private account sees its post too, ranked after the more liked one.
    assert _ids(Client().get("/api/v1/trends/statuses", **bearer_of(liked["bo"]))) == [hot, private]
    assert _ids(
        Client().get("/api/v1/trends/statuses", {"offset": 1}, **bearer_of(liked["bo"]))
    ) == [private]
    assert _ids(
        Client().get("/api/v1/trends/statuses", {"limit": 1}, **bearer_of(liked["bo"]))
    ) == [hot]
    graph.block_create(blocker=liked["ana"], blocked=liked["cy"])
    assert _ids(Client().get("/api/v1/trends/statuses", **bearer_of(liked["cy"]))) == []


def test_trending_tags_count_a_week_of_public_use(liked: dict[str, Any]) -> None:
    response = Client().get("/api/v1/trends/tags")
    assert response.status_code == 200, response.content
    tags = response.json()
    assert [tag["name"] for tag in tags] == ["sunset"]
    history = tags[0]["history"]
    assert len(history) == 7
    today = timezone.now().date()
    assert history[0] == {
        "day": str(calendar.timegm(today.timetuple())),
        "uses": "2",
        "accounts": "1",
    }
    assert all(day["uses"] == "0" for day in history[1:])
    assert tags[0]["url"].endswith("/explore/tags/sunset/")


def test_the_same_history_shows_in_search(liked: dict[str, Any]) -> None:
    found = Client().get("/api/v2/search", {"q": "#sun", "type": "hashtags"}).json()
    assert found["hashtags"][0]["history"][0]["uses"] == "2"


def test_links_are_none_and_a_bad_page_is_refused(liked: dict[str, Any]) -> None:
    assert Client().get("/api/v1/trends/links").json() == []
    for query in ({"limit": "0"}, {"offset": "-1"}, {"limit": "lots"}):
        response = Client().get("/api/v1/trends/statuses", query)
        assert response.status_code == 422
        assert "error" in response.json()
