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
from django.conf import LazySettings
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
    ana, bo = make_user("ana"), make_user("bo")
    people = [make_user(f"viewer{n}") for n in range(8)]
    intruder = make_user("intruder")
    week = _Week(
        h=History(now=now, today=now.date()),
        rng=rng,
        run=run,
        ana=ana,
        people=people,
        intruder=intruder,
    )
    made = week.posts_publish(publish, authors=[ana, ana, ana, ana, bo])
    week.followers_start()
    for offset in range(DAYS - 1, -1, -1):
        week.day(offset, made)
    week.every_number_exercised(made, make_user)
    return week.h, ana, bo


@dataclass
class _Week:
    """The generator: the seeded draws, the accounts, and the history it records."""

    h: History
    rng: random.Random
    run: Run
    ana: User
    people: list[User]
    intruder: User

    def moment(self, day_offset: int, after: dt.datetime | None = None) -> dt.datetime:
        """Draw a second of the day ``day_offset`` days ago, after ``after`` and not after now."""
        day_start = dt.datetime.combine(
            self.h.today - dt.timedelta(days=day_offset), dt.time.min, dt.UTC
        )
        start = max(day_start, after or day_start)
        end = min(day_start + dt.timedelta(days=1), self.h.now)
        span = max(1, int((end - start).total_seconds()))
        return start + dt.timedelta(seconds=self.rng.randrange(span))

    def posts_publish(self, publish: Callable[..., Post], *, authors: list[User]) -> list[Post]:
        """Publish the posts, 9, 6, 4, 2 and 3 days ago."""
        captions = ["#sun #sea", "#sun", "#city #sun", "", "#sea"]
        made = [
            publish(author, caption=caption)
            for author, caption in zip(authors, captions, strict=True)
        ]
        for n, post in enumerate(made):
            # At noon of its day: an hour before "now" would cross into the day before when
            # the history is made just after midnight, and move posts out of the windows.
            day = self.h.today - dt.timedelta(days=[9, 6, 4, 2, 3][n])
            created = dt.datetime.combine(day, dt.time(12), dt.UTC)
            Post.objects.filter(pk=post.pk).update(created_at=created)
            self.h.authors[post.pk] = post.author_id
        return made

    def followers_start(self) -> None:
        """Have some viewers follow ana from the start (8 days ago, outside the window)."""
        for person in self.people[:4]:
            self.run(partial(graph.follow_create, follower=person, followee=self.ana))
            when = self.h.now - dt.timedelta(days=8)
            FollowEvent.objects.filter(follower=person).update(created_at=when)
            self.h.follows.append((self.ana.pk, person.pk, "follow", None, when))

    def day(self, offset: int, made: list[Post]) -> None:
        """Generate the activity of the day ``offset`` days ago."""
        for post in made:
            created = Post.objects.get(pk=post.pk).created_at
            if created.date() > self.h.today - dt.timedelta(days=offset):
                continue
            self.impressions(post, offset, created)
            for person in self.rng.sample(self.people, 3):
                self.interaction(person, post, offset, created)
        self.ana_comments(made[-1], offset)
        self.followers_move(offset)

    def impressions(self, post: Post, offset: int, created: dt.datetime) -> None:
        """Record a few impressions of a post from anyone, the intruder and its author too."""
        for _ in range(self.rng.randrange(4, 14)):
            viewer = self.rng.choice([*self.people, None, None, self.intruder, post.author])
            at = self.moment(offset, created)
            source = self.rng.choice(Source.values)
            services.impressions_record(viewer=viewer, post_ids=[post.pk], source=source, at=at)
            self.h.views.append((post.pk, viewer.pk if viewer else None, source, at))

    def interaction(self, person: User, post: Post, offset: int, created: dt.datetime) -> None:
        """Have a person do one random thing to a post."""
        at = self.moment(offset, created)
        kind = self.rng.choice(["like", "unlike", "comment", "save", "share", "repost", "visit"])
        if kind in {"like", "unlike"}:
            self.like(person, post, at, taken_back=kind == "unlike")
        elif kind == "comment":
            self.comment(person, post, at, text="Nice")
        elif kind == "save":
            posts.save_create(user=person, post_id=post.pk)
            Save.objects.filter(user=person, post=post).update(created_at=at)
            self.h.saves[(person.pk, post.pk)] = at
        elif kind == "share":
            services.share_create(user=person, post_id=post.pk)
            ShareEvent.objects.filter(sharer=person, created_at__gt=self.h.now).update(
                created_at=at
            )
            self.h.shares.append((post.pk, at))
        elif kind == "repost":
            self.repost(person, post, at)
        elif kind == "visit":
            author = User.objects.get(pk=post.author_id)
            services.profile_visit_record(visitor=person, post_id=post.pk, profile=author, at=at)
            self.h.visits.add((person.pk, post.pk, at.date()))

    def like(self, person: User, post: Post, at: dt.datetime, *, taken_back: bool) -> None:
        """Like a post at the given time, and maybe take the like back."""
        posts.like_create(user=person, post_id=post.pk)
        Like.objects.filter(user=person, post=post).update(created_at=at)
        self.h.likes[(person.pk, post.pk)] = at
        if taken_back:
            posts.like_delete(user=person, post_id=post.pk)
            del self.h.likes[(person.pk, post.pk)]

    def comment(self, person: User, post: Post, at: dt.datetime, *, text: str) -> None:
        """Comment on a post at the given time."""
        made_comment = posts.comment_create(author=person, post_id=post.pk, text=text)
        Comment.objects.filter(pk=made_comment.pk).update(created_at=at)
        self.h.comments.append((person.pk, post.pk, at))

    def repost(self, person: User, post: Post, at: dt.datetime) -> None:
        """Repost a post at the given time, unless the person already did."""
        if Repost.objects.filter(user=person, post=post):
            return
        self.run(partial(posts.repost_create, user=person, post_id=post.pk))
        Repost.objects.filter(user=person, post=post).update(created_at=at)
        self.h.shares.append((post.pk, at))

    def ana_comments(self, bo_post: Post, offset: int) -> None:
        """Maybe have ana comment on bo's post, counted in her own activity."""
        day = self.h.today - dt.timedelta(days=offset)
        if self.rng.random() < 0.5 and bo_post.created_at.date() <= day:
            self.comment(self.ana, bo_post, self.moment(offset), text="Hi")

    def followers_move(self, offset: int) -> None:
        """Have one person follow ana, or stop following her."""
        person = self.rng.choice(self.people)
        at = self.moment(offset)
        if graph.Follow.objects.filter(follower=person, followee=self.ana).exists():
            self.run(partial(graph.follow_delete, follower=person, followee=self.ana))
            kind = "unfollow"
        else:
            self.run(partial(graph.follow_create, follower=person, followee=self.ana))
            kind = "follow"
        FollowEvent.objects.filter(follower=person, created_at__gt=self.h.now).update(created_at=at)
        self.h.follows.append((self.ana.pk, person.pk, kind, None, at))

    def every_number_exercised(self, made: list[Post], make_user: Callable[..., User]) -> None:
        """Add today's certain events, so that every number is exercised whatever the draws.

        ana likes and comments on bo's post, one follower leaves, a visit from ana's newest
        post turns into a follow, and ana blocks the intruder before the views are flushed:
        none of its views count.
        """
        ana, h = self.ana, self.h
        posts.like_create(user=ana, post_id=made[-1].pk)
        h.likes[(ana.pk, made[-1].pk)] = Like.objects.get(user=ana, post=made[-1]).created_at
        made_comment = posts.comment_create(author=ana, post_id=made[-1].pk, text="See you")
        h.comments.append((ana.pk, made[-1].pk, Comment.objects.get(pk=made_comment.pk).created_at))
        leaving = graph.Follow.objects.filter(followee=ana).order_by("pk").first()
        assert leaving is not None
        self.run(partial(graph.follow_delete, follower=leaving.follower, followee=ana))
        event = FollowEvent.objects.filter(follower=leaving.follower).latest("pk")
        h.follows.append((ana.pk, leaving.follower_id, "unfollow", None, event.created_at))
        newcomer = make_user("newcomer")
        services.profile_visit_record(visitor=newcomer, post_id=made[3].pk, profile=ana)
        self.run(lambda: graph.follow_create(follower=newcomer, followee=ana))
        event = FollowEvent.objects.get(follower=newcomer)
        h.visits.add((newcomer.pk, made[3].pk, event.created_at.date()))
        h.follows.append((ana.pk, newcomer.pk, "follow", made[3].pk, event.created_at))
        self.run(lambda: graph.block_create(blocker=ana, blocked=self.intruder))
        h.blocked.add((ana.pk, self.intruder.pk))


