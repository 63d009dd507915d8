"""Home feed correctness, run on both stores (database and real Redis) with the same answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.feeds import services as feeds
from glimpse.feeds.entries import Entry, entries_query
from glimpse.feeds.selectors import feed_new_count, feed_page
from glimpse.feeds.stores import SENTINEL, DatabaseStore, RedisStore, member
from glimpse.graph import services as graph
from glimpse.graph.audience import follower_id_batches
from glimpse.graph.models import FollowRequest
from glimpse.posts import services as post_services
from glimpse.posts.models import Post
from tests.feeds.conftest import feed_of, flush, follow, posts_of

pytestmark = pytest.mark.django_db

Act = Callable[..., Any]
PostBy = Callable[..., Post]


def answers_match_database(viewer: User, store: Any, settings: Any) -> None:
    """On the Redis store: same feed as the database store, and again after a flush."""
    if not isinstance(store, RedisStore):
        return
    shown = feed_of(viewer, limit=2)
    flush(store)
    assert feed_of(viewer, limit=2) == shown  # rebuilt from the database
    url = settings.GLIMPSE_FEED_REDIS_URL
    settings.GLIMPSE_FEED_REDIS_URL = ""
    try:
        assert feed_of(viewer, limit=2) == shown
    finally:
        settings.GLIMPSE_FEED_REDIS_URL = url


def test_followed_and_own_posts_newest_first(store, make_user, post_by, act, settings) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    feed_of(viewer)  # build the feed first: later posts arrive by fan-out
    first = post_by(ana)
    post_by(bob)  # not followed: never shown
    own = post_by(viewer)
    second = post_by(ana)
    assert posts_of(viewer) == [second.pk, own.pk, first.pk]
    assert feed_of(viewer, limit=1) == feed_of(viewer, limit=20)
    assert posts_of(bob) == [p.pk for p in Post.objects.filter(author=bob)]
    answers_match_database(viewer, store, settings)


def test_mute_and_unmute(store, make_user, post_by, act, settings) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, bob))
    a, b = post_by(ana), post_by(bob)
    assert posts_of(viewer) == [b.pk, a.pk]
    act(lambda: graph.mute_create(muter=viewer, muted=ana))
    assert posts_of(viewer) == [b.pk]
    assert posts_of(ana) == [a.pk]  # the muted account sees nothing change
    answers_match_database(viewer, store, settings)
    act(lambda: graph.mute_delete(muter=viewer, muted=ana))
    assert posts_of(viewer) == [b.pk, a.pk]


def test_blocks_either_way(store, make_user, post_by, act, settings) -> None:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    for other in (ana, bob):
        act(lambda other=other: follow(viewer, other))
        act(lambda other=other: follow(other, viewer))
    a, b, own = post_by(ana), post_by(bob), post_by(viewer)
    assert posts_of(viewer) == [own.pk, b.pk, a.pk]
    act(lambda: graph.block_create(blocker=viewer, blocked=ana))
    act(lambda: graph.block_create(blocker=bob, blocked=viewer))
    assert posts_of(viewer) == [own.pk]
    assert posts_of(ana) == [a.pk]
    assert posts_of(bob) == [b.pk]
    answers_match_database(viewer, store, settings)


def test_unfollow_removes_and_follow_adds_recent(store, make_user, post_by, act) -> None:
    viewer, ana = make_user("viewer"), make_user("ana")
    older = post_by(ana)  # before the follow: it comes with it
    act(lambda: follow(viewer, ana))
    newer = post_by(ana)
    assert posts_of(viewer) == [newer.pk, older.pk]
    act(lambda: graph.follow_delete(follower=viewer, followee=ana))
    assert posts_of(viewer) == []
    act(lambda: follow(viewer, ana))
    assert posts_of(viewer) == [newer.pk, older.pk]


def test_private_account_pending_request_sees_nothing(store, make_user, post_by, act) -> None:
    viewer, olive = make_user("viewer"), make_user("olive", is_private=True)
    post = post_by(olive)
    assert act(lambda: graph.follow_create(follower=viewer, followee=olive)) == "requested"
    post_by(olive)
    assert posts_of(viewer) == []
    request = FollowRequest.objects.get(requester=viewer, target=olive)
    act(lambda: graph.follow_request_approve(owner=olive, request_id=request.pk))
    later = Post.objects.filter(author=olive).exclude(pk=post.pk).get()
    assert posts_of(viewer) == [later.pk, post.pk]


def test_archived_and_deleted_posts_leave(store, make_user, post_by, act, settings) -> None:
    viewer, ana = make_user("viewer"), make_user("ana")
    act(lambda: follow(viewer, ana))
    feed_of(viewer)
    kept, archived, deleted = post_by(ana), post_by(ana), post_by(ana)
    assert posts_of(viewer) == [deleted.pk, archived.pk, kept.pk]
    act(lambda: post_services.post_archive(actor=ana, post_id=archived.pk))
    act(lambda: post_services.post_delete(actor=ana, post_id=deleted.pk))
    assert posts_of(viewer) == [kept.pk]
    assert posts_of(ana) == [kept.pk]
    if isinstance(store, RedisStore):  # taken out of the sets, not only hidden at read
        held = {e.id for e in store.entries(viewer, max_id=None, count=100)}
        assert held == {kept.pk}
    answers_match_database(viewer, store, settings)
    act(lambda: post_services.post_unarchive(actor=ana, post_id=archived.pk))
    assert posts_of(viewer) == [archived.pk, kept.pk]


def test_reposts_carry_who_reposted(store, make_user, post_by, act, settings) -> None:
    viewer, rita, bob = make_user("viewer"), make_user("rita"), make_user("bob")
    act(lambda: follow(viewer, rita))
    feed_of(viewer)
    post = post_by(bob)
    act(lambda: post_services.repost_create(user=rita, post_id=post.pk))
    assert feed_of(viewer) == [(post.pk, rita.pk)]
    answers_match_database(viewer, store, settings)
    act(lambda: graph.mute_create(muter=viewer, muted=bob))  # the author muted: gone too
    assert feed_of(viewer) == []
    act(lambda: graph.mute_delete(muter=viewer, muted=bob))
    act(lambda: post_services.repost_delete(user=rita, post_id=post.pk))
    assert feed_of(viewer) == []


def test_celebrities_are_merged_at_read_time(store, make_user, post_by, act, settings) -> None:
    settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS = 1
    viewer, fan, star, ana = (make_user(n) for n in ("viewer", "fan", "star", "ana"))
    for follower, followee in ((viewer, star), (fan, star), (viewer, ana)):
        act(lambda f=follower, e=followee: follow(f, e))
    feed_of(viewer)
    feed_of(fan)
    a, s1, s2 = post_by(ana), post_by(star), post_by(star)
    assert posts_of(viewer) == [s2.pk, s1.pk, a.pk]
    assert posts_of(fan) == [s2.pk, s1.pk]
    assert feed_of(viewer, limit=1) == feed_of(viewer)
    if isinstance(store, RedisStore):  # not fanned out: the star's posts are not in the sets
        members = cast(list[bytes], store.client.zrange(store.key(viewer.pk), 0, -1))
        assert {m.decode() for m in members} == {SENTINEL, f"{a.pk:020d}p"}
    answers_match_database(viewer, store, settings)


def test_a_warm_page_is_one_redis_round_trip_whatever_the_celebrities(
    redis_feeds, make_user, post_by, act, settings, monkeypatch
) -> None:
    settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS = 1
    viewer, fan = make_user("viewer"), make_user("fan")
    stars = [make_user(f"star{n}") for n in range(4)]
    for star in stars:
        act(lambda star=star: follow(viewer, star))
        act(lambda star=star: follow(fan, star))
        post_by(star)
    feed_of(viewer)  # builds the feed and the outboxes
    pipelines = []
    original = redis_feeds.client.pipeline

    def counted(**options):
        pipelines.append(options)
        return original(**options)

    monkeypatch.setattr(redis_feeds.client, "pipeline", counted)
    assert len(redis_feeds.entries(viewer, max_id=None, count=20)) == 4
    assert len(pipelines) == 1


def test_new_count(store, make_user, post_by, act) -> None:
    viewer, ana = make_user("viewer"), make_user("ana")
    act(lambda: follow(viewer, ana))
    first = post_by(ana)
    assert feed_new_count(viewer=viewer, since_id=first.pk) == 0
    post_by(ana)
    post_by(viewer)
    assert feed_new_count(viewer=viewer, since_id=first.pk) == 2


def test_query_count_is_constant_whatever_the_page_size(
    store, make_user, media_for, act, post_by
) -> None:
    viewer, ana, rita = make_user("viewer"), make_user("ana"), make_user("rita")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, rita))
    posts = [post_by(ana, caption=f"#tag{i} hello @rita") for i in range(19)]
    elsewhere = post_by(make_user("bob"))  # not followed: in the feed by rita's repost
    act(lambda: post_services.repost_create(user=rita, post_id=elsewhere.pk))
    post_services.like_create(user=viewer, post_id=posts[1].pk)
    feed_of(viewer)  # the Redis feed is built and the cards cached: a steady read is measured
    counts = {}
    for size in (5, 20):
        with CaptureQueriesContext(connection) as queries:
            page = feed_page(viewer=viewer, limit=size)
        assert len(page.items) == size
        counts[size] = len(queries)
    assert counts[5] == counts[20]
    # The state of the posts, then the accounts the page names (a reposter, mentions);
    # the database store first finds the entries with three more (authors, posts, reposts).
    assert counts[20] == (2 if isinstance(store, RedisStore) else 5)


def test_a_warm_api_feed_page_costs_at_most_three_queries(
    redis_feeds, make_user, act, post_by, client_for
) -> None:
    viewer, ana, rita = make_user("viewer"), make_user("ana"), make_user("rita")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, rita))
    for i in range(25):
        post_by(ana, caption=f"hello @rita #tag{i}")
    elsewhere = post_by(make_user("bob"))  # not followed: in the feed by rita's repost
    act(lambda: post_services.repost_create(user=rita, post_id=elsewhere.pk))
    client = client_for(viewer)
    assert len(client.get("feed?limit=20").json()["items"]) == 20  # builds the feed, caches cards
    with CaptureQueriesContext(connection) as queries:
        body = client.get("feed?limit=20").json()
    assert len(body["items"]) == 20
    # The token with its account, the posts' state with the viewer's own, the named accounts.
    assert len(queries) <= 3, [q["sql"] for q in queries]


class TestRedisStore:
    """What only the Redis store does: fan-out, idempotence, the cap, rebuilds."""

    def test_a_post_fanned_out_while_a_feed_is_rebuilt_stays_in_it(
        self, redis_feeds, make_user, act, post_by, monkeypatch
    ) -> None:
        ana, bea = make_user("ana"), make_user("bea")
        act(lambda: follow(bea, ana))
        flush(redis_feeds)
        made: list[Post] = []

        def racing_query(*args: Any, **kwargs: Any) -> list[Entry]:
            found = entries_query(*args, **kwargs)
            if not made:  # a post commits and fans out after the rebuild's query began
                made.append(post_by(ana))
            return found

        monkeypatch.setattr("glimpse.feeds.stores.entries_query", racing_query)
        entries = redis_feeds.entries(bea, max_id=None, count=20)
        assert Entry(made[0].pk, "p") in entries
        assert (
            redis_feeds.client.zscore(redis_feeds.key(bea.pk), member(Entry(made[0].pk, "p")))
            is not None
        )

    def test_fan_out_twice_gives_the_same_set(self, redis_feeds, make_user, act) -> None:
        ana = make_user("ana")
        followers = [make_user(f"f{i}") for i in range(5)]
        for f in followers:
            act(lambda f=f: follow(f, ana))
        post = Post.objects.create(author=ana)
        for f in followers:
            redis_feeds.rebuild(f)
        before = {f.pk: redis_feeds.client.zrange(redis_feeds.key(f.pk), 0, -1) for f in followers}
        for _ in range(2):
            assert feeds.entry_fan_out(author_id=ana.pk, entry_id=post.pk, kind="p", add=True) == 6
            after = {
                f.pk: redis_feeds.client.zrange(redis_feeds.key(f.pk), 0, -1) for f in followers
            }
            assert after == before

    def test_fan_out_goes_by_batches(self, redis_feeds, make_user, act, settings) -> None:
        settings.GLIMPSE_FEED_FANOUT_BATCH = 2
        ana = make_user("ana")
        followers = [make_user(f"f{i}") for i in range(5)]
        for f in followers:
            act(lambda f=f: follow(f, ana))
        assert [len(b) for b in follower_id_batches(ana.pk, 2)] == [2, 2, 1]
        post = Post.objects.create(author=ana)
        feeds.entry_fan_out(author_id=ana.pk, entry_id=post.pk, kind="p", add=True)
        for f in followers:
            assert redis_feeds.client.zscore(redis_feeds.key(f.pk), f"{post.pk:020d}p") == 0

    def test_feed_is_capped_at_800(self, redis_feeds, make_user, settings) -> None:
        assert settings.GLIMPSE_FEED_MAX == 800
        viewer = make_user("viewer")
        redis_feeds.rebuild(viewer)
        for entry_id in range(1, 851):
            redis_feeds.add([viewer.pk], Entry(entry_id, "p"))
        assert redis_feeds.size(viewer.pk) == 800
        kept = redis_feeds.client.zrange(redis_feeds.key(viewer.pk), 1, -1)
        assert [int(m[:20]) for m in kept] == list(range(51, 851))  # the newest 800
        assert redis_feeds.client.zscore(redis_feeds.key(viewer.pk), SENTINEL) == 0

    def test_rebuild_is_capped_and_newest_first(self, redis_feeds, make_user, settings) -> None:
        settings.GLIMPSE_FEED_MAX = 3
        viewer = make_user("viewer")
        posts = [Post.objects.create(author=viewer) for _ in range(5)]
        assert redis_feeds.rebuild(viewer) == 3
        held = redis_feeds.entries(viewer, max_id=None, count=10)
        assert held == [Entry(p.pk, "p") for p in reversed(posts[2:])]

    def test_lost_feed_is_rebuilt_on_read(self, redis_feeds, make_user, post_by, act) -> None:
        viewer, ana = make_user("viewer"), make_user("ana")
        act(lambda: follow(viewer, ana))
        post = post_by(ana)
        assert posts_of(viewer) == [post.pk]
        flush(redis_feeds)
        assert redis_feeds.client.exists(redis_feeds.key(viewer.pk)) == 0
        assert posts_of(viewer) == [post.pk]
        assert redis_feeds.client.zscore(redis_feeds.key(viewer.pk), SENTINEL) == 0

    def test_database_store_matches_entries_query(self, make_user, settings) -> None:
        settings.GLIMPSE_FEED_REDIS_URL = ""
        viewer = make_user("viewer")
        posts = [Post.objects.create(author=viewer) for _ in range(3)]
        expected = [Entry(p.pk, "p") for p in reversed(posts)]
        assert DatabaseStore().entries(viewer, max_id=None, count=5) == expected
        assert entries_query(viewer, max_id=posts[2].pk, count=1) == [Entry(posts[1].pk, "p")]
