"""Likes, comments (with one level of replies) and reposts, planned per post, then written.

How many likes and comments a post gets is decided before any post row is written, so the
post rows carry their final counters; the rows themselves are drawn post by post afterwards.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Callable
from itertools import accumulate

from glimpse.demo.dataset.clock import IdClock
from glimpse.demo.dataset.config import Scale
from glimpse.demo.dataset.content import Posts
from glimpse.demo.dataset.people import People
from glimpse.demo.dataset.sink import Batches, Progress
from glimpse.posts.models import Comment, Like, Repost

COMMENT_WORDS = (
    "love this",
    "so good",
    "wow",
    "beautiful light",
    "where is this?",
    "amazing colours",
    "need to go there",
    "stunning",
    "miss this place",
    "great shot",
    "this made my day",
    "perfect",
    "haha yes",
    "agreed",
    "thank you!",
)
EMOJI = ("", "", "", " 😍", " 🔥", " 🙌", " ✨")


def engagement_plan(
    scale: Scale, people: People, posts: Posts, followers_of: list[array[int]], rng: random.Random
) -> None:
    """Decide each post's like, comment and repost counts: popular and recent posts get more."""
    end = max(posts.seconds) + 1 if posts.seconds else 0
    weights = [
        (people.followers[a] + 5) ** 0.7 * (0.4 + 1.6 * math.exp(-(end - s) / (20 * 86_400)))
        for a, s in zip(posts.authors, posts.seconds, strict=True)
    ]
    # Only followers see a private account's posts; anyone else may see a public one's.
    reach = [
        len(followers_of[a]) if people.private[a] else scale.accounts - 1 for a in posts.authors
    ]
    _allocate(posts.likes, scale.likes, weights, reach, rng)
    _allocate(posts.comments, scale.comments, weights, [3 * r for r in reach], rng)
    public = [p for p in range(scale.posts) if not people.private[posts.authors[p]]]
    if not public:
        return
    cum = list(accumulate(weights[p] for p in public))
    taken: set[tuple[int, int]] = set()
    attempts = 0
    while len(taken) < scale.reposts and attempts < 50 * scale.reposts:
        attempts += 1
        p = public[rng.choices(range(len(public)), cum_weights=cum)[0]]
        user = rng.randrange(scale.accounts)
        if user != posts.authors[p] and (p, user) not in taken:
            taken.add((p, user))
            posts.reposts[p] = posts.reposts.get(p, 0) + 1
    posts.repost_pairs = sorted(taken)


def likes_write(
    *,
    scale: Scale,
    people: People,
    posts: Posts,
    followers_of: list[array[int]],
    clock: IdClock,
    rng: random.Random,
    batches: Batches,
    fmt: Callable[[int], str],
    progress: Progress,
) -> None:
    """Write each post's likes: distinct accounts, mostly its author's followers."""
    fields = ("id", "post", "user", "created_at")
    for p in range(scale.posts):
        count = posts.likes[p]
        if not count:
            continue
        author, post_id, posted = posts.authors[p], posts.ids[p], posts.seconds[p]
        shard = people.shards[author]
        for user in _audience(scale, people, author, followers_of[author], count, rng):
            since = max(posted, people.joined_s[user])
            # Most likes come in the first hours after posting.
            second = since + int((clock.end_s - since) * rng.random() ** 4)
            like_id, ms = clock.make(second, shard)
            batches.add(Like, fields, (like_id, post_id, people.ids[user], fmt(ms)))
        progress.add(count)
    batches.flush()


