"""A media item as posts, stories and notifications show it: one typed presenter, one JSON.

The presenter holds what every viewer sees of a ready item (its public renditions with their
URLs, its size, placeholder colours and alt text); the API maps it with ``media_json`` and
the pages pick their pictures from it. No query is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from glimpse.media.models import MediaItem
from glimpse.media.selectors import Rendition, media_renditions

PICTURE_FORMATS = ("webp", "jpeg")


class FocusJson(TypedDict):
    x: float
    y: float


class MediaJson(TypedDict):
    id: str
    kind: str
    width: int
    height: int
    duration: float | None
    blurhash: str
    dominant_color: str
    alt_text: str
    renditions: list[Rendition]
    focus: FocusJson | None


@dataclass(frozen=True)
class MediaView:
    """A ready media item: its size (the widest rendition's), placeholders and renditions."""

    id: int
    kind: str
    width: int
    height: int
    duration: float | None
    blurhash: str
    dominant_color: str
    alt_text: str
    renditions: tuple[Rendition, ...]
    # The point a cropped preview keeps in view, each axis in -1..1 (none: the centre).
    focus: tuple[float, float] | None = None

    @property
    def is_video(self) -> bool:
        """Tell whether the item plays a video."""
        return self.kind == MediaItem.Kind.VIDEO

    def rendition(self, name: str, fmt: str) -> Rendition | None:
        """Return the rendition of this name and format, if the item has it."""
        return next((r for r in self.renditions if r["name"] == name and r["format"] == fmt), None)

    def picture(self, name: str) -> str | None:
        """Return the URL of a named picture (a video's poster of that name), WebP first, or
        else of the widest picture the item has."""
        prefix = "poster-" if self.is_video and not name.startswith("poster") else ""
        for fmt in PICTURE_FORMATS:
            if found := self.rendition(prefix + name, fmt):
                return found["url"]
        pictures = [r for r in self.renditions if r["format"] != "mp4"]
        return max(pictures, key=lambda r: r["width"])["url"] if pictures else None

    @property
    def thumbnail(self) -> str | None:
        """Return the URL of the smallest rendition (the thumbnail), or None."""
        thumb = next((r for r in self.renditions if r["name"] == "thumb"), None)
        if thumb is None and self.renditions:
            thumb = min(self.renditions, key=lambda r: r["width"] or 0)
        return thumb["url"] if thumb else None


def media_view(item: MediaItem, *, alt_text: str | None = None) -> MediaView:
    """Return the presenter of a media item; ``alt_text`` overrides the item's own (a post
    item carries its own alt text)."""
    renditions = tuple(media_renditions(item))
    shown = [r for r in renditions if r["name"] != "thumb"]
    widest = max(shown, key=lambda r: r["width"], default=None)
    return MediaView(
        id=item.pk,
        kind=item.kind,
        width=widest["width"] if widest else item.width,
        height=widest["height"] if widest else item.height,
        duration=item.duration,
        blurhash=item.blurhash,
        dominant_color=item.dominant_color,
        alt_text=item.alt_text if alt_text is None else alt_text,
        renditions=renditions,
        focus=item.focus,
    )


def media_json(view: MediaView) -> MediaJson:
    """Return a media item as the API shows it inside a post or a story."""
    return MediaJson(
        id=str(view.id),
        kind=view.kind,
        width=view.width,
        height=view.height,
        duration=view.duration,
        blurhash=view.blurhash,
        dominant_color=view.dominant_color,
        alt_text=view.alt_text,
        renditions=list(view.renditions),
        focus=focus_json(view.focus),
    )


def focus_json(focus: tuple[float, float] | None) -> FocusJson | None:
    """Return a focal point as ``{x, y}``, or None when none was set."""
    return None if focus is None else FocusJson(x=focus[0], y=focus[1])
