"""Turn an uploaded picture into a square avatar in three sizes, with no metadata left.

Avatars are decoded in the request, so the decoding is bounded: the same allow-list and
limits as media uploads, checked from the header; JPEG and HEIF shrink on load; other
formats are refused when their decoded bitmap would pass ``GLIMPSE_AVATAR_DECODE_MAX_BYTES``,
and the full-size bitmap is never converted or copied whole, only in bands.
"""

from __future__ import annotations

import io
import math
import secrets
from dataclasses import dataclass
from typing import IO

import pillow_heif
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms, UnidentifiedImageError

from glimpse.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from glimpse.core.photo_formats import ALLOWED_PHOTO_FORMATS, OPEN_ORDER, UNSUPPORTED_MESSAGE
from glimpse.core.photo_orientation import pending_orientation, upright

pillow_heif.register_heif_opener()

_SRGB = ImageCms.createProfile("sRGB")
# What Pillow and its plugins raise on bad bytes (its AVIF plugin raises RuntimeError).
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, RuntimeError)
# Bytes per pixel of a decoded Pillow image (RGB is stored with a fourth byte).
_ONE_BYTE_MODES = frozenset({"1", "L", "P"})
_TWO_BYTE_MODES = frozenset({"I;16", "I;16B", "I;16L"})
# Rows converted at a time: a band of a 16,384-pixel-wide picture is 16 MB at most.
_BAND_ROWS = 256
_ROTATIONS = (0, 90, 180, 270)
# Pillow's ROTATE_* turn counter-clockwise; a crop's rotation is clockwise.
_TURN = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}
_SQUARE_TOLERANCE = 0.02  # the client rounds its fractions


def avatar_path(user_id: int, version: str, size: int) -> str:
    """Return the storage path of one avatar size."""
    return f"avatars/{user_id}/{version}-{size}.webp"


@dataclass(frozen=True)
class AvatarCrop:
    """A quarter turn (clockwise) of the upright picture, then a square of it, in fractions
    (0..1) of the turned picture."""

    x: float
    y: float
    width: float
    height: float
    rotation: int = 0


