"""The parts of bench/feed.py that run inside Django, on the benchmark's real services."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import celery_worker
from bench.roundtrips import redis_round_trips
from bench.tokens import bench_sessions, bench_tokens
from glimpse.accounts.models import ApiToken, User
from glimpse.feeds import services as feeds
from glimpse.feeds.entries import Entry
from glimpse.feeds.explore_lists import viewer_picks_prepare
from glimpse.feeds.selectors import feed_page
from glimpse.feeds.stores import RedisStore, feed_store, member
from glimpse.feeds.tasks import explore_refresh
from glimpse.graph.models import Follow
from glimpse.posts.models import Post

VIEWERS = 1_000
QUERY_SAMPLE = 20
HOT_POSTS = 500  # the posts (and their authors' grids) the load asks for


def prepare(work: Path) -> dict[str, Any]:
    """Seed if needed, make viewers' tokens and sessions, warm their feeds, list each page's
    addresses, and count the SQL queries and Redis round trips of warm pages."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the web pages name them
    if not User.objects.exists():
        call_command("seed", scale="large")
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # cold feeds and caches: a fair start
    explore_refresh()  # Explore's network lists, which the beat process keeps ready
    rng = random.Random(7)
    pool = list(User.objects.filter(following_count__gt=0).values_list("pk", flat=True)[:50_000])
    viewer_ids = rng.sample(pool, min(VIEWERS, len(pool)))
    ApiToken.objects.filter(name="bench").delete()
    tokens = bench_tokens(viewer_ids)
    cookies = bench_sessions(viewer_ids)
    (work / "tokens.txt").write_text("\n".join(tokens[pk] for pk in viewer_ids) + "\n")
    (work / "sessions.txt").write_text(
        "\n".join(f"Cookie: {cookies[pk]}" for pk in viewer_ids) + "\n"
    )
    viewers = User.objects.in_bulk(viewer_ids)
    cold: list[float] = []
    for index, pk in enumerate(viewer_ids, start=1):
        started = time.perf_counter()
        feed_page(viewer=viewers[pk], limit=20)
        cold.append(time.perf_counter() - started)
        if index % 100 == 0:
            print(f"\rwarming feeds {index}/{VIEWERS}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    for pk in viewer_ids:  # what Explore's first visit (or its job) prepares for a viewer
        viewer_picks_prepare(viewer=viewers[pk])
    paths = page_paths(rng)
    warm_cards(paths, [tokens[pk] for pk in viewer_ids])
    costs = {
        name: warm_costs(addresses, tokens, cookies, viewer_ids[:QUERY_SAMPLE])
        for name, addresses in paths.items()
    }
    return {
        "accounts": User.objects.count(),
        "posts": Post.objects.count(),
        "cold_p50_ms": statistics.median(cold) * 1000,
        "paths": paths,
        "costs": costs,
    }


def page_paths(rng: random.Random) -> dict[str, list[str]]:
    """Return the addresses each page of the benchmark is requested at, by page."""
    public = Post.objects.filter(author__is_private=False, is_archived=False)
    newest = list(public.order_by("-pk").values_list("pk", "author__username")[:20_000])
    posts = rng.sample(newest, HOT_POSTS)
    names = sorted({name for _, name in posts})
    return {
        "bare view": ["/healthz"],
        "home feed (API, 20 posts)": ["/api/glimpse/v1/feed?limit=20"],
        "a post (API)": [f"/api/glimpse/v1/posts/{pk}" for pk, _ in posts],
        "a profile grid (API)": [f"/api/glimpse/v1/accounts/{name}/posts" for name in names],
        "Explore (API)": ["/api/glimpse/v1/explore?limit=20"],
        "search (API)": [f"/api/glimpse/v1/search?q={name[:3]}" for name in names[:500]],
        "Reels (API)": ["/api/glimpse/v1/reels"],
        "inbox (API)": ["/api/glimpse/v1/conversations"],
        "the home page (HTML)": ["/"],
        "a post page (HTML)": [f"/p/{pk}/" for pk, _ in posts],
    }


def warm_cards(paths: dict[str, list[str]], tokens: list[str]) -> None:
    """Ask each post and grid address once (each as another viewer), so that the load
    measures warm pages, their cards cached, as the feeds are warmed for their viewers."""
    addresses = [*paths["a post (API)"], *paths["a profile grid (API)"]]
    for n, path in enumerate(addresses):
        client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[n % len(tokens)]}")
        answer = client.get(path, secure=True)
        assert answer.status_code == 200, (path, answer.status_code)


