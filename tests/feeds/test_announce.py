"""A new post or repost is announced live to the followers that have a socket open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts import services as posts
from glimpse.posts.models import Repost
from glimpse.realtime.presence import get_presence
from tests.conftest import Sent
from tests.feeds.conftest import follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(make_user: Callable[..., User], act: Callable[..., Any]) -> dict[str, User]:
    """ana, and followers of hers: one listening, one away, one listening that muted her."""
    people = {name: make_user(name) for name in ("ana", "here", "away", "muter", "stranger")}
    for name in ("here", "away", "muter"):
        act(lambda name=name: follow(people[name], people["ana"]))
    graph.mute_create(muter=people["muter"], muted=people["ana"])
    for name in ("ana", "here", "muter", "stranger"):
        get_presence().mark(people[name].pk)
    return people


@pytest.mark.usefixtures("store")
def test_a_new_post_reaches_present_followers_who_did_not_mute(
    audience: dict[str, User], post_by: Callable[..., Any], sent: Sent
) -> None:
    post = post_by(audience["ana"])
    assert sent == [(audience["here"].pk, "feed.new_posts", {"entry_id": str(post.pk)})]


@pytest.mark.usefixtures("store")
def test_a_repost_is_announced_and_a_removal_is_not(
    audience: dict[str, User],
    make_user: Callable[..., User],
    post_by: Callable[..., Any],
    act: Callable[..., Any],
    sent: Sent,
) -> None:
    author = make_user("author")
    post = post_by(author)
    act(lambda: posts.repost_create(user=audience["ana"], post_id=post.pk))
    repost = Repost.objects.get(post=post, user=audience["ana"])
    assert sent == [(audience["here"].pk, "feed.new_posts", {"entry_id": str(repost.pk)})]
    sent.clear()
    act(lambda: posts.repost_delete(user=audience["ana"], post_id=post.pk))
    assert sent == []


def test_an_account_above_the_fan_out_limit_is_still_announced(
    redis_feeds: Any,
    audience: dict[str, User],
    post_by: Callable[..., Any],
    sent: Sent,
    settings: Any,
) -> None:
    settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS = 1  # ana's followers merge her outbox at read
    post = post_by(audience["ana"])
    assert redis_feeds.client.zcard(redis_feeds.key(audience["here"].pk)) == 0
    assert sent == [(audience["here"].pk, "feed.new_posts", {"entry_id": str(post.pk)})]
