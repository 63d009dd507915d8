"""Periodic runs at the same moment (two beat processes), on PostgreSQL, whose row locks they
rely on: each due scheduled post is published by exactly one of them, never twice."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from glimpse.media.models import MediaItem
from glimpse.posts import services
from glimpse.posts.models import Draft, Post, PostItem
from glimpse.posts.services import drafts
from tests.threads import run_at_once, skip_locked_only, writable_by_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    skip_locked_only,
]

RUNS = 4
DUE = 12


def test_runs_at_once_publish_each_due_post_once(
    make_user, media_for, monkeypatch, tmp_path
) -> None:
    ana = make_user("ana")
    media = media_for(ana, DUE)
    for item in media:
        services.draft_create(
            author=ana,
            media_ids=[item.pk],
            caption=f"post {item.pk}",
            publish_at=timezone.now() + timedelta(hours=1),
        )
    Draft.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    # Each run holds its row a moment after making the post, so that the runs overlap.
    real = drafts.post_create

    def slow(**fields: Any) -> Post:
        post = real(**fields)
        time.sleep(0.05)
        return post

    monkeypatch.setattr(drafts, "post_create", slow)
    with writable_by_threads(tmp_path) as use:
        counts = run_at_once([services.drafts_publish_due] * RUNS, use=use)
    assert sum(counts) == DUE
    assert len([count for count in counts if count]) > 1  # the runs really shared the work
    assert Post.objects.count() == DUE
    assert sorted(Post.objects.values_list("caption", flat=True)) == sorted(
        f"post {item.pk}" for item in media
    )
    assert PostItem.objects.count() == DUE
    assert not Draft.objects.exists()
    assert MediaItem.objects.filter(attached_at__isnull=False, held_at__isnull=True).count() == DUE
    ana.refresh_from_db()
    assert ana.post_count == DUE
