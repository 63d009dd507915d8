"""The parts of bench/lag.py that run inside Django, on the run's own services."""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from bench.lag import quantiles
from bench.tokens import bench_tokens
from glimpse.accounts.models import ApiToken, User
from glimpse.feeds import services as feeds
from glimpse.feeds.entries import Entry
from glimpse.feeds.stores import RedisStore, feed_store, member
from glimpse.graph.models import Follow
from glimpse.insights.tasks import impressions_flush_job
from glimpse.posts.models import Post

VIEWERS = 300
AUTHORS = 10
WARM_UP_SECONDS = 10
LATE_SECONDS = 60  # a post not in every feed this long after the load ended never arrived


@dataclass
class Published:
    """A post on its way: when it committed, and the followers whose feed lacks it yet."""

    post_id: int
    at: float
    waiting: list[int]


def prepare(work: Path) -> dict[str, Any]:
    """Seed the small network if needed, start from cold Redis, make the readers' tokens.

    With BENCH_LAG_BACKLOG set, that many flush jobs are queued before the workers start.
    """
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        call_command("seed", scale="small")
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    for _ in range(int(os.environ.get("BENCH_LAG_BACKLOG", 0))):
        impressions_flush_job.delay()  # bulk work already waiting when the load starts
    pool = list(User.objects.filter(following_count__gt=0).values_list("pk", flat=True))
    viewer_ids = random.Random(5).sample(pool, min(VIEWERS, len(pool)))
    ApiToken.objects.filter(name="bench").delete()
    tokens = bench_tokens(viewer_ids)
    return {"tokens": [tokens[pk] for pk in viewer_ids], "accounts": User.objects.count()}


def publish(work: Path) -> dict[str, Any]:
    """Post every BENCH_LAG_INTERVAL seconds during the load; time each into every feed."""
    store = feed_store()
    assert isinstance(store, RedisStore)
    seconds = float(os.environ["BENCH_LAG_SECONDS"])
    interval = float(os.environ["BENCH_LAG_INTERVAL"])
    authors = _authors()
    followers = {
        author.pk: list(
            Follow.objects.filter(followee=author).values_list("follower_id", flat=True)
        )
        for author in authors
    }
    started = time.monotonic()
    time.sleep(WARM_UP_SECONDS)  # the readers fill the impression buffer first
    outstanding: list[Published] = []
    lags: list[float] = []
    posts: list[int] = []
    next_at = time.monotonic()
    end = started + seconds
    while time.monotonic() < end or (outstanding and time.monotonic() < end + LATE_SECONDS):
        now = time.monotonic()
        if now >= next_at and now < end:
            author = authors[len(posts) % len(authors)]
            with transaction.atomic():
                post = Post.objects.create(author=author, caption="lag benchmark")
                feeds.post_added_on_commit(post.pk, author.pk)
            outstanding.append(Published(post.pk, time.monotonic(), list(followers[author.pk])))
            posts.append(post.pk)
            next_at += interval
        lags.extend(item.at for item in _poll(store, outstanding))
        time.sleep(0.02)
    return {
        "posts_published": len(posts),
        "followers_per_post": round(sum(len(f) for f in followers.values()) / len(authors)),
        "never_arrived": len(outstanding),
        **quantiles(lags),
    }


def _authors() -> list[User]:
    """Return the most followed public accounts whose posts are fanned out on write."""
    limit = settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS
    accounts = User.objects.filter(is_private=False, is_active=True, follower_count__lte=limit)
    return list(accounts.order_by("-follower_count")[:AUTHORS])


def _poll(store: RedisStore, outstanding: list[Published]) -> list[Published]:
    """Drop the followers whose feed now holds their post; return the posts now everywhere,
    each with ``at`` replaced by its lag in seconds."""
    if not outstanding:
        return []
    pipe = store.client.pipeline(transaction=False)
    for item in outstanding:
        value = member(Entry(item.post_id, "p"))
        for pk in item.waiting:
            pipe.zscore(store.key(pk), value)
    scores = iter(pipe.execute())
    seen = time.monotonic()
    arrived = []
    for item in outstanding:
        item.waiting = [pk for pk in item.waiting if next(scores) is None]
        if not item.waiting:
            arrived.append(Published(item.post_id, seen - item.at, []))
    done = {item.post_id for item in arrived}
    outstanding[:] = [item for item in outstanding if item.post_id not in done]
    return arrived