def avatar_crop_from(data: object) -> AvatarCrop | None:
    """Check the shape of a crop given by a client (None: the centred square)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise InvalidInput(
            fields={"crop": ["Give the crop as an object with x, y, width, height, rotation."]}
        )
    problems: list[str] = []
    rotation = data.get("rotation", 0)
    if isinstance(rotation, bool) or rotation not in _ROTATIONS:
        problems.append("rotation must be 0, 90, 180 or 270.")
    box: dict[str, float] = {}
    for key in ("x", "y", "width", "height"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(f"{key} must be a number from 0 to 1.")
        else:
            box[key] = float(value)
    if not problems:
        if box["width"] <= 0 or box["height"] <= 0:
            problems.append("The crop must have a width and a height.")
        elif box["x"] + box["width"] > 1 + 1e-6 or box["y"] + box["height"] > 1 + 1e-6:
            problems.append("The crop must stay inside the picture.")
    if problems:
        raise InvalidInput(fields={"crop": problems})
    return AvatarCrop(**box, rotation=int(rotation))


def avatar_render(
    upload: IO[bytes], *, size_bytes: int, crop: AvatarCrop | None = None
) -> dict[int, bytes]:
    """Check an upload and return WebP bytes for each configured avatar size.

    Without a crop the avatar is the centred square of the upright picture; with one, the
    picture is turned and the square cut as the crop says.
    """
    if size_bytes > settings.GLIMPSE_AVATAR_MAX_BYTES:
        limit_mb = settings.GLIMPSE_AVATAR_MAX_BYTES // (1024 * 1024)
        raise PayloadTooLarge(f"Profile pictures can be at most {limit_mb} MB.")
    largest = max(settings.GLIMPSE_AVATAR_SIZES)
    image = _open_checked(upload)
    try:
        orientation = pending_orientation(image)
        icc = image.info.get("icc_profile") or None
        if crop is not None:
            _check_square(crop, image.size, orientation)
        # Shrink-on-load: JPEG decodes at 1/2, 1/4 or 1/8 scale, HEIF from an embedded
        # thumbnail, whichever is the smallest that still covers the largest size.
        image.draft("RGB" if image.format in ("JPEG", "MPO") else None, _draft_size(image, crop))
        _check_decoded_size(image)
        image.load()
        if crop is None:
            square = _reduced(image, _centred_square(image.size), largest)
            square = _to_srgb(square, icc)
            # The centred square of the turned picture is the turned centred square.
            square = upright(square, orientation)
        else:
            square = _cropped(image, crop, orientation, icc, largest)
        square = square.resize((largest, largest), Image.Resampling.LANCZOS)
    except (*_DECODE_ERRORS, ImageCms.PyCMSError) as exc:
        raise InvalidInput(
            "This picture is damaged or incomplete. Try another file.", code="corrupt_image"
        ) from exc
    finally:
        image.close()
    rendered: dict[int, bytes] = {}
    source = square
    for size in sorted(settings.GLIMPSE_AVATAR_SIZES, reverse=True):
        # Each smaller size is made from the previous one: cheaper and just as sharp.
        source = (
            source
            if source.width == size
            else source.resize((size, size), Image.Resampling.LANCZOS)
        )
        rendered[size] = _encode_webp(source)
    return rendered


def avatar_store(user_id: int, rendered: dict[int, bytes]) -> str:
    """Write rendered avatar sizes under a new version and return it."""
    version = secrets.token_hex(4)
    for size, data in rendered.items():
        default_storage.save(avatar_path(user_id, version, size), ContentFile(data))
    return version


def avatar_delete_files(user_id: int, version: str) -> None:
    """Delete the files of one avatar version."""
    for size in settings.GLIMPSE_AVATAR_SIZES:
        default_storage.delete(avatar_path(user_id, version, size))


def _open_checked(upload: IO[bytes]) -> Image.Image:
    """Open an allowed format within the media limits, reading only its header."""
    _raise_pillow_limit()
    try:
        image = Image.open(upload, formats=list(OPEN_ORDER))
    except UnidentifiedImageError as exc:
        raise UnsupportedMediaType(UNSUPPORTED_MESSAGE, code="unsupported_image") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except _DECODE_ERRORS as exc:
        raise InvalidInput(
            "This picture is damaged or incomplete. Try another file.", code="corrupt_image"
        ) from exc
    try:
        if image.format not in ALLOWED_PHOTO_FORMATS:
            raise UnsupportedMediaType(UNSUPPORTED_MESSAGE, code="unsupported_image")
        width, height = image.size
        if width <= 0 or height <= 0:
            raise InvalidInput("This picture is damaged or incomplete.", code="corrupt_image")
        if width * height > settings.GLIMPSE_PHOTO_MAX_PIXELS:
            raise _too_many_pixels()
        if max(width, height) > settings.GLIMPSE_PHOTO_MAX_SIDE:
            raise PayloadTooLarge(
                f"Pictures can be at most {settings.GLIMPSE_PHOTO_MAX_SIDE} pixels on a side.",
                code="too_large_dimensions",
            )
    except BaseException:
        image.close()
        raise
    return image


def _check_decoded_size(image: Image.Image) -> None:
    """Refuse a picture whose decoded bitmap would pass the memory budget of one upload."""
    per_pixel = 1 if image.mode in _ONE_BYTE_MODES else 2 if image.mode in _TWO_BYTE_MODES else 4
    if image.width * image.height * per_pixel > settings.GLIMPSE_AVATAR_DECODE_MAX_BYTES:
        megapixels = settings.GLIMPSE_AVATAR_DECODE_MAX_BYTES // per_pixel // 1_000_000
        raise PayloadTooLarge(
            f"This picture is too large for a profile photo: use a JPEG, or a picture of at "
            f"most {megapixels} megapixels.",
            code="too_many_pixels",
        )


def _check_square(crop: AvatarCrop, size: tuple[int, int], orientation: int) -> None:
    """Refuse a crop that is not a square of at least one pixel of the turned picture."""
    width, height = size
    if (orientation >= 5) != (crop.rotation in (90, 270)):
        width, height = height, width  # the size of the turned picture
    side_w, side_h = crop.width * width, crop.height * height
    if side_w < 1 or side_h < 1:
        raise InvalidInput(fields={"crop": ["The crop must be at least one pixel wide."]})
    if abs(side_w - side_h) / max(side_w, side_h) > _SQUARE_TOLERANCE:
        raise InvalidInput(fields={"crop": ["A profile photo's crop must be a square."]})


def _draft_size(image: Image.Image, crop: AvatarCrop | None) -> tuple[int, int]:
    """Return the smallest decoded size whose square (or crop) still covers the largest size."""
    largest = max(settings.GLIMPSE_AVATAR_SIZES)
    if crop is None:
        return (largest, largest)
    side = crop.width * (image.height if _turned_sideways(crop, image) else image.width)
    scale = min(1.0, largest / side)
    return (math.ceil(image.width * scale), math.ceil(image.height * scale))


def _turned_sideways(crop: AvatarCrop, image: Image.Image) -> bool:
    """Tell whether the turned picture's width is the stored picture's height."""
    return (pending_orientation(image) >= 5) != (crop.rotation in (90, 270))


def _cropped(
    image: Image.Image, crop: AvatarCrop, orientation: int, icc: bytes | None, largest: int
) -> Image.Image:
    """Reduce the decoded picture, turn it upright and as the crop says, and cut the square."""
    turned_side = crop.width * (image.height if _turned_sideways(crop, image) else image.width)
    # Whole blocks of pixels are averaged while the square keeps at least twice ``largest``.
    factor = max(1, int(turned_side // (2 * largest)))
    whole = _reduced(image, (0, 0, image.width, image.height), largest, factor=factor)
    whole = upright(_to_srgb(whole, icc), orientation)
    if crop.rotation:
        whole = whole.transpose(_TURN[crop.rotation])
    box = (
        crop.x * whole.width,
        crop.y * whole.height,
        (crop.x + crop.width) * whole.width,
        (crop.y + crop.height) * whole.height,
    )
    side = max(1, round(min(box[2] - box[0], box[3] - box[1])))
    return whole.resize((side, side), Image.Resampling.LANCZOS, box=box)


def _centred_square(size: tuple[int, int]) -> tuple[int, int, int, int]:
    width, height = size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return (left, top, left + side, top + side)


def _reduced(
    image: Image.Image, box: tuple[int, int, int, int], largest: int, *, factor: int = 0
) -> Image.Image:
    """Return ``box`` of the picture flattened to RGB and reduced by whole blocks of pixels
    (by default to at least twice ``largest``), converting the decoded bitmap one band at a
    time."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    factor = factor or max(1, min(width, height) // (2 * largest))
    width -= width % factor
    height -= height % factor
    out = Image.new("RGB", (width // factor, height // factor))
    rows = max(factor, _BAND_ROWS - _BAND_ROWS % factor)
    for y in range(0, height, rows):
        band_h = min(rows, height - y)
        band = _flatten(image.crop((left, top + y, left + width, top + y + band_h)))
        out.paste(band.reduce(factor) if factor > 1 else band, (0, y // factor))
    return out


def _flatten(image: Image.Image) -> Image.Image:
    """Return the picture in RGB, transparent parts laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in _TWO_BYTE_MODES:
        image = image.point(lambda value: value / 257, "L")
    return image.convert("RGB") if image.mode != "RGB" else image


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source_profile, _SRGB, outputMode="RGB")
        if converted is not None:
            return converted
    return image


def _too_many_pixels() -> PayloadTooLarge:
    megapixels = settings.GLIMPSE_PHOTO_MAX_PIXELS // 1_000_000
    return PayloadTooLarge(
        f"Pictures can be at most {megapixels} megapixels.", code="too_many_pixels"
    )


def _raise_pillow_limit() -> None:
    # Our limit decides: when it is above Pillow's bomb guard, lift the guard to it (never
    # lower it), since the header check refuses larger pictures before anything is decoded.
    limit = settings.GLIMPSE_PHOTO_MAX_PIXELS
    if Image.MAX_IMAGE_PIXELS is not None and limit > Image.MAX_IMAGE_PIXELS:
        Image.MAX_IMAGE_PIXELS = limit


def _encode_webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Nothing from the source's info is passed on: no EXIF, no GPS, no ICC, no XMP.
    image.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()
