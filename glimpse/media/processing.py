"""The processing job's work: render one version of a media item, safely twice.

The job takes ids only. It writes every file at a name fixed by the item's storage key and
version, so running it twice rewrites the same files, and it publishes its result with a
conditional update, so an older job finishing late never overwrites a newer edit.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from glimpse.core.errors import GlimpseError
from glimpse.core.event_bus import publish
from glimpse.core.events import MediaRendered
from glimpse.media import photos, video
from glimpse.media.blocklist import media_blocklist_check
from glimpse.media.filters import Edit, apply_edit
from glimpse.media.models import MediaItem
from glimpse.media.storage import local_copy, media_path, storage_delete_prefix, storage_put

logger = logging.getLogger(__name__)

EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "mp4": "mp4"}
FAILED_UNEXPECTEDLY = "We could not process this file. Try another one, or upload it again."


def media_render(media_id: int, version: int) -> None:
    """Render ``version`` of an item and publish it, or mark the item failed with a reason."""
    item = MediaItem.objects.filter(pk=media_id).first()
    if item is None or item.version != version or item.rendered_version >= version:
        return  # deleted, superseded by a newer edit, or already done
    try:
        result = _render(item)
    except GlimpseError as error:
        _fail(item, error.message)
        return
    except Exception:
        logger.exception("processing media %s version %s failed", media_id, version)
        _fail(item, FAILED_UNEXPECTEDLY)
        return
    _publish(item, result)


def _render(item: MediaItem) -> dict[str, Any]:
    if not item.original_name:
        _make_original(item)
    if item.rendered_version == 0:
        # A first render that looks like a removed image fails, and nothing is published.
        media_blocklist_check(item.original_name)
    edit = Edit.from_dict(item.edit)
    editor = None if edit.is_identity else (lambda image: apply_edit(image, edit))
    folder = f"v{item.version}"
    records: list[dict[str, Any]] = []
    if item.kind == MediaItem.Kind.VIDEO:
        # Edits change the poster only: the transcodes are made once and kept.
        records += [r for r in item.renditions if r["format"] == "mp4"] or _render_video(item)
    with local_copy(item.original_name) as original:
        crop = (
            photos.Crop(
                **{k: item.crop[k] for k in ("x", "y", "width", "height")},
                rotation=item.crop.get("rotation", 0),
            )
            if item.crop
            else None
        )
        rendered = photos.photo_render(original, crop=crop, edit=editor)
    prefix = "poster-" if item.kind == MediaItem.Kind.VIDEO else ""
    for rendition in rendered.renditions:
        name = f"{prefix}{rendition.name}.{EXTENSIONS[rendition.format]}"
        path = storage_put(media_path(item.storage_key, folder, name), rendition.data)
        records.append(
            {
                "name": prefix + rendition.name,
                "format": rendition.format,
                "width": rendition.width,
                "height": rendition.height,
                "path": path,
            }
        )
    return {
        "renditions": records,
        "blurhash": rendered.blurhash,
        "dominant_color": rendered.dominant_color,
    }


def _make_original(item: MediaItem) -> None:
    """Turn the raw upload into the clean original (photos) or the poster frame (videos)."""
    with local_copy(item.upload_name) as upload, tempfile.TemporaryDirectory() as work:
        if item.kind == MediaItem.Kind.PHOTO:
            target = Path(work) / "original"
            extension = photos.photo_clean_original(upload, target)
        else:
            target = Path(work) / "poster"
            photos.photo_from_image(video.video_poster(upload), target)
            extension = "jpg"
        name = media_path(item.storage_key, f"original.{extension}")
        with target.open("rb") as clean:
            storage_put(name, clean)
    item.original_name = name
    MediaItem.objects.filter(pk=item.pk).update(original_name=name)


def _render_video(item: MediaItem) -> list[dict[str, Any]]:
    records = []
    with local_copy(item.upload_name) as upload, tempfile.TemporaryDirectory() as work:
        info = video.video_probe(upload)
        for height in video.video_rendition_heights(info):
            target = Path(work) / f"{height}.mp4"
            rendition = video.video_transcode(upload, target, height=height)
            with target.open("rb") as data:
                path = storage_put(media_path(item.storage_key, "video", f"{height}.mp4"), data)
            records.append(
                {
                    "name": str(height),
                    "format": "mp4",
                    "width": rendition.width,
                    "height": rendition.height,
                    "path": path,
                }
            )
    return records


def _publish(item: MediaItem, result: dict[str, Any]) -> None:
    with transaction.atomic():
        published = MediaItem.objects.filter(pk=item.pk, version=item.version).update(
            status=MediaItem.Status.READY,
            failure_reason="",
            rendered_version=item.version,
            updated_at=timezone.now(),
            **result,
        )
        if not published:  # a newer edit arrived meanwhile: its own job will publish
            transaction.on_commit(
                lambda: storage_delete_prefix(media_path(item.storage_key, f"v{item.version}"))
            )
            return
        transaction.on_commit(lambda: _delete_leftovers(item))
        publish(MediaRendered(media_id=item.pk))


def _delete_leftovers(item: MediaItem) -> None:
    """Delete older versions' files and, once a version is out, the raw upload."""
    for old in range(1, item.version):
        storage_delete_prefix(media_path(item.storage_key, f"v{old}"))
    if item.upload_name:
        # The raw upload may hold GPS and other metadata: only clean files stay.
        default_storage.delete(item.upload_name)
        MediaItem.objects.filter(pk=item.pk).update(upload_name="")


def _fail(item: MediaItem, reason: str) -> None:
    MediaItem.objects.filter(pk=item.pk, version=item.version).update(
        status=MediaItem.Status.FAILED, failure_reason=reason[:300], updated_at=timezone.now()
    )
