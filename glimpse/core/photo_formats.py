"""The picture formats Glimpse accepts, shared by media uploads and profile pictures.

Decided from the file's bytes by Pillow, never from its name or declared type.
"""

from __future__ import annotations

# Pillow format names. "MPO" is how Pillow names a JPEG that carries a Multi-Picture index
# (most phone JPEGs: depth maps, gain maps): it is a JPEG, and only its first picture is used.
ALLOWED_PHOTO_FORMATS: frozenset[str] = frozenset(
    {"JPEG", "MPO", "PNG", "WEBP", "HEIF", "AVIF", "GIF"}
)
# Only these Pillow plugins ever see an upload: a renamed EPS never reaches Ghostscript, a
# PSD, TIFF or SVG is not even parsed. Most common first, since Pillow tries them in order.
OPEN_ORDER: tuple[str, ...] = ("JPEG", "PNG", "HEIF", "WEBP", "AVIF", "GIF")
UNSUPPORTED_MESSAGE = "Use a JPEG, PNG, WebP, HEIC, AVIF or GIF picture."
