"""The periodic job publishes each due scheduled post once, as any post (fan-out, mentions),
and survives what can go wrong: a refusal, a crash halfway, the database going away."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from glimpse.media.models import MediaItem
from glimpse.notifications.models import Notification
from glimpse.posts import services
from glimpse.posts.models import Draft, Post
from glimpse.posts.services import drafts
from glimpse.posts.tasks import posts_publish_scheduled
from tests.feeds.conftest import feed_of
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(media_for) -> Callable[..., Draft]:
    """Schedule a post of fresh photos, then move its time to ``due_in`` from now."""

    def make(author: Any, *, due_in: timedelta = timedelta(0), count: int = 1, **fields: Any):
        media = media_for(author, count)
        draft = services.draft_create(
            author=author,
            media_ids=[m.pk for m in media],
            publish_at=timezone.now() + timedelta(hours=1),
            **fields,
        )
        Draft.objects.filter(pk=draft.pk).update(publish_at=timezone.now() + due_in)
        draft.refresh_from_db()
        return draft

    return make


def test_a_due_post_is_published_once_fanned_out_and_notified(
    make_user, schedule, run_commit_hooks
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    follow(bea, ana)
    assert feed_of(bea) == []  # built now: the post must arrive by fan-out
    draft = schedule(ana, caption="Hello @bea")
    media_ids = list(draft.items.values_list("media_id", flat=True))
    assert run_commit_hooks(lambda: posts_publish_scheduled.apply(throw=True).get()) == 1
    [post] = Post.objects.all()
    assert post.caption == "Hello @bea"
    assert list(post.items.values_list("media_id", flat=True)) == media_ids
    assert not Draft.objects.exists()
    assert feed_of(bea) == [(post.pk, None)]
    assert Notification.objects.filter(recipient=bea, post=post).exists()
    assert run_commit_hooks(services.drafts_publish_due) == 0
    assert Post.objects.count() == 1


def test_posts_not_due_drafts_and_failed_ones_are_left(make_user, schedule, media_for) -> None:
    ana = make_user("ana")
    later = schedule(ana, due_in=timedelta(minutes=5))
    failed = schedule(ana)
    Draft.objects.filter(pk=failed.pk).update(failure="refused", failed_at=timezone.now())
    [photo] = media_for(ana)
    plain = services.draft_create(author=ana, media_ids=[photo.pk])
    assert services.drafts_publish_due() == 0
    assert set(Draft.objects.values_list("pk", flat=True)) == {later.pk, failed.pk, plain.pk}
    assert not Post.objects.exists()


def test_due_posts_go_out_soonest_first_and_a_late_one_is_logged(
    make_user, schedule, caplog
) -> None:
    ana = make_user("ana")
    late = schedule(ana, due_in=-timedelta(hours=3), caption="late")
    schedule(ana, due_in=-timedelta(seconds=10), caption="on time")
    with caplog.at_level(logging.WARNING, logger=drafts.__name__):
        assert services.drafts_publish_due() == 2
    assert list(Post.objects.order_by("pk").values_list("caption", flat=True)) == [
        "late",
        "on time",
    ]
    [record] = [r for r in caplog.records if r.name == drafts.__name__]
    assert f"Scheduled post {late.pk} published" in record.getMessage()
    assert "late" in record.getMessage()


def test_a_post_refused_at_publishing_stays_a_draft_marked_failed(
    make_user, schedule, settings
) -> None:
    ana = make_user("ana")
    draft = schedule(ana, caption="x" * 30)
    settings.GLIMPSE_CAPTION_MAX = 10  # lowered since it was scheduled
    assert services.drafts_publish_due() == 0
    draft.refresh_from_db()
    assert "caption: At most 10 characters" in draft.failure
    assert draft.failed_at is not None
    assert not Post.objects.exists()
    assert MediaItem.objects.filter(held_at__isnull=False, attached_at__isnull=True).count() == 1
    assert services.drafts_publish_due() == 0  # not tried again as it is
    # Its author fixes it: the next run publishes it.
    services.draft_update(actor=ana, draft_id=draft.pk, caption="short")
    assert services.drafts_publish_due() == 1
    assert list(Post.objects.values_list("caption", flat=True)) == ["short"]


def test_a_post_whose_media_are_gone_fails_with_the_reason(make_user, schedule) -> None:
    ana = make_user("ana")
    draft = schedule(ana)
    MediaItem.objects.filter(owner=ana).delete()  # e.g. removed by the moderators
    assert services.drafts_publish_due() == 0
    draft.refresh_from_db()
    assert "at least one photo or video" in draft.failure
    assert not Post.objects.exists()


def test_one_failure_does_not_hold_up_the_others(make_user, schedule, settings) -> None:
    ana = make_user("ana")
    schedule(ana, due_in=-timedelta(minutes=2), caption="x" * 30)
    schedule(ana, due_in=-timedelta(minutes=1), caption="fine")
    settings.GLIMPSE_CAPTION_MAX = 10
    assert services.drafts_publish_due() == 1
    assert list(Post.objects.values_list("caption", flat=True)) == ["fine"]


def test_a_crash_after_the_post_was_made_rolls_back_and_the_next_run_publishes_it(
    make_user, schedule, monkeypatch
) -> None:
    ana = make_user("ana")
    draft = schedule(ana)
    real = drafts.post_create

    def made_then_killed(**fields: Any) -> Post:
        real(**fields)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(drafts, "post_create", made_then_killed)
    assert services.drafts_publish_due() == 0
    assert not Post.objects.exists()
    assert Draft.objects.filter(pk=draft.pk, failed_at__isnull=True).exists()
    assert MediaItem.objects.filter(held_at__isnull=False, attached_at__isnull=True).count() == 1
    ana.refresh_from_db()
    assert ana.post_count == 0
    monkeypatch.setattr(drafts, "post_create", real)
    assert services.drafts_publish_due() == 1
    assert Post.objects.count() == 1
    assert not Draft.objects.exists()


def test_with_the_database_down_the_run_fails_and_the_next_one_catches_up(
    make_user, schedule
) -> None:
    ana = make_user("ana")
    draft = schedule(ana, due_in=-timedelta(minutes=30))

    def down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "posts_draft" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(down), pytest.raises(OperationalError):
        services.drafts_publish_due()
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert not Post.objects.exists()
    assert services.drafts_publish_due() == 1
    assert Post.objects.count() == 1


def test_the_database_failing_midway_leaves_the_post_for_the_next_run(make_user, schedule) -> None:
    ana = make_user("ana")
    draft = schedule(ana)

    def fails_on_posts(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT") and "posts_post" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fails_on_posts):
        assert services.drafts_publish_due() == 0
    assert Draft.objects.filter(pk=draft.pk, failed_at__isnull=True).exists()
    assert not Post.objects.exists()
    assert services.drafts_publish_due() == 1


def test_its_author_is_told_once_per_failure(
    make_user, schedule, settings, run_commit_hooks
) -> None:
    ana = make_user("ana")
    draft = schedule(ana, caption="x" * 30)
    settings.GLIMPSE_CAPTION_MAX = 10
    assert run_commit_hooks(services.drafts_publish_due) == 0
    [notice] = Notification.objects.filter(recipient=ana)
    assert notice.kind == "scheduled_failed"
    assert notice.text.startswith("Your scheduled post was not published: ")
    assert "At most 10 characters" in notice.text
    assert run_commit_hooks(services.drafts_publish_due) == 0  # left alone: not told again
    assert Notification.objects.filter(recipient=ana).count() == 1
    # Tried again (as after an edit, which clears the failure) and refused: told again.
    Draft.objects.filter(pk=draft.pk).update(failure="", failed_at=None)
    assert run_commit_hooks(services.drafts_publish_due) == 0
    assert Notification.objects.filter(recipient=ana, kind="scheduled_failed").count() == 2
