"""Glimpse's own archive, made by the real export, imported into an account: moving between
Glimpse servers keeps posts, their dates, places, alt text and archived state, and stories."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from glimpse.imports.models import ArchiveImport
from glimpse.media.models import MediaItem
from glimpse.posts.models import Post
from glimpse.posts.services import PlaceSpec, post_archive, post_create
from glimpse.privacy.archive import archive_write
from glimpse.stories.models import Story

pytestmark = pytest.mark.django_db


def exported(user) -> bytes:
    """Return the account's archive as the "Download your data" job writes it."""
    target = io.BytesIO()
    archive_write(user=user, target=target, progress=lambda percent: None)
    return target.getvalue()


def test_a_glimpse_archive_moves_posts_stories_and_offers_the_bio(
    make_user, media_for, post_story, run_import
) -> None:
    old = make_user("ana_old", bio="Photos of the sea \U0001f30a")
    photo, second = media_for(old, 2)
    MediaItem.objects.filter(pk=photo.pk).update(alt_text="A wave")
    first = post_create(
        author=old,
        media_ids=[photo.pk, second.pk],
        caption="First swim #sea",
        place=PlaceSpec(name="Praia", address="Lisboa", lat=38.7, lng=-9.1),
    )
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=400))
    [hidden_media] = media_for(old, 1)
    hidden = post_create(author=old, media_ids=[hidden_media.pk], caption="just for me")
    post_archive(actor=old, post_id=hidden.pk)
    post_story(old, caption="now")
    data = exported(old)

    ana = make_user("ana")
    job = run_import(ana, data)

    assert job.status == ArchiveImport.Status.DONE
    assert job.source == "glimpse"
    assert job.report["posts"] == 2
    assert job.report["stories"] == 1
    assert job.report["skipped_count"] == 0
    assert job.offered_bio == "Photos of the sea \U0001f30a"
    moved_first, moved_hidden = Post.objects.filter(author=ana).order_by("id")
    assert moved_first.created_at == Post.objects.get(pk=first.pk).created_at
    assert moved_first.caption == "First swim #sea"
    assert moved_first.place is not None
    assert (moved_first.place.name, moved_first.place.lat) == ("Praia", 38.7)
    assert moved_first.items.count() == 2
    assert moved_first.items.order_by("position")[0].alt_text == "A wave"
    assert moved_first.imported_from == "glimpse"
    assert moved_hidden.is_archived
    assert not moved_first.is_archived
    [story] = Story.objects.filter(author=ana)
    assert story.archived
    assert story.caption == "now"


def test_importing_the_same_glimpse_archive_again_adds_nothing(
    make_user, publish, run_import
) -> None:
    old = make_user("ana_old")
    publish(old, caption="one")
    publish(old, caption="two")
    data = exported(old)
    ana = make_user("ana")
    run_import(ana, data)
    again = run_import(ana, data)
    assert again.report["posts"] == 0
    assert again.report["already"] == 2
    assert Post.objects.filter(author=ana).count() == 2
