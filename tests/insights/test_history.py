"""Every insight number equals a recount from the raw events of a generated history.

A seeded random week of impressions from every source, likes (some taken back), comments,
saves, shares, reposts, profile visits, follows and unfollows is recorded through the real
services with explicit times; the numbers are read live, then again after the roll-up.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.insights import rollup, selectors, services
from glimpse.insights.models import FollowEvent, RolledDay, ShareEvent, Source
from glimpse.posts import services as posts
from glimpse.posts.models import Comment, Like, Post, Repost, Save
from tests.insights.conftest import Run

pytestmark = pytest.mark.django_db

DAYS = 7
SEED = 20261121


@dataclass
class History:
    """The raw events as generated, to recount from."""

    now: dt.datetime
    today: dt.date
    authors: dict[int, int] = field(default_factory=dict)  # post id -> author id
    views: list[tuple[int, int | None, str, dt.datetime]] = field(default_factory=list)
    likes: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)  # (user, post)
    comments: list[tuple[int, int, dt.datetime]] = field(default_factory=list)  # user, post
    saves: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)
    shares: list[tuple[int, dt.datetime]] = field(default_factory=list)  # post
    visits: set[tuple[int, int, dt.date]] = field(default_factory=set)  # visitor, post, day
    follows: list[tuple[int, int, str, int | None, dt.datetime]] = field(default_factory=list)
    blocked: set[tuple[int, int]] = field(default_factory=set)  # (blocker, blocked)


@pytest.fixture
def history(
    make_user: Callable[..., User], publish: Callable[..., Post], run: Run
) -> tuple[History, User, User]:
    """Generate, with a fixed seed, a week of activity around two authors' posts."""
    rng = random.Random(SEED)
    now = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    today = now.date()
    ana, bo = make_user("ana"), make_user("bo")
    people = [make_user(f"viewer{n}") for n in range(8)]
    intruder = make_user("intruder")
    h = History(now=now, today=today)

    captions = ["#sun #sea", "#sun", "#city #sun", "", "#sea"]
    made = [
        publish(author, caption=caption)
        for author, caption in zip([ana, ana, ana, ana, bo], captions, strict=True)
    ]
    for n, post in enumerate(made):  # published 9, 6, 4, 2 and 3 days ago
        created = now - dt.timedelta(days=[9, 6, 4, 2, 3][n], hours=1)
        Post.objects.filter(pk=post.pk).update(created_at=created)
        h.authors[post.pk] = post.author_id

    def moment(day_offset: int, after: dt.datetime | None = None) -> dt.datetime:
        day_start = dt.datetime.combine(today - dt.timedelta(days=day_offset), dt.time.min, dt.UTC)
        start = max(day_start, after or day_start)
        end = min(day_start + dt.timedelta(days=1), now)
        span = max(1, int((end - start).total_seconds()))
        return start + dt.timedelta(seconds=rng.randrange(span))

    # Some viewers follow ana from the start (events dated 8 days ago, outside the window).
    for person in people[:4]:
        run(partial(graph.follow_create, follower=person, followee=ana))
        when = now - dt.timedelta(days=8)
        FollowEvent.objects.filter(follower=person).update(created_at=when)
        h.follows.append((ana.pk, person.pk, "follow", None, when))

    sources = Source.values
    for offset in range(DAYS - 1, -1, -1):
        for post in made:
            created = Post.objects.get(pk=post.pk).created_at
            if created.date() > today - dt.timedelta(days=offset):
                continue
            for _ in range(rng.randrange(4, 14)):
                viewer = rng.choice([*people, None, None, intruder, post.author])
                at = moment(offset, created)
                source = rng.choice(sources)
                services.impressions_record(viewer=viewer, post_ids=[post.pk], source=source, at=at)
                h.views.append((post.pk, viewer.pk if viewer else None, source, at))
            for person in rng.sample(people, 3):
                at = moment(offset, created)
                kind = rng.choice(["like", "unlike", "comment", "save", "share", "repost", "visit"])
                if kind in {"like", "unlike"}:
                    posts.like_create(user=person, post_id=post.pk)
                    Like.objects.filter(user=person, post=post).update(created_at=at)
                    h.likes[(person.pk, post.pk)] = at
                    if kind == "unlike":
                        posts.like_delete(user=person, post_id=post.pk)
                        del h.likes[(person.pk, post.pk)]
                elif kind == "comment":
                    made_comment = posts.comment_create(author=person, post_id=post.pk, text="Nice")
                    Comment.objects.filter(pk=made_comment.pk).update(created_at=at)
                    h.comments.append((person.pk, post.pk, at))
                elif kind == "save":
                    posts.save_create(user=person, post_id=post.pk)
                    Save.objects.filter(user=person, post=post).update(created_at=at)
                    h.saves[(person.pk, post.pk)] = at
                elif kind == "share":
                    services.share_create(user=person, post_id=post.pk)
                    ShareEvent.objects.filter(sharer=person, created_at__gt=now).update(
                        created_at=at
                    )
                    h.shares.append((post.pk, at))
                elif kind == "repost" and not Repost.objects.filter(user=person, post=post):
                    run(partial(posts.repost_create, user=person, post_id=post.pk))
                    Repost.objects.filter(user=person, post=post).update(created_at=at)
                    h.shares.append((post.pk, at))
                elif kind == "visit":
                    author = User.objects.get(pk=post.author_id)
                    services.profile_visit_record(
                        visitor=person, post_id=post.pk, profile=author, at=at
                    )
                    h.visits.add((person.pk, post.pk, at.date()))
        # ana likes and comments on bo's post, counted in her own activity.
        bo_post = made[-1]
        if rng.random() < 0.5 and bo_post.created_at.date() <= today - dt.timedelta(days=offset):
            at = moment(offset)
            made_comment = posts.comment_create(author=ana, post_id=bo_post.pk, text="Hi")
            Comment.objects.filter(pk=made_comment.pk).update(created_at=at)
            h.comments.append((ana.pk, bo_post.pk, at))
        # Followers come and go.
        person = rng.choice(people)
        at = moment(offset)
        if graph.Follow.objects.filter(follower=person, followee=ana).exists():
            run(partial(graph.follow_delete, follower=person, followee=ana))
            kind = "unfollow"
        else:
            run(partial(graph.follow_create, follower=person, followee=ana))
            kind = "follow"
        FollowEvent.objects.filter(follower=person, created_at__gt=now).update(created_at=at)
        h.follows.append((ana.pk, person.pk, kind, None, at))

    # ana likes and comments on bo's post today, and one follower leaves today, so that every
    # number is exercised whatever the random draws; a visit from ana's newest post turns into
    # a follow.
    posts.like_create(user=ana, post_id=made[-1].pk)
    h.likes[(ana.pk, made[-1].pk)] = Like.objects.get(user=ana, post=made[-1]).created_at
    made_comment = posts.comment_create(author=ana, post_id=made[-1].pk, text="See you")
    h.comments.append((ana.pk, made[-1].pk, Comment.objects.get(pk=made_comment.pk).created_at))
    leaving = graph.Follow.objects.filter(followee=ana).order_by("pk").first()
    assert leaving is not None
    run(partial(graph.follow_delete, follower=leaving.follower, followee=ana))
    event = FollowEvent.objects.filter(follower=leaving.follower).latest("pk")
    h.follows.append((ana.pk, leaving.follower_id, "unfollow", None, event.created_at))
    newcomer = make_user("newcomer")
    services.profile_visit_record(visitor=newcomer, post_id=made[3].pk, profile=ana)
    run(lambda: graph.follow_create(follower=newcomer, followee=ana))
    event = FollowEvent.objects.get(follower=newcomer)
    h.visits.add((newcomer.pk, made[3].pk, event.created_at.date()))
    h.follows.append((ana.pk, newcomer.pk, "follow", made[3].pk, event.created_at))
    # ana blocks the intruder before the views are flushed: none of its views count.
    run(lambda: graph.block_create(blocker=ana, blocked=intruder))
    h.blocked.add((ana.pk, intruder.pk))
    return h, ana, bo


