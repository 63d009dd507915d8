"""Render every served size of a photo from its clean original, in one decoding pass."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from glimpse.core.errors import InvalidInput
from glimpse.core.photo_orientation import DECODE_ERRORS, pending_orientation, upright
from glimpse.media.photo_color import bare, resizable, summarise, to_srgb
from glimpse.media.photo_open import corrupt, open_checked
from glimpse.media.photo_types import (
    RENDITION_WIDTHS,
    ROTATIONS,
    THUMB_SIDE,
    Crop,
    RenderedPhoto,
    Rendition,
)

Edit = Callable[[Image.Image], Image.Image]
Box = tuple[float, float, float, float]

FULL: Box = (0.0, 0.0, 1.0, 1.0)
# A clockwise quarter turn maps fractions like the EXIF orientation that needs that turn.
_TURN_ORIENTATION = {0: 1, 90: 6, 180: 3, 270: 8}
# Pillow's ROTATE_* turn counter-clockwise.
_TURN_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}

LANCZOS = Image.Resampling.LANCZOS
# Pillow first averages whole blocks of pixels (cheap), then resamples the last factor of
# at least this much with Lanczos: at 2 the result is visually the same as a plain resize.
REDUCING_GAP = 2.0
WEBP_OPTIONS = {"quality": 80, "method": 4}
JPEG_OPTIONS = {"quality": 85, "optimize": True, "progressive": True}
_LARGEST = RENDITION_WIDTHS[0][1]


def photo_render(
    original: Path, *, crop: Crop | None = None, edit: Edit | None = None
) -> RenderedPhoto:
    """Render the 1080/640/320 widths and the square thumb as WebP and JPEG, plus a base.

    The renditions show the crop (turned first, then cut); the base is the whole upright
    picture, neither turned, cut nor filtered, for the composer to preview any crop of it.
    """
    box = crop_box(crop)
    turn = crop.rotation if crop is not None else 0
    if turn not in ROTATIONS:
        raise _invalid_crop()
    # A rectangle of the turned picture is a rectangle of the upright one: the turn maps
    # fractions exactly as the EXIF orientation of the same turn maps stored pixels.
    upright_box = stored_box(box, _TURN_ORIENTATION[turn])
    large, (width, height) = _decode_largest(original, upright_box, turn)
    whole = upright_box == FULL and turn == 0
    # The base is unfiltered: previews re-filter it quickly.
    base_image = large if whole else _decode_largest(original, FULL, 0)[0]
    base = encode(base_image, "jpeg")
    shown = large if edit is None else _apply(edit, large)
    sizes = [("1080", shown)]
    for name, target in RENDITION_WIDTHS[1:]:
        # Each size comes from the one before it: cheap, and the filter is already in it.
        previous = sizes[-1][1]
        if previous.width > target:
            smaller = (target, max(1, round(target * height / width)))
            previous = bare(previous.resize(smaller, LANCZOS))
        sizes.append((name, previous))
    sizes.append(("thumb", _thumb([image for _, image in sizes])))
    renditions = []
    for name, image in sizes:
        for fmt in ("webp", "jpeg"):
            reuse = whole and edit is None and name == "1080" and fmt == "jpeg"
            data = base if reuse else encode(image, fmt)
            renditions.append(Rendition(name, fmt, image.width, image.height, data))
    renditions.append(Rendition("base", "jpeg", base_image.width, base_image.height, base))
    blurhash, dominant = summarise(sizes[2][1])
    return RenderedPhoto(renditions, width, height, blurhash, dominant)


def crop_box(crop: Crop | None) -> Box:
    """Return the crop as (left, top, right, bottom) fractions of the turned picture."""
    if crop is None:
        return FULL
    values = (crop.x, crop.y, crop.width, crop.height)
    eps = 1e-6
    if (
        not all(math.isfinite(v) for v in values)
        or crop.x < -eps
        or crop.y < -eps
        or crop.width <= 0
        or crop.height <= 0
        or crop.x + crop.width > 1 + eps
        or crop.y + crop.height > 1 + eps
    ):
        raise _invalid_crop()
    left, top = max(0.0, crop.x), max(0.0, crop.y)
    return (left, top, min(1.0, left + crop.width), min(1.0, top + crop.height))


def _invalid_crop() -> InvalidInput:
    return InvalidInput(
        "The crop must be a rectangle inside the photo, at least one pixel wide and tall.",
        code="invalid_crop",
        fields={"crop": ["Give x, y, width and height as fractions between 0 and 1."]},
    )


def encode(image: Image.Image, fmt: str) -> bytes:
    """Encode one rendition with no metadata at all."""
    buffer = io.BytesIO()
    # Nothing from the source is passed on: no EXIF, GPS, XMP, ICC or comment.
    options = WEBP_OPTIONS if fmt == "webp" else JPEG_OPTIONS
    bare(image).save(buffer, "WEBP" if fmt == "webp" else "JPEG", **options)
    return buffer.getvalue()


def stored_box(box: Box, orientation: int) -> Box:
    """Map a box in fractions of the upright picture to fractions of the stored pixels."""
    corners = [_to_stored(u, v, orientation) for u, v in ((box[0], box[1]), (box[2], box[3]))]
    (s0, t0), (s1, t1) = corners
    return (min(s0, s1), min(t0, t1), max(s0, s1), max(t0, t1))


def _to_stored(u: float, v: float, orientation: int) -> tuple[float, float]:
    return {
        1: (u, v),
        2: (1 - u, v),
        3: (1 - u, 1 - v),
        4: (u, 1 - v),
        5: (v, u),
        6: (v, 1 - u),
        7: (1 - v, 1 - u),
        8: (1 - v, u),
    }[orientation]


def _decode_largest(path: Path, box: Box, turn: int) -> tuple[Image.Image, tuple[int, int]]:
    """Decode just enough of the picture to make the largest rendition of the crop.

    ``box`` is in fractions of the upright picture; the result is turned by ``turn``
    degrees clockwise, and so is the full size returned with it.
    """
    quarter = turn in (90, 270)
    with open_checked(path) as image:
        orientation = pending_orientation(image)
        icc = image.info.get("icc_profile") or None
        stored_w, stored_h = image.size
        swapped = orientation >= 5
        upright_w, upright_h = (stored_h, stored_w) if swapped else (stored_w, stored_h)
        crop_w, crop_h = (box[2] - box[0]) * upright_w, (box[3] - box[1]) * upright_h
        if crop_w < 1 or crop_h < 1:
            raise _invalid_crop()
        # The largest rendition's width is the turned crop's width.
        shown_w, shown_h = (crop_h, crop_w) if quarter else (crop_w, crop_h)
        out_w = max(1, min(_LARGEST, round(shown_w)))
        out_h = max(1, round(out_w * shown_h / shown_w))
        if quarter:
            out_w, out_h = out_h, out_w  # the size before the turn
        extent = (float(stored_w), float(stored_h))
        try:
            if image.format in ("JPEG", "MPO"):
                # Shrink-on-load: libjpeg decodes at 1/2, 1/4 or 1/8 scale, the smallest that
                # still covers the crop at the largest rendition's width.
                scale = out_w / crop_w
                needed = (math.ceil(stored_w * scale), math.ceil(stored_h * scale))
                drafted = image.draft(image.mode, (max(1, needed[0]), max(1, needed[1])))
                if drafted is not None:
                    extent = (drafted[1][2], drafted[1][3])
            image.load()
            source = resizable(image)
            s0, t0, s1, t1 = stored_box(box, orientation)
            pixels = (s0 * extent[0], t0 * extent[1], s1 * extent[0], t1 * extent[1])
            size = (out_h, out_w) if swapped else (out_w, out_h)
            large = source.resize(size, LANCZOS, box=pixels, reducing_gap=REDUCING_GAP)
            if source is not image:
                source.close()
        except DECODE_ERRORS as exc:
            raise corrupt() from exc
    # Turning and colour conversion run on the small picture, not the decoded one.
    large = upright(large, orientation)
    if turn:
        large = large.transpose(_TURN_TRANSPOSE[turn])
    full_size = (max(1, round(shown_w)), max(1, round(shown_h)))
    return bare(to_srgb(large, icc)), full_size


def _apply(edit: Edit, image: Image.Image) -> Image.Image:
    result = edit(image)
    if not isinstance(result, Image.Image) or result.mode != "RGB" or result.size != image.size:
        raise TypeError("edit() must return an RGB image of the size it was given")
    return bare(result)


def _thumb(sizes: list[Image.Image]) -> Image.Image:
    """Crop the centred square of the smallest size that covers it, at 150 x 150."""
    fits = [image for image in sizes if min(image.size) >= THUMB_SIDE]
    # A panorama too thin for 150 pixels even at 1080 wide is scaled up: there is no more.
    source = min(fits, key=lambda image: image.width) if fits else sizes[0]
    side = min(source.size)
    left, top = (source.width - side) / 2, (source.height - side) / 2
    square = (left, top, left + side, top + side)
    return bare(source.resize((THUMB_SIDE, THUMB_SIDE), LANCZOS, box=square))