def comments_write(
    *,
    scale: Scale,
    people: People,
    posts: Posts,
    followers_of: list[array[int]],
    clock: IdClock,
    rng: random.Random,
    batches: Batches,
    fmt: Callable[[int], str],
    progress: Progress,
) -> None:
    """Write each post's comments; about a fifth reply to an earlier top-level comment."""
    fields = ["id", "post", "author", "parent", "text", "like_count", "reply_count", "created_at"]
    # A post's first comment cannot be a reply: the others reply more often, so that the
    # share of replies among all comments is the scale's.
    could_reply = sum(max(count - 1, 0) for count in posts.comments)
    reply_odds = min(0.9, scale.reply_share * scale.comments / max(could_reply, 1))
    for p in range(scale.posts):
        count = posts.comments[p]
        if not count:
            continue
        author, post_id, posted = posts.authors[p], posts.ids[p], posts.seconds[p]
        shard, fans = people.shards[author], followers_of[author]
        timeline = []
        for _ in range(count):
            user = _commenter(scale, people, author, fans, rng)
            since = max(posted, people.joined_s[user])
            timeline.append((since + int((clock.end_s - since) * rng.random() ** 3), user))
        timeline.sort()
        made: list[tuple[int, int, int | None, str, str]] = []  # id, author, parent, text, at
        replies: list[int] = []
        threads: list[int] = []  # positions in ``made`` of the top-level comments
        for second, user in timeline:
            comment_id, ms = clock.make(second, shard)
            parent = rng.choice(threads) if threads and rng.random() < reply_odds else None
            if parent is None:
                threads.append(len(made))
            else:
                replies[parent] += 1
            text = rng.choice(COMMENT_WORDS) + rng.choice(EMOJI)
            made.append((comment_id, people.ids[user], parent, text, fmt(ms)))
            replies.append(0)
        for index, (comment_id, author_id, parent, text, created) in enumerate(made):
            parent_id = None if parent is None else made[parent][0]
            row = (comment_id, post_id, author_id, parent_id, text, 0, replies[index], created)
            batches.add(Comment, fields, row)
        progress.add(count)
    batches.flush()


def reposts_write(
    *,
    people: People,
    posts: Posts,
    clock: IdClock,
    rng: random.Random,
    batches: Batches,
    fmt: Callable[[int], str],
) -> None:
    """Write the planned reposts, each after both the post and its sharer's sign-up."""
    for p, user in posts.repost_pairs:
        since = max(posts.seconds[p], people.joined_s[user])
        second = since + int((clock.end_s - since) * rng.random())
        repost_id, ms = clock.make(second, people.shards[user])
        row = (repost_id, posts.ids[p], people.ids[user], fmt(ms))
        batches.add(Repost, ("id", "post", "user", "created_at"), row)
    batches.flush()


def _allocate(
    out: array[int], total: int, weights: list[float], caps: list[int], rng: random.Random
) -> None:
    """Split ``total`` over posts in proportion to ``weights``, never above ``caps``."""
    whole = sum(weights)
    given = 0
    for p, weight in enumerate(weights):
        share = min(caps[p], int(total * weight / whole))
        out[p] = share
        given += share
    room = [p for p in range(len(weights)) if out[p] < caps[p]]
    while given < total and room:
        cum = list(accumulate(weights[p] for p in room))
        for pick in rng.choices(room, cum_weights=cum, k=total - given):
            if out[pick] < caps[pick]:
                out[pick] += 1
                given += 1
        room = [p for p in room if out[p] < caps[p]]
    if given < total:
        raise ValueError(f"only {given:,} of {total:,} rows fit the audience of the posts")


def _audience(
    scale: Scale,
    people: People,
    author: int,
    fans: array[int],
    count: int,
    rng: random.Random,
) -> list[int]:
    """Return ``count`` distinct accounts who may see the author's posts, fans first."""
    if people.private[author]:
        return rng.sample(fans, count)
    everyone = scale.accounts
    if 2 * count > everyone:
        return rng.sample([u for u in range(everyone) if u != author], count)
    chosen: dict[int, None] = {}
    while len(chosen) < count:
        user = fans[rng.randrange(len(fans))] if fans and rng.random() < 0.7 else None
        if user is None:
            user = rng.randrange(everyone)
        if user != author:
            chosen[user] = None
    return list(chosen)


def _commenter(
    scale: Scale, people: People, author: int, fans: array[int], rng: random.Random
) -> int:
    """Return an account that may comment: a fan, anyone (public posts), or the author."""
    roll = rng.random()
    if roll < 0.1:
        return author  # authors answer in their own threads
    if fans and (people.private[author] or roll < 0.7):
        return fans[rng.randrange(len(fans))]
    return rng.randrange(scale.accounts) if not people.private[author] else author
