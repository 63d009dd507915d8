"""Every read of media items, scoped to the viewer."""

from __future__ import annotations

from typing import TypedDict

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.media.models import MediaItem


def media_get_own(*, viewer: User, media_id: int) -> MediaItem:
    """Return one of the viewer's own media items, or raise NotFound (also for others' items)."""
    item = MediaItem.objects.filter(pk=media_id, owner=viewer).first()
    if item is None:
        raise NotFound("No media item with this id.")
    return item


def media_get_own_unattached(*, viewer: User, media_id: int) -> MediaItem:
    """Return one of the viewer's items not yet part of a post or story, or raise NotFound."""
    item = MediaItem.objects.filter(pk=media_id, owner=viewer, attached_at__isnull=True).first()
    if item is None:
        raise NotFound("No media item with this id.")
    return item


def media_list_own(*, viewer: User) -> QuerySet[MediaItem]:
    """Return the viewer's media items not attached to anything yet, newest first (those a
    draft holds are listed with their draft instead)."""
    return MediaItem.objects.filter(
        owner=viewer, attached_at__isnull=True, held_at__isnull=True
    ).order_by("-id")


class Rendition(TypedDict):
    """One public rendition of a media item: which, its format and size, and its URL."""

    name: str
    format: str
    width: int
    height: int
    url: str


def media_renditions(item: MediaItem) -> list[Rendition]:
    """Return the item's public renditions with their URLs (the unfiltered base stays private)."""
    return [
        Rendition(
            name=r["name"],
            format=r["format"],
            width=r["width"],
            height=r["height"],
            url=default_storage.url(r["path"]),
        )
        for r in item.renditions
        if not r["name"].endswith("base")
    ]


def media_thumb_url(item: MediaItem) -> str | None:
    """Return the picture a small tile shows: a 320 px rendition (a video's poster), or the
    next size there is, WebP first; None until the item is ready."""
    if item.status != MediaItem.Status.READY:
        return None
    by_name = {(r["name"], r["format"]): r["url"] for r in media_renditions(item)}
    prefix = "poster-" if item.kind == MediaItem.Kind.VIDEO else ""
    for name in ("320", "640", "thumb", "1080"):
        for fmt in ("webp", "jpeg"):
            if url := by_name.get((prefix + name, fmt)):
                return str(url)
    return None


def media_base_path(item: MediaItem) -> str | None:
    """Return the storage name of the unfiltered base rendition previews start from."""
    for record in item.renditions:
        if record["name"] in ("base", "poster-base"):
            return str(record["path"])
    return None


def media_original_path(item: MediaItem) -> str | None:
    """Return what the owner downloads as the original: the clean photo or the largest video."""
    if item.kind == MediaItem.Kind.PHOTO:
        return item.original_name or None
    videos = [r for r in item.renditions if r["format"] == "mp4"]
    return str(max(videos, key=lambda r: r["height"])["path"]) if videos else None
