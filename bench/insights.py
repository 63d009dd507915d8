"""Insights' hot paths: counting views, and reading a 90-day account summary.

Recording 1,000 impressions through the buffer (and flushing them in one batch) is compared
with one database write per view, the naive way; reading the 90-day summary from the daily
roll-ups is compared with recomputing the same summary from the raw rows. Both baselines are
measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from bench.harness import Result, compare, report
from glimpse.accounts.models import User
from glimpse.insights import rollup, selectors, services
from glimpse.insights.buffer import get_buffer
from glimpse.insights.models import ImpressionTally, PostViewer, RolledDay, Source
from glimpse.posts.models import Post

AUTHOR = "bench.insights"
POSTS, VIEWERS, DAYS = 30, 300, 90
VIEWS = 1000  # per measured round: 50 pages of 20 posts


def run() -> list[Result]:
    """Time the buffer against a write per view, and roll-ups against a recount."""
    call_command("migrate", verbosity=0)
    author, viewer = _dataset()
    # Views are counted on scratch posts, deleted afterwards, so the dataset stays the same.
    scratch = Post.objects.bulk_create(
        Post(author=author, caption="bench scratch") for _ in range(20)
    )
    pages = [[post.pk for post in scratch] for _ in range(VIEWS // 20)]

    def buffered() -> None:
        for page in pages:
            services.impressions_record(viewer=viewer, post_ids=page, source="feed")
        services.impressions_flush()

    def appended() -> None:
        for page in pages:
            services.impressions_record(viewer=viewer, post_ids=page, source="feed")

    def one_write_per_view() -> None:
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        for page in pages:
            for post_id in page:
                ImpressionTally.objects.create(
                    post_id=post_id, author=author, hour=hour, source="feed", count=1
                )

    results = [
        compare(
            f"record {VIEWS} impressions, then flush",
            buffered,
            baseline_name="one database write per view",
            baseline=one_write_per_view,
            operations=VIEWS,
            rounds=5,
            budget_ratio=0.2,
        )
    ]
    with override_settings(GLIMPSE_INSIGHTS_FLUSH_AT=10**9, GLIMPSE_INSIGHTS_FLUSH_SECONDS=10**9):
        results.append(
            compare(
                f"record {VIEWS} impressions (append only)",
                appended,
                baseline_name="one database write per view",
                baseline=one_write_per_view,
                operations=VIEWS,
                rounds=5,
                budget_ratio=0.05,
            )
        )
    get_buffer().clear()
    Post.objects.filter(pk__in=[post.pk for post in scratch]).delete()

    # The baseline hides the roll-ups, so every day is counted from the raw rows.
    def recount() -> object:
        with mock.patch.object(selectors, "_rolled", return_value=set()):
            return selectors.account_insights(viewer=author, days=DAYS)

    results.append(
        compare(
            f"{DAYS}-day account summary from roll-ups",
            lambda: selectors.account_insights(viewer=author, days=DAYS),
            baseline_name="recomputed from raw events",
            baseline=recount,
            operations=1,
            rounds=3,
            budget_ratio=0.5,
        )
    )
    report(results, suite="insights")
    return results


def _dataset() -> tuple[User, User]:
    """Create (once) an author whose posts had 90 days of views, rolled up."""
    author = User.objects.filter(username=AUTHOR).first()
    today = timezone.now().astimezone(dt.UTC).date()
    if author is not None and RolledDay.objects.filter(day=today - dt.timedelta(days=1)):
        return author, User.objects.filter(username__startswith="bench.iv").first() or author
    password = make_password("bench-password-long-enough")
    author = author or User.objects.create(
        username=AUTHOR, email="insights@bench.invalid", password=password
    )
    viewers = list(User.objects.filter(username__startswith="bench.iv"))
    if not viewers:
        viewers = User.objects.bulk_create(
            User(username=f"bench.iv{n:04d}", email=f"iv{n}@bench.invalid", password=password)
            for n in range(VIEWERS)
        )
    start = timezone.now() - dt.timedelta(days=DAYS)
    posts = Post.objects.bulk_create(
        Post(author=author, caption=f"#bench post {n}", created_at=start + dt.timedelta(days=3 * n))
        for n in range(POSTS)
    )
    rng = random.Random(7)
    tallies: list[ImpressionTally] = []
    seen: list[PostViewer] = []
    for offset in range(DAYS, -1, -1):
        day = today - dt.timedelta(days=offset)
        for post in posts:
            if post.created_at.date() > day:
                continue
            for source in rng.sample(Source.values, 3):
                hour = dt.datetime.combine(day, dt.time(rng.randrange(24)), dt.UTC)
                tallies.append(
                    ImpressionTally(
                        post=post,
                        author=author,
                        hour=hour,
                        source=source,
                        count=rng.randrange(1, 40),
                    )
                )
            seen.extend(
                PostViewer(post=post, author=author, viewer=viewer, day=day)
                for viewer in rng.sample(viewers, 15)
            )
    ImpressionTally.objects.bulk_create(tallies, batch_size=2000)
    PostViewer.objects.bulk_create(seen, batch_size=2000, ignore_conflicts=True)
    RolledDay.objects.all().delete()
    rollup.insights_rollup()
    return author, viewers[0]