# --- The recount ----------------------------------------------------------------------------

NUMBERS = [
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
PER_POST = NUMBERS[:8]  # the numbers of a post; the others are the account's own


def recount(h: History, account: User, days: int) -> dict[str, Any]:
    """Count an account's insights straight from the generated events."""
    first = h.today - dt.timedelta(days=days - 1)
    mine = {pk for pk, author in h.authors.items() if author == account.pk}
    followers = {follower for followee, follower, *_ in _final_follows(h) if followee == account.pk}
    counted = [
        (post, viewer, source, at)
        for post, viewer, source, at in h.views
        if post in mine and viewer != account.pk and (account.pk, viewer) not in h.blocked
    ]
    tally = _Tally(first=first, today=h.today, mine=mine)
    window_views = [v for v in counted if tally.in_window(v[3])]
    tally.views(window_views, followers)
    tally.received(h)
    tally.activity(h, account)

    window = [first + dt.timedelta(days=n) for n in range(days)]
    totals = {name: sum(tally.series[day][name] for day in window) for name in NUMBERS}
    totals["reach"] = len({v[1] for v in window_views if v[1] is not None})
    return {
        "totals": totals,
        "series": [{"day": day, **{n: tally.series[day][n] for n in NUMBERS}} for day in window],
        "sources": {k: v for k, v in tally.sources.items() if v},
        "follower_hours": tally.hours,
        "top": tally.top(counted),
    }


@dataclass
class _Tally:
    """An account's counts by day and by post, within the window from ``first`` to today."""

    first: dt.date
    today: dt.date
    mine: set[int]
    series: defaultdict[dt.date, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    per_post: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    sources: Counter[str] = field(default_factory=Counter)
    hours: list[int] = field(default_factory=lambda: [0] * 24)

    def in_window(self, at: dt.datetime) -> bool:
        """Tell whether a moment falls in the window."""
        return self.first <= at.date() <= self.today

    def views(
        self, window_views: list[tuple[int, int | None, str, dt.datetime]], followers: set[int]
    ) -> None:
        """Count impressions, daily reach, sources and the hours followers watch."""
        reach_days: dict[dt.date, set[int]] = defaultdict(set)
        for post, viewer, source, at in window_views:
            self.series[at.date()]["impressions"] += 1
            self.per_post[post]["impressions"] += 1
            self.sources[source] += 1
            if viewer is not None:
                reach_days[at.date()].add(viewer)
            if viewer in followers:
                self.hours[at.hour] += 1
        for day, viewers in reach_days.items():
            self.series[day]["reach"] = len(viewers)

    def received(self, h: History) -> None:
        """Count what the account's posts received: likes, comments, saves, shares, visits."""
        self.count("likes", [(post, at) for (_, post), at in h.likes.items()])
        self.count("comments", [(post, at) for _, post, at in h.comments])
        self.count("saves", [(post, at) for (_, post), at in h.saves.items()])
        self.count("shares", h.shares)
        visit_times = [
            (post, dt.datetime.combine(day, dt.time(12), dt.UTC)) for _, post, day in h.visits
        ]
        self.count("profile_visits", visit_times)
        self.count(
            "follows", [(post, at) for _, _, kind, post, at in h.follows if post is not None]
        )

    def count(self, name: str, events: list[tuple[int, dt.datetime]]) -> None:
        """Count the events on the account's posts in the window, by day and by post."""
        for post, at in events:
            if post in self.mine and self.in_window(at):
                self.series[at.date()][name] += 1
                self.per_post[post][name] += 1

    def activity(self, h: History, account: User) -> None:
        """Count the followers gained and lost, and the likes and comments the account gave."""
        for followee, _, kind, _, at in h.follows:
            if followee == account.pk and self.in_window(at):
                gained = kind == "follow"
                self.series[at.date()]["followers_gained" if gained else "followers_lost"] += 1
        for (user, _), at in h.likes.items():
            if user == account.pk and self.in_window(at):
                self.series[at.date()]["likes_given"] += 1
        for user, _, at in h.comments:
            if user == account.pk and self.in_window(at):
                self.series[at.date()]["comments_made"] += 1

    def top(
        self, counted: list[tuple[int, int | None, str, dt.datetime]]
    ) -> dict[int, dict[str, Any]]:
        """Return the numbers of each of the account's posts published in the window."""
        top = {}
        for post in self.mine:
            created = Post.objects.get(pk=post).created_at.date()
            if created < self.first:
                continue
            reach = len({v[1] for v in counted if v[0] == post and v[1] is not None})
            engaged = sum(self.per_post[post][n] for n in ("likes", "comments", "saves", "shares"))
            top[post] = {
                **{n: self.per_post[post][n] for n in PER_POST},
                "reach": reach,
                "engagement_rate": min(round(engaged / reach, 4), 1.0) if reach else 0.0,
            }
        return top


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
    history: tuple[History, User, User], days: int, settings: LazySettings
) -> None:
    h, ana, bo = history
    # Yesterday is due as soon as it ends: in the first minutes after midnight the rollup's
    # usual wait would leave it live, and this test compares the rolled-up numbers.
    settings.GLIMPSE_INSIGHTS_ROLLUP_DELAY = 0
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
