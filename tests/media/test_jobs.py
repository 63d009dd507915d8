"""The processing job is idempotent; periodic jobs re-queue stuck items and clean up."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from glimpse.core.errors import Conflict, NotFound
from glimpse.media import processing, services
from glimpse.media.models import MediaItem
from tests.accounts.images import jpeg_with_gps
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(user, run_commit_hooks) -> MediaItem:
    data = jpeg_with_gps((900, 700))
    return run_commit_hooks(
        lambda: services.media_upload(owner=user, upload=io.BytesIO(data), size_bytes=len(data))
    )


def test_running_the_job_twice_changes_nothing(item: MediaItem, run_commit_hooks) -> None:
    item.refresh_from_db()
    files_before = {p: p.read_bytes() for p in stored_files(settings.MEDIA_ROOT)}
    renditions_before = item.renditions
    # Force the same version to be rendered again, as a retried job would.
    MediaItem.objects.filter(pk=item.pk).update(rendered_version=0, status="processing")
    run_commit_hooks(lambda: processing.media_render(item.pk, item.version))
    item.refresh_from_db()
    assert item.status == "ready"
    assert item.renditions == renditions_before
    assert {p: p.read_bytes() for p in stored_files(settings.MEDIA_ROOT)} == files_before


def test_a_late_job_for_an_old_version_publishes_nothing(item: MediaItem) -> None:
    MediaItem.objects.filter(pk=item.pk).update(version=5, status="processing")
    processing.media_render(item.pk, 1)
    item.refresh_from_db()
    assert item.status == "processing"
    assert item.rendered_version == 1


def test_stuck_items_are_queued_again(item: MediaItem, run_commit_hooks) -> None:
    long_ago = timezone.now() - timedelta(hours=1)
    MediaItem.objects.filter(pk=item.pk).update(
        status="processing", rendered_version=0, updated_at=long_ago
    )
    assert run_commit_hooks(services.media_requeue_stuck) == 1
    item.refresh_from_db()
    assert item.status == "ready"
    assert services.media_requeue_stuck() == 0


def test_items_never_attached_are_deleted_after_a_day(item: MediaItem, user) -> None:
    assert services.media_delete_unattached() == 0
    MediaItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert services.media_delete_unattached() == 1
    assert not MediaItem.objects.filter(pk=item.pk).exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_only_the_owner_can_attach_ready_items(item: MediaItem, make_user) -> None:
    stranger = make_user("stranger")
    with pytest.raises(NotFound):
        services.media_attach(owner=stranger, media_ids=[item.pk])
    item.refresh_from_db()
    assert item.attached_at is None
    MediaItem.objects.filter(pk=item.pk).update(status="processing")
    with pytest.raises(Conflict):
        services.media_attach(owner=item.owner, media_ids=[item.pk])
    MediaItem.objects.filter(pk=item.pk).update(status="ready")
    attached = services.media_attach(owner=item.owner, media_ids=[item.pk])
    assert [m.pk for m in attached] == [item.pk]
    item.refresh_from_db()
    assert item.attached_at is not None
    # Attached items survive the clean-up and cannot be deleted on their own.
    MediaItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert services.media_delete_unattached() == 0
    with pytest.raises(Conflict):
        services.media_delete(owner=item.owner, media_id=item.pk)


def test_an_upload_processed_inline_is_ready_and_queues_no_job(
    user, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[object, ...]] = []
    monkeypatch.setattr(services, "enqueue_on_commit", lambda *args: queued.append(args))
    data = jpeg_with_gps((900, 700))
    item = services.media_upload(
        owner=user, upload=io.BytesIO(data), size_bytes=len(data), process_inline=True
    )
    assert item.status == "ready"
    assert item.rendered_version == item.version == 1
    assert item.renditions
    assert queued == []
    # Without it, the job is queued and the item waits for it.
    waiting = services.media_upload(owner=user, upload=io.BytesIO(data), size_bytes=len(data))
    assert waiting.status == "processing"
    assert len(queued) == 1
