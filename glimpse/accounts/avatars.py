"""Turn an uploaded picture into a square avatar in three sizes, with no metadata left.

Avatars are decoded in the request, so the decoding is bounded: the same allow-list and
limits as media uploads, checked from the header; JPEG and HEIF shrink on load; other
formats are refused when their decoded bitmap would pass ``GLIMPSE_AVATAR_DECODE_MAX_BYTES``,
and the full-size bitmap is never converted or copied whole, only in bands.
"""

from __future__ import annotations

import io
import secrets
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


def avatar_path(user_id: int, version: str, size: int) -> str:
    """Return the storage path of one avatar size."""
    return f"avatars/{user_id}/{version}-{size}.webp"


def avatar_render(upload: IO[bytes], *, size_bytes: int) -> dict[int, bytes]:
    """Check an upload and return WebP bytes for each configured avatar size."""
    if size_bytes > settings.GLIMPSE_AVATAR_MAX_BYTES:
        limit_mb = settings.GLIMPSE_AVATAR_MAX_BYTES // (1024 * 1024)
        raise PayloadTooLarge(f"Profile pictures can be at most {limit_mb} MB.")
    largest = max(settings.GLIMPSE_AVATAR_SIZES)
    image = _open_checked(upload)
    try:
        orientation = pending_orientation(image)
        icc = image.info.get("icc_profile") or None
        # Shrink-on-load: JPEG decodes at 1/2, 1/4 or 1/8 scale, HEIF from an embedded
        # thumbnail, whichever is the smallest that still covers the largest size.
        image.draft("RGB" if image.format in ("JPEG", "MPO") else None, (largest, largest))
        _check_decoded_size(image)
        image.load()
        square = _reduced_square(image, largest)
        square = _to_srgb(square, icc)
        # The centred square of the turned picture is the turned centred square.
        square = upright(square, orientation)
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


def _reduced_square(image: Image.Image, largest: int) -> Image.Image:
    """Return the centred square, flattened to RGB and reduced by whole blocks of pixels
    to at least twice ``largest``, converting the decoded bitmap one band at a time."""
    side = min(image.width, image.height)
    factor = max(1, side // (2 * largest))
    side -= side % factor
    left, top = (image.width - side) // 2, (image.height - side) // 2
    out = Image.new("RGB", (side // factor, side // factor))
    rows = max(factor, _BAND_ROWS - _BAND_ROWS % factor)
    for y in range(0, side, rows):
        height = min(rows, side - y)
        band = _flatten(image.crop((left, top + y, left + side, top + y + height)))
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
