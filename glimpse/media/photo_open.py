"""Open a photo by its content, check its limits from the header, and read its EXIF facts."""

from __future__ import annotations

import math
from pathlib import Path

import pillow_heif
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from glimpse.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from glimpse.core.photo_formats import OPEN_ORDER, UNSUPPORTED_MESSAGE
from glimpse.core.photo_orientation import (
    DECODE_ERRORS,
    ORIENTATION,
    read_exif,
    valid_orientation,
)
from glimpse.media.photo_types import ALLOWED_PHOTO_FORMATS, PhotoProbe

pillow_heif.register_heif_opener()

# Content that starts like an accepted format but that Pillow cannot read is damaged,
# not of another kind (a JPEG cut short in its header, an HEIC without its boxes).
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_FTYP_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif", b"avis")

CORRUPT_MESSAGE = "This picture is damaged or incomplete. Try another file."

_EXIF_IFD = 0x8769
# Camera facts an owner may choose to show. Location, serial numbers, owner names and
# dates are never read, so they cannot leak through this dict.
_MAKE, _MODEL = 0x010F, 0x0110
_EXPOSURE, _F_NUMBER, _ISO, _FOCAL, _LENS = 0x829A, 0x829D, 0x8827, 0x920A, 0xA434


def corrupt(message: str = CORRUPT_MESSAGE) -> InvalidInput:
    """Return the error for damaged or incomplete picture bytes."""
    return InvalidInput(message, code="corrupt_image")


def open_checked(path: Path) -> Image.Image:
    """Open a picture if its content is an allowed format within the limits; decode nothing."""
    if path.stat().st_size == 0:
        raise corrupt("This file is empty.")
    _raise_pillow_limit()
    try:
        image = Image.open(path, formats=list(OPEN_ORDER))
    except UnidentifiedImageError as exc:
        with path.open("rb") as handle:
            head = handle.read(32)
        if head.startswith(_SIGNATURES) or _is_webp(head) or _is_heif(head):
            raise corrupt() from exc
        raise UnsupportedMediaType(UNSUPPORTED_MESSAGE, code="unsupported_image") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard fires inside open() for absurd sizes (or as a warning turned
        # into an error); answer exactly as our limit does.
        raise _too_many_pixels() from exc
    except DECODE_ERRORS as exc:
        raise corrupt() from exc
    try:
        _check_header(image)
    except BaseException:
        image.close()
        raise
    return image


def photo_probe(path: Path) -> PhotoProbe:
    """Read a picture's format, upright size, orientation and camera facts from its header."""
    with open_checked(path) as image:
        exif = read_exif(image)
        if image.format == "HEIF":
            # libheif applies irot/imir itself and pillow-heif resets the EXIF tag to 1;
            # the size is already upright. Report what the file said.
            orientation = valid_orientation(image.info.get("original_orientation"))
            width, height = image.size
        else:
            orientation = valid_orientation(exif.get(ORIENTATION))
            width, height = image.size[::-1] if orientation >= 5 else image.size
        fmt = "JPEG" if image.format == "MPO" else str(image.format)
        return PhotoProbe(fmt, width, height, orientation, camera_facts(exif))


def camera_facts(exif: Image.Exif) -> dict[str, str | float | int]:
    """Return make, model, lens, exposure time, f-number, ISO and focal length, if present."""
    try:
        ifd = exif.get_ifd(_EXIF_IFD)
    except DECODE_ERRORS:
        ifd = {}
    facts: dict[str, str | float | int] = {}
    for key, value in (("make", exif.get(_MAKE)), ("model", exif.get(_MODEL))):
        if text := _text(value):
            facts[key] = text
    if lens := _text(ifd.get(_LENS)):
        facts["lens"] = lens
    if (seconds := _number(ifd.get(_EXPOSURE))) is not None and seconds > 0:
        facts["exposure_time"] = _exposure(seconds)
    if (f_number := _number(ifd.get(_F_NUMBER))) is not None and f_number > 0:
        facts["f_number"] = round(f_number, 1)
    iso = ifd.get(_ISO)
    iso = iso[0] if isinstance(iso, tuple) and iso else iso
    if isinstance(iso, int) and 0 < iso < 10_000_000:
        facts["iso"] = iso
    if (focal := _number(ifd.get(_FOCAL))) is not None and focal > 0:
        facts["focal_length"] = round(focal, 1)
    return facts


def _check_header(image: Image.Image) -> None:
    if image.format not in ALLOWED_PHOTO_FORMATS:
        raise UnsupportedMediaType(UNSUPPORTED_MESSAGE, code="unsupported_image")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise corrupt()
    if width * height > settings.GLIMPSE_PHOTO_MAX_PIXELS:
        raise _too_many_pixels()
    if max(width, height) > settings.GLIMPSE_PHOTO_MAX_SIDE:
        raise PayloadTooLarge(
            f"Photos can be at most {settings.GLIMPSE_PHOTO_MAX_SIDE} pixels on a side.",
            code="too_large_dimensions",
        )


def _too_many_pixels() -> PayloadTooLarge:
    megapixels = settings.GLIMPSE_PHOTO_MAX_PIXELS // 1_000_000
    message = f"Photos can be at most {megapixels} megapixels."
    return PayloadTooLarge(message, code="too_many_pixels")


def _raise_pillow_limit() -> None:
    # Our limit must decide: when it is configured above Pillow's bomb guard, lift the guard
    # to it (never lower it), since our own check refuses larger pictures before decoding.
    limit = settings.GLIMPSE_PHOTO_MAX_PIXELS
    if Image.MAX_IMAGE_PIXELS is not None and limit > Image.MAX_IMAGE_PIXELS:
        Image.MAX_IMAGE_PIXELS = limit


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in _FTYP_BRANDS


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:64]


def _number(value: object) -> float | None:
    if isinstance(value, tuple) and len(value) == 2:  # a raw (numerator, denominator)
        value = value[0] / value[1] if value[1] else None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _exposure(seconds: float) -> str:
    """Format an exposure time as photographers write it: "1/250" or "2.5"."""
    if seconds < 1:
        return f"1/{round(1 / seconds)}"
    return f"{seconds:g}"
