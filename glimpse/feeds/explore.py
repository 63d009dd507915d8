"""Explore's rankings and trending: what the viewer may discover, and what is hot right now.

Explore mixes two rankings (see docs/explore.md): co-engagement (posts liked by people who
like what the viewer likes) and trending (engagement per hour over the last day, with
exponential decay). ``explore_grid`` makes the pages from them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.feeds.entries import followed_ids
from glimpse.posts.models import Comment, Hashtag, Like, Place, Post, PostHashtag
from glimpse.posts.selectors import hashtags_counted, places_counted

WINDOW = timedelta(hours=24)  # trending counts engagement of the last day only
HALF_LIFE_HOURS = 6.0  # an engagement weighs half as much every 6 hours
COMMENT_WEIGHT = 2.0  # a comment counts as two likes
EVENTS_CAP = 5000  # most recent engagement events read per trending computation
TRENDING_LIMIT = 10
CANDIDATES = 500  # best posts of each ranking checked against the viewer's policy
RECENT_POSTS = 20_000  # the newest public posts the most liked are picked from
COENGAGEMENT_LIKED = 50  # the viewer's latest likes that define its taste
COENGAGEMENT_PEOPLE = 200  # latest people who liked those posts
COENGAGEMENT_LIKES = 3000  # likes of those people, counted


def decay(age_hours: float) -> float:
    """Return the weight of an engagement ``age_hours`` old: 2^(-age / half-life)."""
    return 2.0 ** (-max(age_hours, 0.0) / HALF_LIFE_HOURS)


def _hours(now: datetime, then: datetime) -> float:
    return (now - then).total_seconds() / 3600.0


def explore_eligible(viewer: User) -> QuerySet[Post]:
    """Return the posts Explore may show: public, visible, unfollowed, unmuted, not own, not
    archived, not liked by the viewer already."""
    return (
        Post.objects.listed_to(viewer)
        .unmuted_for(viewer)
        .discoverable_to(viewer)
        .filter(author__is_private=False)
        .exclude(author=viewer)
        .exclude(author_id__in=followed_ids(viewer))
        .exclude(pk__in=Like.objects.filter(user=viewer).values("post_id"))
    )


def coengagement_candidates(*, viewer: User) -> list[int]:
    """Return post ids liked most by the people who like what the viewer likes, best first.

    Bounded whatever the network's size: the viewer's latest likes, the latest people who
    liked those posts, and some of those people's likes. The caller keeps the eligible ones.
    """
    liked = list(
        Like.objects.filter(user=viewer)
        .order_by("-pk")
        .values_list("post_id", flat=True)[:COENGAGEMENT_LIKED]
    )
    if not liked:
        return []
    similar = set(
        Like.objects.filter(post_id__in=liked)
        .exclude(user=viewer)
        .order_by("-pk")
        .values_list("user_id", flat=True)[:COENGAGEMENT_PEOPLE]
    )
    # Any of their likes will do (no order): sorting them all would read every one.
    their_likes = Like.objects.filter(user_id__in=similar).values_list("post_id", flat=True)[
        :COENGAGEMENT_LIKES
    ]
    counts = Counter(pk for pk in their_likes if pk not in set(liked))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))
    return [pk for pk, _ in ranked[:CANDIDATES]]


def trending_scores(
    *, posts: QuerySet[Post] | None = None, now: datetime | None = None
) -> dict[int, float]:
    """Return the trending score of the posts with engagement in the last 24 hours.

    score = (1/24) * sum over likes and comments of the last 24 h of w * 2^(-age_h / 6),
    with w = 1 for a like and 2 for a comment. Two queries. Without ``posts``, every post's
    latest engagement counts (what Explore ranks before keeping what the viewer may see).
    """
    now = now or timezone.now()
    since = now - WINDOW
    scores: dict[int, float] = defaultdict(float)
    likes = Like.objects.filter(created_at__gte=since)
    comments = Comment.objects.filter(created_at__gte=since)
    if posts is not None:
        likes = likes.filter(post_id__in=posts.values("pk"))
        comments = comments.filter(post_id__in=posts.values("pk"))
    recent = likes.order_by("-created_at").values_list("post_id", "created_at")[:EVENTS_CAP]
    for post_id, at in recent:
        scores[post_id] += decay(_hours(now, at)) / 24.0
    said = comments.order_by("-created_at").values_list("post_id", "created_at")[:EVENTS_CAP]
    for post_id, at in said:
        scores[post_id] += COMMENT_WEIGHT * decay(_hours(now, at)) / 24.0
    return dict(scores)


def _ranked(scores: dict[int, float]) -> list[int]:
    return [pk for pk, _ in sorted(scores.items(), key=lambda kv: (-kv[1], -kv[0]))]


def trending() -> list[int]:
    """Return the network's trending posts, best first (the policy is applied on reading)."""
    return _ranked(trending_scores())


