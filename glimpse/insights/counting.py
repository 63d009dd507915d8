"""Count one UTC day from the raw rows: what the roll-up stores and what "today" reads live.

Every number is a grouped query over the whole day (the roll-up) or filtered to one account
or one post (reading days not rolled up yet), so the two always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum

from glimpse.insights.models import (
    FollowEvent,
    ImpressionTally,
    PostViewer,
    ProfileVisit,
    ShareEvent,
)
from glimpse.posts.models import Comment, Like, Repost, Save

POST_FIELDS = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "saves",
    "shares",
    "profile_visits",
    "follows",
)
ACCOUNT_FIELDS = (
    *POST_FIELDS,
    "followers_gained",
    "followers_lost",
    "likes_given",
    "comments_made",
)
ENGAGEMENT = ("likes", "comments", "saves", "shares")


def blank_post(author_id: int) -> dict[str, Any]:
    """Return a post's numbers for a day with nothing in it."""
    return {"author_id": author_id, **dict.fromkeys(POST_FIELDS, 0), "sources": {}}


def blank_account() -> dict[str, Any]:
    """Return an account's numbers for a day with nothing in it."""
    return {**dict.fromkeys(ACCOUNT_FIELDS, 0), "sources": {}, "follower_hours": [0] * 24}


@dataclass
class DayNumbers:
    """The numbers of one day: per post (with its author) and per account."""

    day: dt.date
    posts: dict[int, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[int, dict[str, Any]] = field(default_factory=dict)

    def post(self, post_id: int, author_id: int) -> dict[str, Any]:
        """Return the numbers of a post, made blank on first use."""
        return self.posts.setdefault(post_id, blank_post(author_id))

    def account(self, account_id: int) -> dict[str, Any]:
        """Return the numbers of an account, made blank on first use."""
        return self.accounts.setdefault(account_id, blank_account())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the first instant of a UTC day and of the next."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def day_numbers(
    day: dt.date, *, account_id: int | None = None, post_id: int | None = None
) -> DayNumbers:
    """Count a day from the raw rows, for every account or only for one account or post."""
    scope = _Scope(day, account_id, post_id)
    numbers = DayNumbers(day)
    _count_impressions(scope, numbers)
    _count_reach(scope, numbers)
    _count_post_events(scope, numbers)
    _add_post_sums(numbers)
    if post_id is None:
        _count_account_events(scope, numbers)
    return numbers


def engagement_rate(numbers: dict[str, Any], reach: int) -> float:
    """Return (likes + comments + saves + shares) / reach, at most 1, or 0 when nobody was reached.

    One account can like, comment on, save and share a post, and comment many times, so the
    actions can outnumber the accounts reached: a rate is a share of them, never above 100 %.
    """
    engaged = sum(numbers[name] for name in ENGAGEMENT)
    return min(round(engaged / reach, 4), 1.0) if reach else 0.0


def _add_post_sums(numbers: DayNumbers) -> None:
    """Add each post's numbers (all but reach, which is distinct) to its author's."""
    for post in numbers.posts.values():
        account = numbers.account(post["author_id"])
        for name in POST_FIELDS:
            if name != "reach":
                account[name] += post[name]
        for source, count in post["sources"].items():
            account["sources"][source] = account["sources"].get(source, 0) + count


@dataclass(frozen=True)
class _Scope:
    """The day counted, and the one account or post it is narrowed to, if any."""

    day: dt.date
    account_id: int | None
    post_id: int | None

    @property
    def between(self) -> dict[str, dt.datetime]:
        start, end = day_bounds(self.day)
        return {"created_at__gte": start, "created_at__lt": end}

    def rows(self, qs: QuerySet[Any], author: str, post: str = "post_id") -> QuerySet[Any]:
        if self.account_id is not None:
            qs = qs.filter(**{author: self.account_id})
        if self.post_id is not None:
            qs = qs.filter(**{post: self.post_id})
        return qs


def _count_impressions(scope: _Scope, numbers: DayNumbers) -> None:
    start, end = day_bounds(scope.day)
    tallies = scope.rows(ImpressionTally.objects.filter(hour__gte=start, hour__lt=end), "author_id")
    for row in tallies.values("post_id", "author_id", "source", "hour").annotate(
        n=Sum("count"), f=Sum("follower_count")
    ):
        post = numbers.post(row["post_id"], row["author_id"])
        post["impressions"] += row["n"]
        post["sources"][row["source"]] = post["sources"].get(row["source"], 0) + row["n"]
        hour = row["hour"].astimezone(dt.UTC).hour
        numbers.account(row["author_id"])["follower_hours"][hour] += row["f"]


def _count_reach(scope: _Scope, numbers: DayNumbers) -> None:
    viewers = scope.rows(PostViewer.objects.filter(day=scope.day), "author_id")
    for row in viewers.values("post_id", "author_id").annotate(n=Count("id")):
        numbers.post(row["post_id"], row["author_id"])["reach"] = row["n"]
    for row in viewers.values("author_id").annotate(n=Count("viewer_id", distinct=True)):
        numbers.account(row["author_id"])["reach"] = row["n"]


def _count_post_events(scope: _Scope, numbers: DayNumbers) -> None:
    between = scope.between
    per_post: Iterable[tuple[str, QuerySet[Any], str]] = (
        ("likes", Like.objects.filter(**between), "post__author_id"),
        ("comments", Comment.objects.filter(**between), "post__author_id"),
        ("saves", Save.objects.filter(**between), "post__author_id"),
        ("shares", ShareEvent.objects.filter(**between), "author_id"),
        ("shares", Repost.objects.filter(**between), "post__author_id"),
        ("profile_visits", ProfileVisit.objects.filter(day=scope.day), "author_id"),
        (
            "follows",
            FollowEvent.objects.filter(kind=FollowEvent.Kind.FOLLOW, post__isnull=False, **between),
            "followee_id",
        ),
    )
    for name, qs, author in per_post:
        for row in scope.rows(qs, author).values("post_id", author).annotate(n=Count("id")):
            numbers.post(row["post_id"], row[author])[name] += row["n"]


def _count_account_events(scope: _Scope, numbers: DayNumbers) -> None:
    between = scope.between
    follows = scope.rows(FollowEvent.objects.filter(**between), "followee_id", "post_id")
    for row in follows.values("followee_id", "kind").annotate(n=Count("id")):
        name = "followers_gained" if row["kind"] == FollowEvent.Kind.FOLLOW else "followers_lost"
        numbers.account(row["followee_id"])[name] += row["n"]
    acts = (
        ("likes_given", Like.objects.filter(**between), "user_id"),
        ("comments_made", Comment.objects.filter(**between), "author_id"),
    )
    for name, qs, actor in acts:
        if scope.account_id is not None:
            qs = qs.filter(**{actor: scope.account_id})
        for row in qs.values(actor).annotate(n=Count("id")):
            numbers.account(row[actor])[name] += row["n"]