def warm_costs(
    paths: list[str], tokens: dict[int, str], cookies: dict[int, str], viewer_ids: list[int]
) -> dict[str, int]:
    """Return the most SQL queries and Redis round trips a warm request of a page cost, over
    the sample of viewers (each asks twice; the second is counted)."""
    queries, trips = [], []
    for n, pk in enumerate(viewer_ids):
        path = paths[n % len(paths)]
        if path.startswith("/api/"):
            client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[pk]}")
        else:
            client = Client(HTTP_COOKIE=cookies[pk])
        client.get(path, secure=True)
        with CaptureQueriesContext(connection) as counted, redis_round_trips() as sent:
            answer = client.get(path, secure=True)
        assert answer.status_code == 200, (path, answer.status_code)
        queries.append(len(counted))
        trips.append(len(sent))
    return {"queries": max(queries), "round_trips": max(trips)}


def fanout(work: Path) -> dict[str, Any]:
    """Time a post of an account with about 10,000 followers reaching every follower's feed."""
    store = feed_store()
    assert isinstance(store, RedisStore)
    limit = settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS
    author = User.objects.filter(follower_count__lte=limit).order_by("-follower_count").first()
    assert author is not None
    followers = list(Follow.objects.filter(followee=author).values_list("follower_id", flat=True))
    # The interactive queue's worker, as in production: bulk jobs never hold fan-out up.
    queues = [settings.GLIMPSE_CELERY_INTERACTIVE_QUEUE]
    worker = celery_worker(pool="solo", concurrency=1, queues=queues)
    try:
        time.sleep(5)  # the worker connects to the broker
        seconds = _fan_out_once(store, author, followers)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    floor = _pipeline_floor(store, followers)
    return {"followers": len(followers), "seconds": seconds, "floor_seconds": floor}


def _fan_out_once(store: RedisStore, author: User, followers: list[int]) -> float:
    with transaction.atomic():
        post = Post.objects.create(author=author, caption="fan-out benchmark")
        feeds.post_added_on_commit(post.pk, author.pk)
    started = time.perf_counter()
    value = member(Entry(post.pk, "p"))
    waiting = set(followers)
    deadline = started + 120
    while waiting and time.perf_counter() < deadline:
        pipe = store.client.pipeline(transaction=False)
        ordered = list(waiting)
        for pk in ordered:
            pipe.zscore(store.key(pk), value)
        for pk, score in zip(ordered, pipe.execute(), strict=True):
            if score is not None:
                waiting.discard(pk)
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    entry = Entry(post.pk, "p")
    post.delete()
    store.remove([author.pk, *followers], entry)
    store.outbox_write(author.pk, entry, add=False)
    assert not waiting, f"{len(waiting)} feeds never got the post"
    return seconds


def _pipeline_floor(store: RedisStore, followers: list[int]) -> float:
    """Time the same writes sent straight from here as pipelines: the floor fan-out can reach."""
    entry = Entry(1, "p")
    started = time.perf_counter()
    for start in range(0, len(followers), settings.GLIMPSE_FEED_FANOUT_BATCH):
        store.add(followers[start : start + settings.GLIMPSE_FEED_FANOUT_BATCH], entry)
    seconds = time.perf_counter() - started
    store.remove(followers, entry)
    return seconds
