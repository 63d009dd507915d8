"""Every write to media items: upload, edit, delete, attach, hold for a draft; the periodic
clean-ups; and the blocklist of removed images."""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from glimpse.core.jobs import enqueue, enqueue_on_commit
from glimpse.media import photos, video
from glimpse.media.blocklist import hex_hash
from glimpse.media.crops import SHAPES, crop_from_dict
from glimpse.media.filters import Edit
from glimpse.media.models import MediaBlock, MediaItem
from glimpse.media.processing import media_render
from glimpse.media.sniff import HEAD_BYTES, sniff_kind
from glimpse.media.storage import local_copy, media_path, storage_delete_prefix, storage_put

ACCEPTED = (
    "This kind of file is not supported. Upload a photo (JPEG, PNG, WebP, HEIC, AVIF, GIF) "
    "or a video (MP4, MOV, WebM)."
)


def media_upload(
    *,
    owner: User,
    upload: IO[bytes],
    size_bytes: int,
    edit: dict[str, Any] | None = None,
    crop: dict[str, Any] | None = None,
    alt_text: str = "",
    shape: str = "post",
    focus: tuple[float, float] | None = None,
    process_inline: bool = False,
) -> MediaItem:
    """Check an upload by its content and limits, store it and queue its processing.

    ``shape`` says where it will be shown: a post (4:5 to 1.91:1) or a story (up to 9:16);
    ``focus`` is the point a cropped preview keeps in view (each axis in -1..1).
    ``process_inline`` renders the item in this process before returning, instead of
    queuing the job: for a caller that is itself a background job and must wait for the
    result (call it outside a transaction: rendering a video takes a while).
    """
    if shape not in SHAPES:
        raise InvalidInput(fields={"shape": ['Choose "post" or "story".']})
    focus = None if focus is None else _checked_focus(focus)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = sniff_kind(head)
    if kind is None:
        raise UnsupportedMediaType(ACCEPTED, code="unsupported_media")
    limit = (
        settings.GLIMPSE_PHOTO_MAX_BYTES if kind == "photo" else settings.GLIMPSE_VIDEO_MAX_BYTES
    )
    if size_bytes > limit:
        raise PayloadTooLarge(f"A {kind} can be at most {limit // (1024 * 1024)} MB.")
    parsed_edit = Edit.from_dict(edit)
    alt_text = _checked_alt_text(alt_text)
    item = MediaItem(owner=owner, kind=kind, storage_key=secrets.token_hex(16), alt_text=alt_text)
    if focus is not None:
        item.focus_x, item.focus_y = focus
    item.upload_name = storage_put(media_path(item.storage_key, "upload"), upload)
    try:
        _describe_from_probe(item)
        if kind == "photo":
            item.crop = crop_from_dict(crop, width=item.width, height=item.height, shape=shape)
        item.edit = parsed_edit.to_dict()
        with transaction.atomic():
            item.save(force_insert=True)
            if not process_inline:
                enqueue_on_commit(_process_task(), item.pk, item.version)
    except BaseException:
        storage_delete_prefix(media_path(item.storage_key))  # nothing is left behind
        raise
    if process_inline:
        media_render(item.pk, item.version)
        item.refresh_from_db()
    return item


def media_update(
    *,
    owner: User,
    media_id: int,
    edit: dict[str, Any] | None = None,
    crop: dict[str, Any] | None = None,
    alt_text: str | None = None,
    show_camera: bool | None = None,
    focus: tuple[float, float] | None = None,
) -> MediaItem:
    """Change an item's edit, crop, alt text, camera display or focal point; re-render when
    the look changes.

    ``edit`` holds the edit fields to change (filter, strength, adjustments); the others keep
    their value. The merge happens under the row lock, so two edits at once lose nothing.
    """
    with transaction.atomic():
        item = _owned(owner, media_id, lock=True)
        changes: dict[str, Any] = {}
        if edit is not None:
            changes["edit"] = Edit.from_dict({**item.edit, **edit}).to_dict()
        if crop is not None:
            if item.kind != MediaItem.Kind.PHOTO:
                raise InvalidInput(fields={"crop": ["Only photos can be cropped."]})
            changes["crop"] = crop_from_dict(crop, width=item.width, height=item.height)
        if alt_text is not None:
            changes["alt_text"] = _checked_alt_text(alt_text)
        if show_camera is not None:
            changes["show_camera"] = show_camera
        if focus is not None:
            changes["focus_x"], changes["focus_y"] = _checked_focus(focus)
        rerender = any(
            changes.get(k, getattr(item, k)) != getattr(item, k) for k in ("edit", "crop")
        )
        if rerender and item.status == MediaItem.Status.FAILED:
            raise Conflict(
                "This file could not be processed; upload it again.", code="failed_media"
            )
        for field, value in changes.items():
            setattr(item, field, value)
        if rerender:
            item.version += 1
            item.status = MediaItem.Status.PROCESSING
            enqueue_on_commit(_process_task(), item.pk, item.version)
        item.updated_at = timezone.now()
        item.save()
    return item


def media_delete(*, owner: User, media_id: int) -> None:
    """Delete an item that is not attached to anything, with all its files."""
    with transaction.atomic():
        item = _owned(owner, media_id, lock=True)
        if item.attached_at is not None:
            raise Conflict(
                "This item is part of a post or story; delete that instead.", code="attached"
            )
        if item.held_at is not None:
            raise Conflict(
                "This item is part of a draft or a scheduled post: remove it there, or delete "
                "the draft.",
                code="in_draft",
            )
        key = item.storage_key
        item.delete()
        transaction.on_commit(lambda: storage_delete_prefix(media_path(key)))


