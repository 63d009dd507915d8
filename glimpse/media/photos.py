"""The photo part of the media pipeline: pure functions on files, no models.

- ``photo_probe`` reads the header: format (by content, from an allow-list), upright size,
  orientation, camera facts; it refuses too many pixels before anything is decoded.
- ``photo_clean_original`` writes the owner's original with every metadata field removed.
- ``photo_render`` makes every served size from that clean original in one decoding pass.
- ``photo_from_image`` turns a decoded frame (a video poster) into a clean original.

See docs/photos.md for the formats, limits and measured costs.
"""

from __future__ import annotations

from glimpse.media.photo_open import photo_probe
from glimpse.media.photo_original import photo_clean_original, photo_from_image
from glimpse.media.photo_render import photo_render
from glimpse.media.photo_types import (
    ALLOWED_PHOTO_FORMATS,
    Crop,
    PhotoProbe,
    RenderedPhoto,
    Rendition,
)

__all__ = [
    "ALLOWED_PHOTO_FORMATS",
    "Crop",
    "PhotoProbe",
    "RenderedPhoto",
    "Rendition",
    "photo_clean_original",
    "photo_from_image",
    "photo_probe",
    "photo_render",
]
