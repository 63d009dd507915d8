"""Fast previews of an edit, for the composer's sliders: re-filter the stored base rendition."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from PIL import Image

from glimpse.core.errors import Conflict
from glimpse.media.filters import Edit, apply_edit
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_base_path

PREVIEW_SIZES = (320, 540, 1080)
NOT_READY = "This item is still processing; try again in a moment."


def media_preview(*, item: MediaItem, edit: Edit, size: int) -> bytes:
    """Return a JPEG of the item's base rendition with ``edit`` applied, ``size`` pixels wide."""
    base = media_base_path(item)
    if base is None:
        raise Conflict(NOT_READY, code="not_ready")
    try:
        with default_storage.open(base, "rb") as stored:
            source = Image.open(stored)
            source.draft("RGB", (size, size))  # decode a JPEG base at a reduced scale
            image = source.convert("RGB")
    except FileNotFoundError:  # a newer version replaced it between our read and now
        raise Conflict(NOT_READY, code="not_ready") from None
    if image.width > size:
        height = round(image.height * size / image.width)
        image = image.resize((size, height), Image.Resampling.BILINEAR, reducing_gap=2.0)
    image = apply_edit(image, edit)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
