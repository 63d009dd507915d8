"""The signed-in account's own lists: bookmarks (saved posts), favourites (liked posts),
follow requests, blocks and mutes, each paged by its own edge's id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.mastodon.entities import accounts, statuses

pytestmark = pytest.mark.django_db


def _next(response: Any) -> str:
    return str(response.headers["Link"].split("<", 1)[1].split(">", 1)[0].split("/api/v1/")[1])


def test_bookmarks_and_favourites_list_saved_and_liked_posts_latest_first(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    viewer, ana, hidden = make_user("viewer"), make_user("ana"), make_user("hidden")
    posts = [post_by(ana, f"post {n}") for n in range(3)]
    gone = post_by(hidden, "soon private")
    # Saved and liked oldest post first: the lists follow the save, not the post.
    for post in (posts[2], posts[0], posts[1], gone):
        act(lambda post=post: services.save_create(user=viewer, post_id=post.pk))
        act(lambda post=post: services.like_create(user=viewer, post_id=post.pk))
    hidden.is_private = True
    hidden.save()
    api = client_for(viewer)
    for path in ("bookmarks", "favourites"):
        first = api.get(f"{path}?limit=2")
        assert [s.id for s in statuses(first.json())] == [str(posts[1].pk), str(posts[0].pk)]
        rest = statuses(api.get(_next(first)).json())
        assert [s.id for s in rest] == [str(posts[2].pk)]
    assert all(s.bookmarked and s.favourited for s in statuses(api.get("bookmarks").json()))


def test_follow_requests_blocks_and_mutes_list_accounts(
    make_user: Callable[..., User],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    owner = make_user("owner", is_private=True)
    fans = [make_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        act(lambda fan=fan: graph.follow_create(follower=fan, followee=owner))
    rude, loud = make_user("rude"), make_user("loud")
    act(lambda: graph.block_create(blocker=owner, blocked=rude))
    act(lambda: graph.mute_create(muter=owner, muted=loud))
    api = client_for(owner)
    first = api.get("follow_requests?limit=2")
    assert [a.username for a in accounts(first.json())] == ["fan2", "fan1"]
    assert [a.username for a in accounts(api.get(_next(first)).json())] == ["fan0"]
    assert [a.username for a in accounts(api.get("blocks").json())] == ["rude"]
    assert [a.username for a in accounts(api.get("mutes").json())] == ["loud"]
