"""The synthetic network of `manage.py seed`: counts, counters, shapes, ids, media, --reset."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.test import Client, override_settings

from bench.tokens import bench_tokens
from glimpse.accounts.models import ApiToken, User
from glimpse.core.ids import created_at as id_time
from glimpse.core.ids import shard_of
from glimpse.demo.dataset import PASSWORD, SCALES
from glimpse.demo.dataset.clock import IdClock, time_format
from glimpse.demo.dataset.pool import POOL_FOLDER
from glimpse.demo.dataset.reset import tables_reset
from glimpse.demo.dataset.sink import Progress
from glimpse.graph.models import Follow, FollowRequest
from glimpse.media.models import MediaItem
from glimpse.posts import services as posts
from glimpse.posts.models import Comment, Hashtag, Like, Place, Post, PostHashtag, PostItem, Repost

SMALL = SCALES["small"]


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seed-media")


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, media_root: Path
) -> Iterator[dict[str, str]]:
    """Seed the small network once for the module (committed), and empty it afterwards."""
    out, err = StringIO(), StringIO()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        call_command("seed", "--scale", "small", "--seed", "7", stdout=out, stderr=err)
        try:
            yield {"stdout": out.getvalue(), "stderr": err.getvalue()}
        finally:
            tables_reset()


@pytest.fixture
def media(settings: Any, media_root: Path) -> Path:
    settings.MEDIA_ROOT = media_root
    return media_root


def test_row_counts_match_the_scale(seeded: dict[str, str], db: None) -> None:
    assert User.objects.count() == SMALL.accounts
    assert Post.objects.count() == SMALL.posts
    assert Like.objects.count() == SMALL.likes
    assert Comment.objects.count() == SMALL.comments
    assert Hashtag.objects.count() == SMALL.hashtags
    assert Place.objects.count() == SMALL.places
    assert Repost.objects.count() == SMALL.reposts
    assert FollowRequest.objects.count() == SMALL.follow_requests
    items = MediaItem.objects.count()
    assert PostItem.objects.count() == items
    assert SMALL.posts * 1.1 < items < SMALL.posts * 1.6  # 1-3 per post, mostly one
    per_post = Counter(PostItem.objects.values_list("post_id", flat=True))
    assert set(per_post.values()) == {1, 2, 3}
    assert len(per_post) == SMALL.posts
    private = User.objects.filter(is_private=True).count()
    assert 0.06 * SMALL.accounts < private < 0.14 * SMALL.accounts
    tagged = PostHashtag.objects.values("post").distinct().count()
    assert 0.3 * SMALL.posts < tagged < 0.5 * SMALL.posts
    placed = Post.objects.filter(place__isnull=False).count()
    assert 0.18 * SMALL.posts < placed < 0.32 * SMALL.posts
    replies = Comment.objects.filter(parent__isnull=False).count()
    assert 0.17 * SMALL.comments < replies < 0.23 * SMALL.comments


def test_summary_and_progress_are_printed(seeded: dict[str, str], db: None) -> None:
    assert "posts_like" in seeded["stdout"]
    assert f"{SMALL.likes:,}" in seeded["stdout"]
    assert "Seeded the small network" in seeded["stdout"]
    for phase in ("follows", "posts", "likes", "comments", "accounts"):
        assert f"{phase}" in seeded["stderr"]
    assert "done in" in seeded["stderr"]
    assert "\r" not in seeded["stderr"]  # not a terminal: plain lines


def test_account_counters_equal_a_recount(seeded: dict[str, str], db: None) -> None:
    followers = Counter(Follow.objects.values_list("followee_id", flat=True))
    following = Counter(Follow.objects.values_list("follower_id", flat=True))
    authored = Counter(Post.objects.filter(is_archived=False).values_list("author_id", flat=True))
    for user_id, f_in, f_out, made in User.objects.values_list(
        "id", "follower_count", "following_count", "post_count"
    ):
        assert (f_in, f_out, made) == (followers[user_id], following[user_id], authored[user_id])


def test_post_and_comment_counters_equal_a_recount(seeded: dict[str, str], db: None) -> None:
    likes = Counter(Like.objects.values_list("post_id", flat=True))
    comments = Counter(Comment.objects.values_list("post_id", flat=True))
    reposts = Counter(Repost.objects.values_list("post_id", flat=True))
    rows = Post.objects.values_list(
        "id", "like_count", "comment_count", "repost_count", "save_count"
    )
    for post_id, liked, commented, reposted, saved in rows:
        assert (liked, commented, reposted, saved) == (
            likes[post_id],
            comments[post_id],
            reposts[post_id],
            0,
        )
    replies = Counter(Comment.objects.exclude(parent=None).values_list("parent_id", flat=True))
    for comment_id, parent_id, reply_count, like_count in Comment.objects.values_list(
        "id", "parent_id", "reply_count", "like_count"
    ):
        assert reply_count == replies[comment_id]
        assert like_count == 0
        if parent_id is not None:
            assert replies[parent_id] > 0


def test_replies_stay_one_level_deep_in_their_post(seeded: dict[str, str], db: None) -> None:
    parents = dict(Comment.objects.filter(parent=None).values_list("id", "post_id"))
    for post_id, parent_id, made in Comment.objects.exclude(parent=None).values_list(
        "post_id", "parent_id", "created_at"
    ):
        assert parents[parent_id] == post_id  # a top-level comment of the same post
        assert id_time(parent_id) <= made


def test_hashtag_and_place_counters_equal_a_recount(seeded: dict[str, str], db: None) -> None:
    tagged = Counter(PostHashtag.objects.values_list("hashtag_id", flat=True))
    assert dict(Hashtag.objects.values_list("id", "post_count")) == {
        tag_id: tagged[tag_id] for tag_id in Hashtag.objects.values_list("id", flat=True)
    }
    placed = Counter(Post.objects.exclude(place=None).values_list("place_id", flat=True))
    for place_id, count in Place.objects.values_list("id", "post_count"):
        assert count == placed[place_id]
    # Captions name exactly the linked hashtags.
    names = dict(Hashtag.objects.values_list("id", "name"))
    links: dict[int, list[str]] = {}
    for post_id, tag_id in PostHashtag.objects.order_by("position").values_list("post", "hashtag"):
        links.setdefault(post_id, []).append(names[tag_id])
    for post_id, caption in Post.objects.values_list("id", "caption")[:500]:
        assert [w[1:] for w in caption.split() if w.startswith("#")] == links.get(post_id, [])


def test_follows_follow_a_power_law(seeded: dict[str, str], db: None) -> None:
    following = list(User.objects.values_list("following_count", flat=True))
    assert 20 <= statistics.median(following) <= 45
    top = sorted(User.objects.values_list("follower_count", flat=True), reverse=True)
    assert top[2] >= 500  # a few very popular accounts
    assert top[len(top) // 2] < 60  # and a long tail
    pairs = list(Follow.objects.values_list("follower_id", "followee_id"))
    assert len(set(pairs)) == len(pairs)
    assert all(a != b for a, b in pairs)
    # Pending requests come from accounts that do not follow the private target yet.
    private = set(User.objects.filter(is_private=True).values_list("id", flat=True))
    follow_set = set(pairs)
    for requester, target in FollowRequest.objects.values_list("requester_id", "target_id"):
        assert target in private
        assert (requester, target) not in follow_set


def test_likes_are_unique_and_visible_to_their_likers(seeded: dict[str, str], db: None) -> None:
    pairs = list(Like.objects.values_list("post_id", "user_id"))
    assert len(set(pairs)) == len(pairs)
    authors = dict(Post.objects.values_list("id", "author_id"))
    private = set(User.objects.filter(is_private=True).values_list("id", flat=True))
    follows = set(Follow.objects.values_list("follower_id", "followee_id"))
    for post_id, user_id in pairs:
        assert user_id != authors[post_id]
        if authors[post_id] in private:
            assert (user_id, authors[post_id]) in follows
    # Popular authors' posts get more likes than the rest.
    popular = User.objects.order_by("-follower_count")[:10].values_list("id", flat=True)
    top = Post.objects.filter(author__in=list(popular))
    rest = Post.objects.exclude(author__in=list(popular))
    top_mean = sum(top.values_list("like_count", flat=True)) / max(top.count(), 1)
    rest_mean = sum(rest.values_list("like_count", flat=True)) / rest.count()
    assert top_mean > 2 * rest_mean


@pytest.mark.parametrize(
    ("model", "time_field"),
    [
        (User, "date_joined"),
        (Follow, "created_at"),
        (Post, "created_at"),
        (MediaItem, "created_at"),
        (Like, "created_at"),
        (Comment, "created_at"),
        (Repost, "created_at"),
        (Hashtag, "created_at"),
    ],
)
def test_ids_carry_their_created_at(
    seeded: dict[str, str], db: None, model: type[Model], time_field: str
) -> None:
    rows = list(model._default_manager.order_by("id").values_list("id", time_field))
    assert len({row_id for row_id, _ in rows}) == len(rows)
    for row_id, moment in rows:
        assert id_time(row_id) == moment
    times = [moment for _, moment in rows]
    assert times == sorted(times)


def test_ids_are_unique_across_tables_and_on_their_owners_shard(
    seeded: dict[str, str], db: None
) -> None:
    ids: list[int] = []
    for model in (User, Follow, Post, MediaItem, PostItem, Like, Comment, PostHashtag, Repost):
        ids += model._default_manager.values_list("id", flat=True)
    assert len(set(ids)) == len(ids)
    for post_id, author_id in Post.objects.values_list("id", "author_id")[:2000]:
        assert shard_of(post_id) == shard_of(author_id)
    for like_id, post_id in Like.objects.values_list("id", "post_id")[:2000]:
        assert shard_of(like_id) == shard_of(post_id)


def test_seeded_post_is_served_by_the_api_with_real_files(
    seeded: dict[str, str], db: None, media: Path
) -> None:
    author = User.objects.filter(is_private=True, follower_count__gt=0).first()
    assert author is not None
    post = Post.objects.filter(author=author).order_by("-like_count").first()
    assert post is not None
    fan_id = Follow.objects.filter(followee=author).values_list("follower_id", flat=True)[0]
    follows_author = Follow.objects.filter(followee=author).values("follower_id")
    stranger = User.objects.exclude(pk=author.pk).exclude(pk__in=follows_author).first()
    assert stranger is not None
    tokens = bench_tokens([fan_id, stranger.pk])
    client = Client()

    answer = client.get(
        f"/api/glimpse/v1/posts/{post.pk}", HTTP_AUTHORIZATION=f"Bearer {tokens[fan_id]}"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == str(post.pk)
    assert body["like_count"] == post.like_count
    assert body["comment_count"] == post.comment_count
    urls = [r["url"] for item in body["media"] for r in item["renditions"]]
    assert urls
    for url in urls:
        assert url.startswith(f"/media/{POOL_FOLDER}/")  # storage names start with media/
        assert (media / url.split("?")[0].removeprefix("/media/")).is_file()
    assert Client().get(urls[0]).status_code == 200

    # A non-follower of the private author cannot see it: 404, like a missing post.
    hidden = client.get(
        f"/api/glimpse/v1/posts/{post.pk}", HTTP_AUTHORIZATION=f"Bearer {tokens[stranger.pk]}"
    )
    assert hidden.status_code == 404
    assert hidden.json() == client.get("/api/glimpse/v1/posts/1").json()


def test_accounts_log_in_with_the_shared_password(seeded: dict[str, str], db: None) -> None:
    user = User.objects.order_by("?").first()
    assert user is not None
    assert user.check_password(PASSWORD)
    answer = Client().post(
        "/api/glimpse/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code in (200, 201)


def test_bench_tokens_are_stored_hashed(seeded: dict[str, str], db: None) -> None:
    ids = list(User.objects.values_list("id", flat=True)[:5])
    tokens = bench_tokens(ids)
    assert set(tokens) == set(ids)
    stored = ApiToken.objects.filter(user_id__in=ids)
    assert stored.count() == 5
    assert not stored.filter(digest__in=list(tokens.values())).exists()
    me = Client().get("/api/glimpse/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {tokens[ids[0]]}")
    assert me.status_code == 200
    assert me.json()["username"] == User.objects.get(pk=ids[0]).username


def test_deleting_a_seeded_post_keeps_the_shared_files(
    seeded: dict[str, str], db: None, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    item = MediaItem.objects.select_related("post_item__post").first()
    assert item is not None
    post = item.post_item.post
    shared = [r["path"] for r in item.renditions]
    sharing = MediaItem.objects.exclude(pk=item.pk).filter(renditions=item.renditions)
    assert sharing.exists()  # others show the same pool photo
    with django_capture_on_commit_callbacks(execute=True):
        posts.post_delete(actor=post.author, post_id=post.pk)
    assert not Post.objects.filter(pk=post.pk).exists()
    for path in shared:
        assert (media / path).is_file()


def test_seed_refuses_when_accounts_exist(seeded: dict[str, str], db: None) -> None:
    before = (User.objects.count(), Like.objects.count(), Follow.objects.count())
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed", "--scale", "small", stdout=StringIO(), stderr=StringIO())
    assert (User.objects.count(), Like.objects.count(), Follow.objects.count()) == before


def test_reset_replaces_the_network(
    seeded: dict[str, str], db: None, media: Path, make_user: Any
) -> None:
    outsider = make_user("not.seeded")
    names = set(User.objects.exclude(pk=outsider.pk).values_list("username", flat=True))
    call_command(
        "seed", "--scale", "small", "--seed", "8", "--reset", stdout=StringIO(), stderr=StringIO()
    )
    assert not User.objects.filter(pk=outsider.pk).exists()
    assert User.objects.count() == SMALL.accounts
    assert Like.objects.count() == SMALL.likes
    assert set(User.objects.values_list("username", flat=True)) != names  # another seed


def test_the_clock_never_repeats_an_id_in_a_crowded_second() -> None:
    start = 1_780_000_000_000
    clock = IdClock(start_ms=start, end_ms=start + 10_000)
    made = [clock.make(start // 1000 + 3, shard=5) for _ in range(5_000)]
    assert len({row_id for row_id, _ in made}) == 5_000
    for row_id, ms in made:
        assert int(id_time(row_id).timestamp() * 1000) == ms
        assert shard_of(row_id) == 5
    assert clock.make(0, shard=1)[1] // 1000 == start // 1000  # clamped into the window


def test_times_are_formatted_as_each_database_stores_them() -> None:
    start = 1_780_000_000_000
    clock = IdClock(start_ms=start, end_ms=start + 3 * 86_400_000)
    postgres, sqlite = time_format(clock, postgres=True), time_format(clock, postgres=False)
    for ms in (start, start + 1, start + 86_399_999, start + 2 * 86_400_000 + 45_296_789):
        moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
        assert postgres(ms) == moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d}+00"
        # What Django's SQLite backend writes for an aware datetime.
        assert sqlite(ms) == str(moment.replace(tzinfo=None))


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_line_in_place_on_a_terminal(monkeypatch: Any) -> None:
    ticks = iter([0.0, 1.0, 2.0])
    monkeypatch.setattr("glimpse.demo.dataset.sink.time.monotonic", lambda: next(ticks))
    terminal = _Terminal()
    progress = Progress(terminal, "likes", 1_000)
    progress.add(500)
    assert progress.done() == 2.0
    first, last = terminal.getvalue().split("\r")[1:]
    assert "500/1,000" in first
    assert "ETA 1s" in first
    assert last.startswith("likes")
    assert "done in 2.0s" in last
    assert last.endswith("\n")
