"""The JSON shapes of media items in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from glimpse.media import selectors
from glimpse.media.models import MediaItem


class RenditionOut(Schema):
    name: str = Field(description='"1080", "640", "320", "thumb", "720" (video), "poster-1080"...')
    format: str = Field(description='"webp", "jpeg" or "mp4"')
    width: int
    height: int
    url: str


class MediaOut(Schema):
    """A media item as its owner sees it."""

    id: str
    kind: str
    status: str = Field(description='"processing", "ready" or "failed"')
    failure_reason: str
    width: int
    height: int
    duration: float | None
    has_audio: bool
    alt_text: str
    blurhash: str
    dominant_color: str
    edit: dict[str, Any] = Field(description="filter, strength and adjustments")
    crop: dict[str, Any] | None
    camera: dict[str, Any]
    show_camera: bool
    renditions: list[RenditionOut]
    focus: dict[str, float] | None = Field(
        description="The point a cropped preview keeps in view: x and y, each in -1..1."
    )
    version: int = Field(description="Bumped by each edit of the look; renditions follow it.")
    created_at: datetime

    @staticmethod
    def resolve_id(obj: MediaItem) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_focus(obj: MediaItem) -> dict[str, float] | None:
        focus = obj.focus
        return None if focus is None else {"x": focus[0], "y": focus[1]}

    @staticmethod
    def resolve_renditions(obj: MediaItem) -> list[selectors.Rendition]:
        return selectors.media_renditions(obj) if obj.status == MediaItem.Status.READY else []


class MediaListOut(Schema):
    items: list[MediaOut]
    next_max_id: str | None


class MediaPatch(Schema):
    filter: str | None = Field(None, max_length=40, description='A filter name, or "normal".')
    filter_strength: int | None = None
    adjustments: dict[str, int] | None = None
    crop: dict[str, Any] | None = None
    alt_text: str | None = Field(None, max_length=5000)
    show_camera: bool | None = None


class FilterOut(Schema):
    name: str
    label: str
    description: str
