"""The values the photo pipeline hands back, and the formats it accepts."""

from __future__ import annotations

from dataclasses import dataclass, field

from glimpse.core.photo_formats import ALLOWED_PHOTO_FORMATS as ALLOWED_PHOTO_FORMATS

# Rendition widths, largest first; each smaller one is made from the one before it.
RENDITION_WIDTHS: tuple[tuple[str, int], ...] = (("1080", 1080), ("640", 640), ("320", 320))
THUMB_SIDE = 150


@dataclass(frozen=True)
class PhotoProbe:
    format: str  # "JPEG" for MPO too
    width: int  # upright size, after orientation
    height: int
    orientation: int  # the file's EXIF orientation, 1-8 (HEIF: its irot/imir, as EXIF)
    camera: dict[str, str | float | int] = field(default_factory=dict)  # never location


# The quarter turns a person may give a photo, clockwise, in degrees.
ROTATIONS = (0, 90, 180, 270)


@dataclass(frozen=True)
class Crop:
    """A quarter turn (clockwise) of the upright image, then a rectangle in fractions (0..1)
    of the turned image."""

    x: float
    y: float
    width: float
    height: float
    rotation: int = 0


@dataclass(frozen=True)
class Rendition:
    name: str  # "1080", "640", "320", "thumb", "base"
    format: str  # "webp" | "jpeg"
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class RenderedPhoto:
    renditions: list[Rendition]
    width: int  # of the cropped upright image, at full resolution
    height: int
    blurhash: str
    dominant_color: str  # "#rrggbb"
