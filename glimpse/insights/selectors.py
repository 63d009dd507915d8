"""Insights reads, for the account itself only: anyone else gets NotFound, staff included.

A window of 7, 30 or 90 UTC days ending today reads the stored roll-ups of the days rolled
up and counts the others (today, and yesterday until the night's roll-up) live from the raw
rows. Sums of days are exact; reach over several days is a distinct count of the raw
daily viewer rows of the window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.insights.counting import (
    ACCOUNT_FIELDS,
    POST_FIELDS,
    blank_account,
    blank_post,
    day_bounds,
    day_numbers,
    engagement_rate,
)
from glimpse.insights.models import AccountDay, PostDay, PostViewer, RolledDay
from glimpse.posts.models import Post, PostHashtag

WINDOWS = (7, 30, 90)
TOP_POSTS = 10
TOP_HASHTAGS = 10
MISSING_POST = "No post with this id."
LIVE_DAYS = 90


def account_insights(*, viewer: User, days: int, today: dt.date | None = None) -> dict[str, Any]:
    """Return the viewer's own insights over the last ``days`` days (7, 30 or 90)."""
    if days not in WINDOWS:
        raise InvalidInput("Choose 7, 30 or 90 days.", fields={"days": ["Must be 7, 30 or 90."]})
    last = today or timezone.now().astimezone(dt.UTC).date()
    first = last - dt.timedelta(days=days - 1)
    window = [first + dt.timedelta(days=n) for n in range(days)]
    rolled = _rolled(first, last)
    series = {day: blank_account() for day in window}
    posts: dict[int, dict[str, Any]] = defaultdict(lambda: blank_post(viewer.pk))
    for row in AccountDay.objects.filter(account=viewer, day__in=rolled).values():
        series[row["day"]] = dict(row)
    # Summed by the database: one row per post, whatever the number of days.
    sums = {f"total_{name}": Sum(name) for name in POST_FIELDS}
    rolled_posts = PostDay.objects.filter(author=viewer, day__in=rolled).values("post_id")
    for post_row in rolled_posts.annotate(**sums):
        found: dict[str, Any] = dict(post_row)
        summed = {name: found[f"total_{name}"] for name in POST_FIELDS}
        _add(posts[found["post_id"]], summed, POST_FIELDS)
    for day in window:
        if day not in rolled:
            live = day_numbers(day, account_id=viewer.pk)
            series[day] = live.accounts.get(viewer.pk, blank_account())
            for post_id, values in live.posts.items():
                _add(posts[post_id], values, POST_FIELDS)
    totals = blank_account()
    for values in series.values():
        _add(totals, values, ACCOUNT_FIELDS)
        totals["follower_hours"] = [
            a + b for a, b in zip(totals["follower_hours"], values["follower_hours"], strict=True)
        ]
    totals["reach"] = (
        PostViewer.objects.filter(author=viewer, day__gte=first, day__lte=last)
        .values("viewer_id")
        .distinct()
        .count()
    )
    top = _published_posts(viewer, first, posts)
    return {
        "days": days,
        "first_day": first,
        "last_day": last,
        "follower_count": viewer.follower_count,
        "totals": {name: totals[name] for name in ACCOUNT_FIELDS},
        "sources": totals["sources"],
        "follower_hours": totals["follower_hours"],
        "series": [
            {"day": day, **{name: series[day][name] for name in ACCOUNT_FIELDS}} for day in window
        ],
        "top_posts": top[:TOP_POSTS],
        "hashtags": _hashtags(top)[:TOP_HASHTAGS],
    }


def post_insights(*, viewer: User, post_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """Return the lifetime numbers of one of the viewer's own posts."""
    post = Post.objects.filter(pk=post_id, author=viewer).first()
    if post is None:
        raise NotFound(MISSING_POST)
    last = today or timezone.now().astimezone(dt.UTC).date()
    first = post.created_at.astimezone(dt.UTC).date()
    totals = blank_post(viewer.pk)
    rolled = _rolled(first, last)
    for row in PostDay.objects.filter(post=post, day__in=rolled).values():
        _add(totals, dict(row), POST_FIELDS)
    # Days never rolled up are counted live, at most the last LIVE_DAYS of them (the roll-up's
    # first run goes back as far): an old post read before any roll-up stays fast.
    live_first = max(first, last - dt.timedelta(days=LIVE_DAYS - 1))
    for n in range((last - live_first).days + 1):
        day = live_first + dt.timedelta(days=n)
        if day not in rolled:
            live = day_numbers(day, post_id=post.pk)
            _add(totals, live.posts.get(post.pk, blank_post(viewer.pk)), POST_FIELDS)
    totals["reach"] = _reach_of([post.pk]).get(post.pk, 0)
    return {
        "post": post,
        **{name: totals[name] for name in POST_FIELDS},
        "engagement_rate": engagement_rate(totals, totals["reach"]),
        "sources": totals["sources"],
    }


# --- Helpers --------------------------------------------------------------------------------


def _rolled(first: dt.date, last: dt.date) -> set[dt.date]:
    """Return the days of a window read from roll-ups: all up to the latest day rolled up.

    The roll-up goes on from its latest day, so only days before its first run can be
    missing, and those have no raw rows either.
    """
    latest = RolledDay.objects.order_by("-day").values_list("day", flat=True).first()
    if latest is None or latest < first:
        return set()
    return {first + dt.timedelta(days=n) for n in range((min(latest, last) - first).days + 1)}


def _add(into: dict[str, Any], values: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        into[name] += values[name]
    for source, count in (values.get("sources") or {}).items():
        into["sources"][source] = into["sources"].get(source, 0) + count


def _reach_of(post_ids: list[int]) -> dict[int, int]:
    """Return the distinct accounts that saw each post, ever."""
    rows = (
        PostViewer.objects.filter(post_id__in=post_ids)
        .values("post_id")
        .annotate(n=Count("viewer_id", distinct=True))
    )
    return {row["post_id"]: row["n"] for row in rows}


def _published_posts(
    viewer: User, first: dt.date, numbers: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return the posts published in the window, best engagement rate first."""
    start, _ = day_bounds(first)
    posts = list(Post.objects.filter(author=viewer, created_at__gte=start).order_by("-id"))
    reach = _reach_of([post.pk for post in posts])
    rows: list[dict[str, Any]] = []
    for post in posts:
        values = numbers.get(post.pk) or blank_post(viewer.pk)
        values = {**values, "reach": reach.get(post.pk, 0)}
        rows.append(
            {
                "post": post,
                **{name: values[name] for name in POST_FIELDS},
                "engagement_rate": engagement_rate(values, values["reach"]),
            }
        )
    rows.sort(key=lambda row: (row["engagement_rate"], row["reach"], row["post"].pk), reverse=True)
    return rows


def _hashtags(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the hashtags of these posts: how many used each, and their mean engagement."""
    rates = {row["post"].pk: row["engagement_rate"] for row in posts}
    used: dict[str, list[float]] = defaultdict(list)
    for post_id, name in PostHashtag.objects.filter(post_id__in=rates).values_list(
        "post_id", "hashtag__name"
    ):
        used[name].append(rates[post_id])
    rows: list[dict[str, Any]] = [
        {"name": name, "posts": len(found), "engagement_rate": round(sum(found) / len(found), 4)}
        for name, found in used.items()
    ]
    rows.sort(key=lambda row: (-row["posts"], -row["engagement_rate"], row["name"]))
    return rows
