"""The media blocklist: perceptual hashes of removed images, and the check of new uploads.

Moderators fill it when they remove content (``media.services.media_block_add``); every
first render of an upload is checked against it.

The hash is a 64-bit difference hash (dHash) of the decoded image: the picture is shrunk to
9 by 8 grey pixels and each bit tells whether a pixel is brighter than its right neighbour.
Re-encoding, resizing and small tone changes keep almost every bit, so two images match when
their hashes differ in at most GLIMPSE_MODERATION_PHASH_DISTANCE bits. Only Pillow is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from PIL import Image

from glimpse.core.errors import GlimpseError
from glimpse.media.models import MediaBlock, MediaItem
from glimpse.media.storage import local_copy

BLOCKED = "This image was removed from Glimpse for breaking its rules and cannot be posted again."
# Below this spread of grey levels an image is flat (one colour): its hash says nothing, and
# blocking it would refuse every other flat image.
FLAT_SPREAD = 8


def image_hash(path: Path) -> int | None:
    """Return the 64-bit difference hash of an image file, or None for a flat image."""
    with Image.open(path) as image:
        image.draft("L", (64, 64))  # JPEG: decode at a fraction of the size, far cheaper
        grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
        pixels = list(grey.tobytes())
    if max(pixels) - min(pixels) < FLAT_SPREAD:
        return None
    value = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            value = (value << 1) | (left > right)
    return value


def stored_hash(name: str) -> int | None:
    """Return the difference hash of a stored media file (an original or a poster)."""
    with local_copy(name) as path:
        return image_hash(path)


def media_hashes(*, media_ids: Sequence[int]) -> list[int]:
    """Return the difference hashes of these media items' stored originals (flat ones left out)."""
    names = MediaItem.objects.filter(pk__in=list(media_ids)).values_list("original_name", flat=True)
    found = []
    for name in names:
        value = stored_hash(name) if name else None
        if value is not None:
            found.append(value)
    return found


def hash_blocked(value: int) -> bool:
    """Tell whether a hash is within the match distance of a blocked one."""
    distance = settings.GLIMPSE_MODERATION_PHASH_DISTANCE
    # A linear scan: thousands of 64-bit compares take a few milliseconds, once per upload.
    return any(
        (value ^ int(blocked, 16)).bit_count() <= distance
        for blocked in MediaBlock.objects.values_list("phash", flat=True).iterator()
    )


def media_blocklist_check(name: str) -> None:
    """Refuse a stored media file that looks like a removed image (a GlimpseError)."""
    if not MediaBlock.objects.exists():
        return  # nothing blocked yet: no need to decode anything
    value = stored_hash(name)
    if value is not None and hash_blocked(value):
        raise GlimpseError(BLOCKED, code="blocked_media")


def hex_hash(value: int) -> str:
    """Return a hash as the 16 hex digits it is stored as."""
    return f"{value:016x}"