def media_attach(*, owner: User, media_ids: Sequence[int]) -> list[MediaItem]:
    """Mark the owner's ready items as attached (to a post or story), in the order given."""
    if len(set(media_ids)) != len(media_ids):
        raise InvalidInput(fields={"media_ids": ["An item can appear only once."]})
    items = {
        m.pk: m for m in MediaItem.objects.select_for_update().filter(owner=owner, pk__in=media_ids)
    }
    missing = [str(i) for i in media_ids if i not in items]
    if missing:
        raise NotFound("No media item with id " + ", ".join(missing) + ".")
    not_ready = [str(i) for i in media_ids if items[i].status != MediaItem.Status.READY]
    if not_ready:
        raise Conflict(
            "These items are not ready yet: " + ", ".join(not_ready) + ".", code="not_ready"
        )
    now = timezone.now()
    MediaItem.objects.filter(pk__in=media_ids, attached_at__isnull=True).update(attached_at=now)
    return [items[i] for i in media_ids]


def media_hold(*, owner: User, media_ids: Sequence[int]) -> list[MediaItem]:
    """Keep the owner's unattached items for a draft (past the clean-up), in the order given.

    Items need not be ready yet: a draft may be saved while its videos are processing.
    """
    items = {
        m.pk: m for m in MediaItem.objects.select_for_update().filter(owner=owner, pk__in=media_ids)
    }
    missing = [str(i) for i in media_ids if i not in items]
    if missing:
        raise NotFound("No media item with id " + ", ".join(missing) + ".")
    if taken := [str(i) for i in media_ids if items[i].attached_at is not None]:
        raise Conflict(
            "These items are already part of a post or story: " + ", ".join(taken) + ".",
            code="attached",
        )
    MediaItem.objects.filter(pk__in=media_ids, held_at__isnull=True).update(held_at=timezone.now())
    return [items[i] for i in media_ids]


def media_release(*, owner: User, media_ids: Sequence[int], delete: bool = False) -> None:
    """Stop holding the owner's items for a draft; with ``delete``, delete the unattached ones
    with their files (a draft deleted without being published)."""
    items = MediaItem.objects.filter(owner=owner, pk__in=media_ids)
    if not delete:
        items.update(held_at=None)
        return
    gone = items.filter(attached_at__isnull=True)
    keys = list(gone.values_list("storage_key", flat=True))
    gone.delete()

    def files_delete() -> None:
        for key in keys:
            storage_delete_prefix(media_path(key))

    transaction.on_commit(files_delete)


def media_block_add(
    *, phashes: Sequence[int], source: str, action_id: int | None = None
) -> list[MediaBlock]:
    """Block images by their difference hashes: a later upload that looks the same is refused.

    ``blocklist.media_hashes`` reads the hashes of stored items (before their files go);
    ``source`` says why, and ``action_id`` names the moderator's action, if any.
    """
    return MediaBlock.objects.bulk_create(
        MediaBlock(phash=hex_hash(value), source=source[:200], action_id=action_id)
        for value in phashes
    )


def media_requeue_stuck() -> int:
    """Queue again the items left in processing for too long (a killed worker); return how many."""
    cutoff = timezone.now() - timedelta(minutes=settings.GLIMPSE_MEDIA_STUCK_MINUTES)
    stuck = list(
        MediaItem.objects.filter(
            status=MediaItem.Status.PROCESSING, updated_at__lt=cutoff
        ).values_list("pk", "version")
    )
    for media_id, version in stuck:
        MediaItem.objects.filter(pk=media_id).update(updated_at=timezone.now())
        enqueue(_process_task(), media_id, version)
    return len(stuck)


def media_delete_unattached() -> int:
    """Delete items never attached to anything a day after their upload; return how many.

    Items a draft or a scheduled post holds stay (``media_hold``), however old.
    """
    cutoff = timezone.now() - timedelta(hours=settings.GLIMPSE_MEDIA_UNATTACHED_HOURS)
    old = MediaItem.objects.filter(
        attached_at__isnull=True, held_at__isnull=True, created_at__lt=cutoff
    )
    keys = list(old.values_list("storage_key", flat=True))
    old.delete()
    for key in keys:
        storage_delete_prefix(media_path(key))
    return len(keys)


def _owned(owner: User, media_id: int, *, lock: bool = False) -> MediaItem:
    items = MediaItem.objects.select_for_update() if lock else MediaItem.objects.all()
    item = items.filter(pk=media_id, owner=owner).first()
    if item is None:
        raise NotFound("No media item with this id.")
    return item


def _checked_alt_text(alt_text: str) -> str:
    alt_text = alt_text.strip()
    if len(alt_text) > settings.GLIMPSE_ALT_TEXT_MAX:
        raise InvalidInput(
            fields={
                "alt_text": [f"Alt text has at most {settings.GLIMPSE_ALT_TEXT_MAX} characters."]
            }
        )
    return alt_text


def _checked_focus(focus: tuple[float, float]) -> tuple[float, float]:
    x, y = focus
    if not all(math.isfinite(value) and -1 <= value <= 1 for value in (x, y)):
        raise InvalidInput(fields={"focus": ["A focal point is two numbers between -1 and 1."]})
    return (float(x), float(y))


def _describe_from_probe(item: MediaItem) -> None:
    """Fill the item's size, duration and camera facts from its header, checking limits."""
    with local_copy(item.upload_name) as path:
        if item.kind == MediaItem.Kind.PHOTO:
            probe = photos.photo_probe(path)
            item.width, item.height, item.camera = probe.width, probe.height, dict(probe.camera)
        else:
            info = video.video_probe(path)
            item.width, item.height = info.width, info.height
            item.duration, item.has_audio = info.duration, info.has_audio


def _process_task() -> Any:
    from glimpse.media.tasks import media_process

    return media_process
