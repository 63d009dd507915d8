"""Explore, trending hashtags and places: the policy, sessions, ranking and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.feeds.explore import decay, trending_places, trending_tags
from glimpse.feeds.explore_grid import explore_page
from glimpse.graph import services as graph
from glimpse.posts import services as post_services
from glimpse.posts.models import Hashtag, Like, Place, Post, PostHashtag
from tests.feeds.conftest import follow

pytestmark = pytest.mark.django_db


def raw_post(author: User, *, hours_ago: float = 0, **fields: object) -> Post:
    """Create a bare post (no media) at a chosen time: ranking tests need to set the clock."""
    return Post.objects.create(
        author=author, created_at=timezone.now() - timedelta(hours=hours_ago), **fields
    )


def like(user: User, post: Post, *, hours_ago: float = 0) -> None:
    """Like a post at a chosen time, keeping its counter right."""
    Like.objects.create(
        user=user, post=post, created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    Post.objects.filter(pk=post.pk).update(like_count=post.like_count + 1)
    post.like_count += 1


def all_pages(viewer: User, *, limit: int = 2) -> list[int]:
    """Return every post Explore shows the viewer in one session, page after page."""
    page = explore_page(viewer=viewer, limit=limit)
    shown = [p.id for p in page.items]
    for _ in range(100):
        if not page.has_more:
            return shown
        page = explore_page(viewer=viewer, session=page.session, limit=limit)
        shown += [p.id for p in page.items]
    raise AssertionError("Explore never ends")


def test_explore_keeps_only_what_the_policy_allows(make_user, post_by, act) -> None:
    viewer = make_user("viewer")
    followed, private, blocked, blocker, muted, stranger = (
        make_user(name)
        for name in ("followed", "private", "blocked", "blocker", "muted", "stranger")
    )
    private.is_private = True
    private.save()
    act(lambda: follow(viewer, followed))
    act(lambda: follow(viewer, private))  # followed and private: still not on Explore
    graph.block_create(blocker=viewer, blocked=blocked)
    graph.block_create(blocker=blocker, blocked=viewer)
    graph.mute_create(muter=viewer, muted=muted)
    for author in (viewer, followed, private, blocked, blocker, muted):
        post_by(author)
    lonely = make_user("lonely", is_private=True)
    post_by(lonely)
    archived = post_by(stranger, caption="archived")
    act(lambda: post_services.post_archive(actor=stranger, post_id=archived.pk))
    kept = post_by(stranger, caption="kept")
    before = Post.objects.count()
    assert all_pages(viewer) == [kept.pk]
    assert Post.objects.count() == before


def test_no_post_twice_in_a_session_and_a_new_session_starts_over(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    posts = [raw_post(author) for _ in range(7)]
    shown = all_pages(viewer, limit=3)
    assert sorted(shown) == sorted(p.pk for p in posts)
    assert len(shown) == len(set(shown))
    again = explore_page(viewer=viewer, limit=3)
    assert len(again.items) == 3  # another session shows them again


def test_coengagement_ranks_posts_liked_by_similar_people_first(make_user) -> None:
    viewer, twin, other, author = (make_user(n) for n in ("viewer", "twin", "other", "author"))
    liked_by_both = raw_post(author)
    like(viewer, liked_by_both)
    like(twin, liked_by_both)
    unrelated = raw_post(author, hours_ago=100)
    for n in range(3):  # more likes in all, but from people unlike the viewer
        like(make_user(f"fan{n}"), unrelated, hours_ago=90)
    similar = raw_post(author, hours_ago=100)
    like(twin, similar, hours_ago=90)
    like(other, unrelated, hours_ago=90)
    order = [p.id for p in explore_page(viewer=viewer, limit=10).items]
    assert order.index(similar.pk) < order.index(unrelated.pk)


def test_trending_recent_engagement_beats_old(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    old = raw_post(author, hours_ago=30)
    fresh = raw_post(author, hours_ago=3)
    for n in range(4):  # more likes, but long ago (and two out of the 24 h window)
        like(make_user(f"old{n}"), old, hours_ago=20 if n < 2 else 26)
    for n in range(2):
        like(make_user(f"new{n}"), fresh, hours_ago=0.5)
    order = [p.id for p in explore_page(viewer=viewer, limit=10).items]
    assert order[0] == fresh.pk
    # The documented score: 2 * 2^(-0.5/6) / 24 against 2 * 2^(-20/6) / 24.
    assert 2 * decay(0.5) > 2 * decay(20)
    assert decay(6) == pytest.approx(0.5)


def test_explore_queries_are_constant_per_page(make_user) -> None:
    viewer, twin = make_user("viewer"), make_user("twin")
    authors = [make_user(f"a{n}") for n in range(6)]
    for n, author in enumerate(authors):
        for _ in range(4):
            post = raw_post(author, hours_ago=n)
            like(twin, post)
    like(viewer, Post.objects.filter(author=authors[0]).first())  # type: ignore[arg-type]
    explore_page(viewer=viewer, limit=10)  # prepares the lists, caches the posts' cards
    counts = []
    for limit in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            page = explore_page(viewer=viewer, limit=limit)
        assert len(page.items) == limit
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_trending_tags_and_places_follow_recent_engagement(make_user) -> None:
    viewer, author, hidden = make_user("viewer"), make_user("author"), make_user("hidden")
    hidden.is_private = True
    hidden.save()
    hot, cold, secret = (Hashtag.objects.create(name=n) for n in ("hot", "cold", "secret"))
    here = Place.objects.create(name="Here", search_name="here", key="here")
    there = Place.objects.create(name="There", search_name="there", key="there")
    hot_post = raw_post(author, hours_ago=1, place=here)
    cold_post = raw_post(author, hours_ago=20, place=there)
    secret_post = raw_post(hidden, hours_ago=1)
    for post, tag in ((hot_post, hot), (cold_post, cold), (secret_post, secret)):
        PostHashtag.objects.create(post=post, hashtag=tag)
    for n in range(3):
        like(make_user(f"fan{n}"), hot_post, hours_ago=0.5)
        like(make_user(f"s{n}"), secret_post, hours_ago=0.5)
    assert [t.name for t in trending_tags(viewer=viewer)] == ["hot", "cold"]
    assert [p.name for p in trending_places(viewer=viewer)] == ["Here", "There"]
    graph.block_create(blocker=author, blocked=viewer)
    assert trending_tags(viewer=viewer) == []
    assert trending_places(viewer=viewer) == []
