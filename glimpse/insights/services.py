"""Insights writes: record impressions, flush them, shares, profile visits, follow events.

The read paths call ``impressions_record`` once per page (or publish ``PostsShown``, which
``glimpse.insights.subscribers`` passes on): an append to the buffer, never a database
write. ``impressions_flush`` (every minute, and once the buffer fills, queued at most
once at a time) turns batches into hourly tallies and daily distinct viewers. Times are UTC.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.graph.models import Follow
from glimpse.graph.visibility import blocked_pairs
from glimpse.insights.buffer import get_buffer
from glimpse.insights.models import (
    FlushedBatch,
    FollowEvent,
    ImpressionTally,
    PostViewer,
    ProfileVisit,
    ShareEvent,
    Source,
)
from glimpse.posts.models import Post
from glimpse.posts.selectors import post_permalink
from glimpse.posts.selectors.posts import posts_visible

MISSING_POST = "No post with this id."

logger = logging.getLogger(__name__)


def impressions_record(
    *,
    viewer: User | None,
    post_ids: Sequence[int],
    source: str,
    at: dt.datetime | None = None,
) -> None:
    """Note that ``post_ids`` were shown to ``viewer`` (None: anonymous) from ``source``."""
    viewer_id = viewer.pk if viewer is not None else None
    impressions_record_for(viewer_id=viewer_id, post_ids=post_ids, source=source, at=at)


def impressions_record_for(
    *,
    viewer_id: int | None,
    post_ids: Sequence[int],
    source: str,
    at: dt.datetime | None = None,
) -> None:
    """Note that ``post_ids`` were shown to the account ``viewer_id`` (None: anonymous)."""
    if not post_ids:
        return
    if source not in Source.values:
        raise InvalidInput(f"Unknown impression source {source!r}.", code="bad_source")
    when = int((at or timezone.now()).timestamp())
    viewer_id = viewer_id or 0
    buffer = get_buffer()
    waiting = buffer.append([f"{int(pk)} {viewer_id} {source} {when}" for pk in post_ids])
    if (
        waiting >= settings.GLIMPSE_INSIGHTS_FLUSH_AT
        or buffer.oldest_age() >= settings.GLIMPSE_INSIGHTS_FLUSH_SECONDS
    ):
        # After commit: a request rolled back must not leave a mark with no job behind it.
        transaction.on_commit(impressions_flush_schedule)


def impressions_flush_schedule() -> bool:
    """Queue a flush job unless one is queued already; return whether this call queued one.

    A full buffer stays full until the flush runs, so every page recorded meanwhile asks for a
    flush: the mark lets exactly one of them queue the job, however many ask.
    """
    buffer = get_buffer()
    if not buffer.flush_mark(settings.GLIMPSE_INSIGHTS_FLUSH_MARK_SECONDS):
        return False
    # Imported here: the job module imports this one.
    from glimpse.core.jobs import enqueue
    from glimpse.insights.tasks import impressions_flush_job

    try:
        enqueue(impressions_flush_job)
    except BaseException:
        buffer.flush_unmark()  # nothing was queued: the next page may try again
        raise
    return True


def impressions_flush(*, max_batches: int | None = None) -> int:
    """Count the buffered impressions into the database; return how many were counted.

    It first clears the "flush scheduled" mark, so that views recorded while it runs can
    queue the next flush; a flush that runs twice or dies halfway loses or doubles nothing.
    """
    buffer = get_buffer()
    buffer.flush_unmark()
    counted = 0
    for batch, entries in buffer.pending():  # left by a flush that died halfway
        counted += _count_or_drop(batch, entries)
        buffer.release(batch)
    done = 0
    while max_batches is None or done < max_batches:
        taken = buffer.take(settings.GLIMPSE_INSIGHTS_BATCH)
        if taken is None:
            break
        counted += _count_or_drop(*taken)
        buffer.release(taken[0])
        done += 1
    return counted


def share_create(*, user: User, post_id: int) -> str:
    """Record that ``user`` copied or sent the link of a post they see; return the link."""
    post = posts_visible(viewer=user).filter(pk=post_id).first()
    if post is None:
        raise NotFound(MISSING_POST)
    ShareEvent.objects.create(post=post, author_id=post.author_id, sharer=user)
    return post_permalink(post_id=post.pk)


def profile_visit_record(
    *,
    visitor: User,
    post_id: int,
    profile: User | None = None,
    at: dt.datetime | None = None,
) -> bool:
    """Record a visit to a post's author's profile from the post; once per visitor and day.

    ``profile``, when given, is the profile visited: a post of another account is ignored.
    """
    author_id = (
        posts_visible(viewer=visitor).filter(pk=post_id).values_list("author_id", flat=True).first()
    )
    if author_id is None or author_id == visitor.pk:
        return False
    if profile is not None and author_id != profile.pk:
        return False
    when = at or timezone.now()
    visit = ProfileVisit(
        post_id=post_id, author_id=author_id, visitor=visitor, day=when.date(), created_at=when
    )
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # visited from this post already today
        return False
    return True


def follow_events_record(
    *, pairs: Iterable[tuple[int, int]], gained: bool, at: dt.datetime | None = None
) -> list[FollowEvent]:
    """Record (followee, follower) follows gained or lost, crediting a recent profile visit."""
    when = at or timezone.now()
    since = when - dt.timedelta(seconds=settings.GLIMPSE_INSIGHTS_FOLLOW_WINDOW)
    kind = FollowEvent.Kind.FOLLOW if gained else FollowEvent.Kind.UNFOLLOW
    pairs = list(pairs)
    # A deleted account takes its events with it: none is recorded for it.
    existing = _existing({pk for pair in pairs for pk in pair})
    events = []
    for followee_id, follower_id in pairs:
        if followee_id not in existing or follower_id not in existing:
            continue
        post_id = None
        if gained:
            post_id = (
                ProfileVisit.objects.filter(
                    visitor_id=follower_id,
                    author_id=followee_id,
                    created_at__gte=since,
                    created_at__lte=when,
                )
                .order_by("-created_at")
                .values_list("post_id", flat=True)
                .first()
            )
        events.append(
            FollowEvent(
                followee_id=followee_id,
                follower_id=follower_id,
                kind=kind,
                post_id=post_id,
                created_at=when,
            )
        )
    return FollowEvent.objects.bulk_create(events)


# --- Helpers --------------------------------------------------------------------------------


def _count_or_drop(batch: str, entries: list[str]) -> int:
    """Count a batch; one the database refuses is logged and dropped, never retried forever."""
    try:
        return _count_batch(batch, entries)
    except IntegrityError:  # a post or an account deleted in the middle of the flush
        logger.exception("Insights: dropped a batch of %d impressions", len(entries))
        return 0


def _count_batch(batch: str, entries: list[str]) -> int:
    """Count one batch in one transaction, unless a transaction already counted it."""
    parsed = [item for item in map(_parse, entries) if item is not None]
    with transaction.atomic():
        # Two flushes may both find a batch left pending; the second waits here, then skips it.
        _, created = FlushedBatch.objects.get_or_create(batch=batch)
        if not created:
            return 0
        post_ids = {post_id for post_id, *_ in parsed}
        authors = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "author_id"))
        viewer_ids = _existing({viewer for _, viewer, *_ in parsed if viewer})
        blocked = blocked_pairs(viewer_ids, set(authors.values()))
        follows = set(
            Follow.objects.filter(
                follower_id__in=viewer_ids, followee_id__in=set(authors.values())
            ).values_list("follower_id", "followee_id")
        )
        tallies: Counter[tuple[int, int, dt.datetime, str]] = Counter()
        by_followers: Counter[tuple[int, int, dt.datetime, str]] = Counter()
        seen: set[tuple[int, int, int, dt.date]] = set()
        for post_id, viewer_id, source, when in parsed:
            author_id = authors.get(post_id)
            # A deleted post, the author's own views, and views across a block are not counted.
            if author_id is None or viewer_id == author_id or (viewer_id, author_id) in blocked:
                continue
            if viewer_id and viewer_id not in viewer_ids:  # deleted since: an anonymous view
                viewer_id = 0
            key = (post_id, author_id, when.replace(minute=0, second=0), source)
            tallies[key] += 1
            if viewer_id:
                seen.add((post_id, author_id, viewer_id, when.date()))
                if (viewer_id, author_id) in follows:
                    by_followers[key] += 1
        ImpressionTally.objects.bulk_create(
            ImpressionTally(
                post_id=post_id,
                author_id=author_id,
                hour=hour,
                source=source,
                count=count,
                follower_count=by_followers[(post_id, author_id, hour, source)],
            )
            for (post_id, author_id, hour, source), count in tallies.items()
        )
        PostViewer.objects.bulk_create(
            (
                PostViewer(post_id=post_id, author_id=author_id, viewer_id=viewer_id, day=day)
                for post_id, author_id, viewer_id, day in seen
            ),
            ignore_conflicts=True,
            batch_size=1000,
        )
        return sum(tallies.values())


def _existing(account_ids: set[int]) -> set[int]:
    """Return those of the accounts that still exist."""
    if not account_ids:
        return set()
    return set(User.objects.filter(pk__in=account_ids).values_list("pk", flat=True))


def _parse(entry: str) -> tuple[int, int, str, dt.datetime] | None:
    try:
        post, viewer, source, when = entry.split(" ")
        at = dt.datetime.fromtimestamp(int(when), tz=dt.UTC)
        return int(post), int(viewer), source, at
    except ValueError:  # a malformed entry cannot be counted; the rest of the batch can
        return None
