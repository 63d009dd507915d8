"""Mastodon's MediaAttachment, from Glimpse's media presenter: an image or a video.

An upload still processing has no pictures yet: its ``url`` and ``preview_url`` are null,
as Mastodon answers until its own processing ends.
"""

from __future__ import annotations

from typing import Any

from glimpse.media.models import MediaItem
from glimpse.media.presenters import MediaView, media_view
from glimpse.media.selectors import Rendition

PREVIEW_WIDTH = 640  # the picture clients show in a timeline


def media_attachment(view: MediaView) -> dict[str, Any]:
    """Return a media item as Mastodon's MediaAttachment (``meta`` sizes, alt text, blurhash)."""
    pictures = [r for r in view.renditions if r["format"] != "mp4" and r["name"] != "thumb"]
    pictures = pictures or [r for r in view.renditions if r["format"] != "mp4"]
    preview = _preview(pictures)
    if view.is_video:
        videos = [r for r in view.renditions if r["format"] == "mp4"]
        shown = max(videos, key=lambda r: r["width"], default=None)
    else:
        shown = _widest(pictures)
    original = _size(view.width, view.height)
    if view.is_video and view.duration is not None:
        original["duration"] = view.duration
    meta: dict[str, Any] = {"original": original}
    if preview is not None:
        meta["small"] = _size(preview["width"], preview["height"])
    if view.focus is not None:
        meta["focus"] = {"x": view.focus[0], "y": view.focus[1]}
    return {
        "id": str(view.id),
        "type": "video" if view.is_video else "image",
        "url": shown["url"] if shown else None,
        "preview_url": preview["url"] if preview else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": view.alt_text or None,
        "blurhash": view.blurhash or None,
    }


def upload_attachment(item: MediaItem) -> dict[str, Any]:
    """Return one of the account's uploads as a MediaAttachment, ready or still processing."""
    if item.status == MediaItem.Status.READY:
        return media_attachment(media_view(item))
    meta: dict[str, Any] = {}
    if item.width and item.height:
        meta["original"] = _size(item.width, item.height)
    if item.focus is not None:
        meta["focus"] = {"x": item.focus[0], "y": item.focus[1]}
    return {
        "id": str(item.pk),
        "type": "video" if item.kind == MediaItem.Kind.VIDEO else "image",
        "url": None,
        "preview_url": None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": item.alt_text or None,
        "blurhash": None,
    }


def _widest(renditions: list[Rendition]) -> Rendition | None:
    # JPEG first: every client decodes it, not every one WebP.
    jpeg = [r for r in renditions if r["format"] == "jpeg"]
    return max(jpeg or renditions, key=lambda r: r["width"], default=None)


def _preview(renditions: list[Rendition]) -> Rendition | None:
    jpeg = [r for r in renditions if r["format"] == "jpeg"] or renditions
    wide_enough = [r for r in jpeg if r["width"] >= PREVIEW_WIDTH]
    if wide_enough:
        return min(wide_enough, key=lambda r: r["width"])
    return max(jpeg, key=lambda r: r["width"], default=None)


def _size(width: int, height: int) -> dict[str, Any]:
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6) if height else None,
    }