# --- The recount ----------------------------------------------------------------------------


def recount(h: History, account: User, days: int) -> dict[str, Any]:
    """Count an account's insights straight from the generated events."""
    first = h.today - dt.timedelta(days=days - 1)
    mine = {pk for pk, author in h.authors.items() if author == account.pk}

    def in_window(at: dt.datetime) -> bool:
        return first <= at.date() <= h.today

    followers = {follower for followee, follower, *_ in _final_follows(h) if followee == account.pk}
    counted = [
        (post, viewer, source, at)
        for post, viewer, source, at in h.views
        if post in mine and viewer != account.pk and (account.pk, viewer) not in h.blocked
    ]
    window_views = [v for v in counted if in_window(v[3])]
    series: dict[dt.date, Counter[str]] = defaultdict(Counter)
    reach_days: dict[dt.date, set[int]] = defaultdict(set)
    per_post: dict[int, Counter[str]] = defaultdict(Counter)
    sources: Counter[str] = Counter()
    hours = [0] * 24
    for post, viewer, source, at in window_views:
        series[at.date()]["impressions"] += 1
        per_post[post]["impressions"] += 1
        sources[source] += 1
        if viewer is not None:
            reach_days[at.date()].add(viewer)
        if viewer in followers:
            hours[at.hour] += 1
    for day, viewers in reach_days.items():
        series[day]["reach"] = len(viewers)

    def received(name: str, events: list[tuple[int, dt.datetime]]) -> None:
        for post, at in events:
            if post in mine and in_window(at):
                series[at.date()][name] += 1
                per_post[post][name] += 1

    received("likes", [(post, at) for (_, post), at in h.likes.items()])
    received("comments", [(post, at) for _, post, at in h.comments])
    received("saves", [(post, at) for (_, post), at in h.saves.items()])
    received("shares", h.shares)
    visit_times = [
        (post, dt.datetime.combine(day, dt.time(12), dt.UTC)) for _, post, day in h.visits
    ]
    received("profile_visits", visit_times)
    received("follows", [(post, at) for _, _, kind, post, at in h.follows if post is not None])
    for followee, _, kind, _, at in h.follows:
        if followee == account.pk and in_window(at):
            series[at.date()]["followers_gained" if kind == "follow" else "followers_lost"] += 1
    for (user, _), at in h.likes.items():
        if user == account.pk and in_window(at):
            series[at.date()]["likes_given"] += 1
    for user, _, at in h.comments:
        if user == account.pk and in_window(at):
            series[at.date()]["comments_made"] += 1

    window = [first + dt.timedelta(days=n) for n in range(days)]
    names = [
        "impressions",
        "reach",
        "likes",
        "comments",
        "saves",
        "shares",
        "profile_visits",
        "follows",
        "followers_gained",
        "followers_lost",
        "likes_given",
        "comments_made",
    ]
    totals = {name: sum(series[day][name] for day in window) for name in names}
    totals["reach"] = len({v[1] for v in window_views if v[1] is not None})
    top = {}
    for post in mine:
        created = Post.objects.get(pk=post).created_at.date()
        if created < first:
            continue
        reach = len({v[1] for v in counted if v[0] == post and v[1] is not None})
        engaged = sum(per_post[post][n] for n in ("likes", "comments", "saves", "shares"))
        top[post] = {
            **{n: per_post[post][n] for n in names[:8]},
            "reach": reach,
            "engagement_rate": round(engaged / reach, 4) if reach else 0.0,
        }
    return {
        "totals": totals,
        "series": [{"day": day, **{n: series[day][n] for n in names}} for day in window],
        "sources": {k: v for k, v in sources.items() if v},
        "follower_hours": hours,
        "top": top,
    }


