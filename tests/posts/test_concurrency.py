"""Counters stay exact when many accounts act on one post at the same moment."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.models import Comment, Hashtag, Like, Place, Post, Save
from glimpse.posts.services import PlaceSpec
from tests.threads import run_at_once, writable_by_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_likes_from_fifty_accounts_count_fifty(
    make_user, publish, tmp_path: Path
) -> None:
    post = publish(make_user("author"))
    likers = [make_user(f"liker{n}") for n in range(50)]
    with writable_by_threads(tmp_path) as use:
        calls = [partial(services.like_create, user=u, post_id=post.pk) for u in likers]
        run_at_once(calls, use=use)
        post.refresh_from_db()
        assert post.like_count == 50
        assert Like.objects.filter(post=post).count() == 50


def test_one_account_liking_many_times_at_once_counts_once(
    make_user, publish, tmp_path: Path
) -> None:
    post = publish(make_user("author"))
    fan = make_user("fan")
    with writable_by_threads(tmp_path) as use:
        calls = [partial(services.like_create, user=fan, post_id=post.pk)] * 20
        run_at_once(calls, use=use)
        post.refresh_from_db()
        assert post.like_count == 1
        assert Like.objects.filter(post=post).count() == 1


def test_concurrent_comments_saves_and_unlikes_keep_exact_counts(
    make_user, publish, tmp_path: Path
) -> None:
    post = publish(make_user("author"))
    people = [make_user(f"p{n}") for n in range(20)]
    for person in people[:10]:
        services.like_create(user=person, post_id=post.pk)
    with writable_by_threads(tmp_path) as use:
        calls: list[Callable[[], object]] = [
            *(partial(services.like_delete, user=p, post_id=post.pk) for p in people[:10]),
            *(partial(services.save_create, user=p, post_id=post.pk) for p in people),
            *(
                partial(services.comment_create, author=p, post_id=post.pk, text="hi")
                for p in people
            ),
        ]
        run_at_once(calls, use=use)
        fresh = Post.objects.get(pk=post.pk)
        assert fresh.like_count == 0 == Like.objects.filter(post=post).count()
        assert fresh.save_count == 20 == Save.objects.filter(post=post).count()
        assert fresh.comment_count == 20 == Comment.objects.filter(post=post).count()


def test_concurrent_posts_sharing_new_hashtags_and_a_place_count_exactly(
    make_user, media_for, tmp_path: Path
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    jobs = []
    for n in range(12):
        author = ana if n % 2 else bea
        (media,) = media_for(author)
        caption = "#alpha #beta" if n % 3 else "#beta #alpha #gamma"
        jobs.append(
            partial(
                services.post_create,
                author=author,
                media_ids=[media.pk],
                caption=caption,
                place=PlaceSpec(name="Crowded"),
            )
        )
    with writable_by_threads(tmp_path) as use:
        run_at_once(jobs, use=use)
        assert dict(User.objects.values_list("username", "post_count")) == {"ana": 6, "bea": 6}
        counts = dict(Hashtag.objects.values_list("name", "post_count"))
        assert counts == {"alpha": 12, "beta": 12, "gamma": 4}
        assert Place.objects.get().post_count == 12