def reels_among(post_ids: list[int]) -> frozenset[int]:
    """Return which of these posts are Reels (one query)."""
    if not post_ids:
        return frozenset()
    reels = Post.objects.filter(pk__in=post_ids).reels()
    return frozenset(reels.values_list("pk", flat=True))


def most_liked() -> list[int]:
    """Return the most liked of the network's ``RECENT_POSTS`` newest public posts, best
    first, newest first among equals (the policy is applied on reading)."""
    public = Post.objects.filter(is_archived=False, author__is_private=False)
    recent = public.order_by("-pk").values("pk")[:RECENT_POSTS]
    best = Post.objects.filter(pk__in=recent).order_by("-like_count", "-pk")
    return list(best.values_list("pk", flat=True)[:CANDIDATES])


def _public_recent(viewer: User | None, now: datetime) -> QuerySet[Post]:
    posts = Post.objects.listed_to(viewer).unmuted_for(viewer).discoverable_to(viewer)
    return posts.filter(author__is_private=False).filter(Q(created_at__gte=now - WINDOW))


def trending_tags(*, viewer: User | None, limit: int = TRENDING_LIMIT) -> list[Hashtag]:
    """Return the hashtags of the most trending visible posts of the last 24 hours.

    A tag's score is the sum of the trending scores of its posts, plus the decayed count of
    its new posts (``decay(age)/24`` each), so that a tag used a lot trends even unliked.
    """
    now = timezone.now()
    posts = _public_recent(viewer, now)
    scores = trending_scores(posts=posts, now=now)
    links = PostHashtag.objects.filter(post_id__in=posts.values("pk")).values_list(
        "hashtag_id", "post_id", "post__created_at"
    )[:EVENTS_CAP]
    tag_scores: dict[int, float] = defaultdict(float)
    for tag_id, post_id, created in links:
        tag_scores[tag_id] += scores.get(post_id, 0.0) + decay(_hours(now, created)) / 24.0
    top = _ranked(tag_scores)[:limit]
    # Counted in the same query: the posts the viewer may see, not the stored total.
    found = Hashtag.objects.filter(pk__in=top)
    tags = {t.pk: t for t in hashtags_counted(viewer=viewer, tags=found)}
    for pk in top:
        tags[pk].score = tag_scores[pk]  # type: ignore[attr-defined]
    return [tags[pk] for pk in top]


def trending_places(*, viewer: User | None, limit: int = TRENDING_LIMIT) -> list[Place]:
    """Return the places of the most trending visible posts of the last 24 hours (as tags)."""
    now = timezone.now()
    posts = _public_recent(viewer, now).filter(place__isnull=False)
    scores = trending_scores(posts=posts, now=now)
    place_scores: dict[int, float] = defaultdict(float)
    for post_id, place_id, created in posts.values_list("pk", "place_id", "created_at")[
        :EVENTS_CAP
    ]:
        place_scores[place_id] += scores.get(post_id, 0.0) + decay(_hours(now, created)) / 24.0
    top = _ranked(place_scores)[:limit]
    found = Place.objects.filter(pk__in=top)
    places = {p.pk: p for p in places_counted(viewer=viewer, places=found)}
    for pk in top:
        places[pk].score = place_scores[pk]  # type: ignore[attr-defined]
    return [places[pk] for pk in top]


__all__ = [
    "coengagement_candidates",
    "decay",
    "explore_eligible",
    "most_liked",
    "reels_among",
    "trending",
    "trending_places",
    "trending_scores",
    "trending_tags",
]
