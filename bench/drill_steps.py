"""The parts of bench/drill.py that run inside Django, on the drill's own services."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F

from bench.tokens import bench_tokens
from glimpse.accounts.models import User
from glimpse.feeds.entries import Entry
from glimpse.feeds.stores import feed_store
from glimpse.graph.models import Follow
from glimpse.media.models import MediaItem
from glimpse.posts.models import Comment, Like, Post

USERS = 12
UPLOADS_DEADLINE_SECONDS = 180
FEED_MAX = settings.GLIMPSE_FEED_MAX


def prepare(work: Path) -> dict[str, Any]:
    """Migrate, seed the small network, make the virtual users' tokens and their plan."""
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        call_command("seed", scale="small")
    public = User.objects.filter(is_private=False, is_active=True)
    limit = settings.GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS
    people = list(public.filter(follower_count__gt=0, follower_count__lte=limit).order_by("pk"))
    rng = random.Random(11)
    actors = rng.sample(people, USERS)
    tokens = bench_tokens(user.pk for user in actors)
    posts = Post.objects.filter(author__is_private=False, is_archived=False)
    post_ids = [str(pk) for pk in posts.order_by("-pk").values_list("pk", flat=True)[:2_000]]
    rng.shuffle(post_ids)
    return {
        "users": [{"username": u.username, "token": tokens[u.pk]} for u in actors],
        "post_ids": post_ids,
        "follow_targets": [user.username for user in rng.sample(people, 300)],
        "accounts": User.objects.count(),
        "posts": Post.objects.count(),
    }


def verify(work: Path) -> dict[str, Any]:
    """Check that every acknowledged write is there, uploads ended, feeds and counts exact."""
    ledger = json.loads((work / "ledger.json").read_text())
    uploads = _uploads_settled(ledger["uploads"])
    names = {u.username: u.pk for u in User.objects.filter(username__in=_usernames(ledger))}
    lost_likes = sum(
        Like.objects.filter(user_id=names[user], post_id=int(post)).exists() != state
        for user, post, state in ledger["likes"]
    )
    lost_follows = sum(
        Follow.objects.filter(follower_id=names[user], followee_id=names[target]).exists() != state
        for user, target, state in ledger["follows"]
    )
    comment_ids = [int(pk) for pk in ledger["comments"]]
    found_comments = Comment.objects.filter(pk__in=comment_ids).count()
    post_ids = [int(pk) for pk in ledger["posts"]]
    return {
        **uploads,
        "likes_checked": len(ledger["likes"]),
        "likes_lost": lost_likes,
        "follows_checked": len(ledger["follows"]),
        "follows_lost": lost_follows,
        "comments_acknowledged": len(comment_ids),
        "comments_lost": len(comment_ids) - found_comments,
        "posts_acknowledged": len(post_ids),
        "posts_lost": len(post_ids) - Post.objects.filter(pk__in=post_ids).count(),
        **_feeds_complete(post_ids),
        **_counts_exact(
            {int(row[1]) for row in ledger["likes"]} | set(post_ids),
            {names[row[1]] for row in ledger["follows"]},
        ),
    }


def _commented_posts() -> list[int]:
    return list(
        Comment.objects.filter(text__startswith="drill comment").values_list("post_id", flat=True)
    )


def _usernames(ledger: dict[str, Any]) -> set[str]:
    names = {row[0] for row in ledger["likes"]} | {row[0] for row in ledger["follows"]}
    return names | {row[1] for row in ledger["follows"]}


def _uploads_settled(media_ids: list[str]) -> dict[str, Any]:
    """Wait until every acknowledged upload has left `processing`; count how each ended."""
    ids = [int(pk) for pk in media_ids]
    deadline = time.monotonic() + UPLOADS_DEADLINE_SECONDS
    waited = time.monotonic()
    items = MediaItem.objects.filter(pk__in=ids)
    while items.filter(status=MediaItem.Status.PROCESSING).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(1)
    states = dict(items.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    ready = sorted(
        (done - made).total_seconds()
        for made, done in items.filter(status=MediaItem.Status.READY).values_list(
            "created_at", "updated_at"
        )
    )
    return {
        "upload_to_ready_p50_s": round(ready[len(ready) // 2], 1) if ready else None,
        "upload_to_ready_max_s": round(ready[-1], 1) if ready else None,
        "uploads_acknowledged": len(ids),
        "uploads_ready": states.get(MediaItem.Status.READY, 0),
        "uploads_failed": states.get(MediaItem.Status.FAILED, 0),
        "uploads_still_processing": states.get(MediaItem.Status.PROCESSING, 0),
        "uploads_missing": len(ids) - sum(states.values()),
        "uploads_waited_s": round(time.monotonic() - waited, 1),
    }


def _feeds_complete(post_ids: list[int]) -> dict[str, Any]:
    """Count the follower feeds that lack a post published during the drill.

    A feed holds the newest GLIMPSE_FEED_MAX entries, and a new follow brings only the
    followee's recent posts: a post older than a full feed's oldest entry, or older than the
    follow, is rightly absent and counted apart.
    """
    store = feed_store()
    checked = missing = trimmed = followed_later = 0
    examples: list[dict[str, Any]] = []
    viewers: dict[int, User] = {}
    for post in Post.objects.filter(pk__in=post_ids):
        entry = Entry(post.pk, "p")
        follows = Follow.objects.filter(followee_id=post.author_id).values_list(
            "follower_id", "created_at"
        )
        for follower_id, since in follows:
            if follower_id not in viewers:
                viewers[follower_id] = User.objects.get(pk=follower_id)
            # A feed lost with Redis is rebuilt here from the database, as on a real read.
            entries = store.entries(viewers[follower_id], max_id=None, count=FEED_MAX)
            checked += 1
            if entry in entries:
                continue
            if since > post.created_at:
                followed_later += 1
            elif len(entries) >= FEED_MAX and post.pk < min(e.id for e in entries):
                trimmed += 1
            else:
                missing += 1
                if len(examples) < 10:
                    examples.append(
                        {
                            "post_created": post.created_at.isoformat(),
                            "followed": since.isoformat(),
                            "feed_size": len(entries),
                            "follower": follower_id,
                            "author": post.author_id,
                        }
                    )
    return {
        "missing_examples": examples,
        "feeds_checked": checked,
        "feeds_missing_a_post": missing,
        "feeds_past_their_cap": trimmed,
        "feeds_followed_after_the_post": followed_later,
    }


def _counts_exact(post_ids: set[int], account_ids: set[int]) -> dict[str, int]:
    """Count the touched rows whose counters differ from a recount (an effect twice, or none)."""
    posts = Post.objects.filter(pk__in=post_ids | set(_commented_posts()))
    likes = posts.annotate(n=Count("likes", distinct=True)).exclude(like_count=F("n"))
    comments = posts.annotate(n=Count("comments", distinct=True)).exclude(comment_count=F("n"))
    accounts = User.objects.filter(pk__in=account_ids)
    followers = accounts.annotate(n=Count("follower_edges", distinct=True)).exclude(
        follower_count=F("n")
    )
    return {
        "posts_with_wrong_like_count": likes.count(),
        "posts_with_wrong_comment_count": comments.count(),
        "accounts_with_wrong_follower_count": followers.count(),
    }
