"""The ranked feed: the properties docs/feeds.md promises, on both stores."""

from __future__ import annotations

import pytest

from glimpse.core.errors import InvalidInput
from glimpse.feeds.ranking import feed_ranked_page, score
from glimpse.graph import services as graph
from glimpse.posts import services as post_services
from glimpse.posts.presenters import PostState
from tests.feeds.conftest import follow, posts_of

pytestmark = pytest.mark.django_db


def state(likes: int = 0, comments: int = 0) -> PostState:
    return PostState(
        author_id=1,
        like_count=likes,
        comment_count=comments,
        repost_count=0,
        comments_enabled=True,
        hide_like_count=False,
        is_archived=False,
        is_pinned=False,
        liked=False,
        saved=False,
        reposted=False,
        is_author=False,
    )


def ranked_ids(viewer, limit: int = 20) -> list[int]:
    """Return the whole ranked feed, page after page."""
    found: list[int] = []
    page = feed_ranked_page(viewer=viewer, limit=limit)
    found += [item.post_id for item in page.items]
    while page.next_cursor is not None:
        page = feed_ranked_page(viewer=viewer, cursor=page.next_cursor, limit=limit)
        found += [item.post_id for item in page.items]
    return found


def test_the_score_rises_with_recency_affinity_and_engagement() -> None:
    assert score(state(), 1, 0) > score(state(), 2, 0)  # newer first, all else equal
    assert score(state(), 1, 3) > score(state(), 1, 0)  # the viewer's favourite authors
    assert score(state(likes=10), 1, 0) > score(state(likes=2), 1, 0)
    assert score(state(comments=1), 1, 0) > score(state(likes=1), 1, 0)  # comments weigh more
    # Twelve hours (the half-life) halve a score.
    assert score(state(), 12, 0) == pytest.approx(score(state(), 0, 0) / 2)


def test_ranked_holds_exactly_the_chronological_posts(store, make_user, post_by, act) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, bob))
    for i in range(7):
        post_by(ana if i % 2 else bob, caption=f"post {i}")
    ranked = ranked_ids(viewer, limit=3)  # three pages from one snapshot
    assert sorted(ranked) == sorted(posts_of(viewer))
    assert len(set(ranked)) == len(ranked)


def test_engagement_and_affinity_lift_a_post_over_a_newer_one(
    store, make_user, post_by, act
) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    fans = [make_user(f"fan{i}") for i in range(6)]
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, bob))
    older = post_by(ana, caption="older")
    newer = post_by(bob, caption="newer")
    assert ranked_ids(viewer)[:2] == [newer.pk, older.pk]  # nothing else: newest first
    for fan in fans:
        post_services.like_create(user=fan, post_id=older.pk)
    assert ranked_ids(viewer)[:2] == [older.pk, newer.pk]  # engagement wins a minute's age


def test_the_viewers_own_interactions_lift_an_author(store, make_user, post_by, act) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, bob))
    earlier = post_by(ana, caption="earlier")
    older = post_by(ana, caption="older")
    newer = post_by(bob, caption="newer")
    assert ranked_ids(viewer)[:2] == [newer.pk, older.pk]
    # The viewer liked ana's earlier post: ana's older post now outranks bob's newer one.
    post_services.like_create(user=viewer, post_id=earlier.pk)
    ranked = ranked_ids(viewer)
    assert ranked.index(older.pk) < ranked.index(newer.pk)


def test_pages_of_a_ranking_are_checked_again(store, make_user, post_by, act) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, bob))
    for i in range(4):
        post_by(ana, caption=f"ana {i}")
        post_by(bob, caption=f"bob {i}")
    first = feed_ranked_page(viewer=viewer, limit=2)
    act(lambda: graph.follow_delete(follower=viewer, followee=bob))
    rest = []
    page = first
    while page.next_cursor is not None:
        page = feed_ranked_page(viewer=viewer, cursor=page.next_cursor, limit=2)
        rest += [item.state.author_id for item in page.items]
    assert rest
    assert bob.pk not in rest


def test_bad_and_expired_cursors_are_clear_errors(make_user, client_for, settings) -> None:
    viewer = make_user("viewer")
    api = client_for(viewer)
    for cursor in ("nonsense", "abc.x", "x" * 80):
        response = api.get(f"feed?order=ranked&cursor={cursor}")
        assert response.status_code == 422, cursor
    expired = api.get("feed?order=ranked&cursor=gone.20")
    assert expired.status_code == 422
    assert expired.json()["error"]["code"] == "cursor_expired"
    assert api.get("feed?order=best").status_code == 422
    with pytest.raises(InvalidInput):
        feed_ranked_page(viewer=viewer, cursor="gone.0")


def test_ranked_feed_through_the_api(store, make_user, post_by, act, client_for) -> None:
    viewer, ana = make_user("viewer"), make_user("ana")
    act(lambda: follow(viewer, ana))
    posts = [post_by(ana, caption=f"p{i}") for i in range(3)]
    api = client_for(viewer)
    body = api.get("feed?order=ranked&limit=2").json()
    assert body["next_max_id"] is None
    assert body["next_cursor"]
    rest = api.get(f"feed?order=ranked&limit=2&cursor={body['next_cursor']}").json()
    shown = [i["id"] for i in body["items"] + rest["items"]]
    assert sorted(shown) == sorted(str(p.pk) for p in posts)
    assert rest["next_cursor"] is None