def _final_follows(h: History) -> set[tuple[int, int]]:
    state: set[tuple[int, int]] = set()
    for followee, follower, kind, _, _ in sorted(h.follows, key=lambda f: f[4]):
        (state.add if kind == "follow" else state.discard)((followee, follower))
    return state - h.blocked


def as_found(found: dict[str, Any]) -> dict[str, Any]:
    """Reduce the selector's answer to the recount's shape."""
    return {
        "totals": found["totals"],
        "series": found["series"],
        "sources": {k: v for k, v in found["sources"].items() if v},
        "follower_hours": found["follower_hours"],
        "top": {
            row["post"].pk: {k: v for k, v in row.items() if k != "post"}
            for row in found["top_posts"]
        },
    }


# --- The tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 30])
def test_account_numbers_equal_a_recount_live_and_rolled_up(
    history: tuple[History, User, User], days: int
) -> None:
    h, ana, bo = history
    services.impressions_flush()
    for account in (ana, bo):
        expected = recount(h, account, days)
        assert (
            as_found(selectors.account_insights(viewer=account, days=days, today=h.today))
            == expected
        )
    everything = recount(h, ana, days)["totals"]
    assert all(everything.values()), everything  # the history exercises every number
    assert any(recount(h, ana, days)["follower_hours"])

    rolled = rollup.insights_rollup(now=h.now)
    assert h.today - dt.timedelta(days=1) in rolled
    assert RolledDay.objects.filter(day=h.today).count() == 0  # today is read live
    for account in (ana, bo):
        expected = recount(h, account, days)
        assert (
            as_found(selectors.account_insights(viewer=account, days=days, today=h.today))
            == expected
        )


def test_post_numbers_equal_a_recount(history: tuple[History, User, User]) -> None:
    h, ana, _ = history
    services.impressions_flush()
    rollup.insights_rollup(now=h.now)
    expected = recount(h, ana, 90)["top"]
    assert len(expected) == 4
    for post_id, numbers in expected.items():
        found = selectors.post_insights(viewer=ana, post_id=post_id, today=h.today)
        assert {k: found[k] for k in numbers} == numbers


def test_hashtags_equal_a_recount(history: tuple[History, User, User]) -> None:
    h, ana, _ = history
    services.impressions_flush()
    top = recount(h, ana, 7)["top"]
    captions = dict(Post.objects.filter(pk__in=top).values_list("pk", "caption"))
    used: dict[str, list[float]] = defaultdict(list)
    for post_id, caption in captions.items():
        for word in caption.split():
            used[word.lstrip("#")].append(top[post_id]["engagement_rate"])
    rows = [(name, len(rates), round(sum(rates) / len(rates), 4)) for name, rates in used.items()]
    expected = [
        {"name": name, "posts": count, "engagement_rate": rate}
        for name, count, rate in sorted(rows, key=lambda row: (-row[1], -row[2], row[0]))
    ]
    found = selectors.account_insights(viewer=ana, days=7, today=h.today)
    assert found["hashtags"] == expected
    assert expected[0]["name"] == "sun"


def test_rolling_up_twice_changes_nothing(history: tuple[History, User, User]) -> None:
    h, ana, _ = history
    services.impressions_flush()
    rollup.insights_rollup(now=h.now)
    before = selectors.account_insights(viewer=ana, days=30, today=h.today)
    for offset in range(1, DAYS):
        rollup.rollup_day(day=h.today - dt.timedelta(days=offset))
    assert rollup.insights_rollup(now=h.now) == []
    assert selectors.account_insights(viewer=ana, days=30, today=h.today) == before
