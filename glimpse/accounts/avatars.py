"""Turn an uploaded picture into a square avatar in three sizes, with no metadata left."""

from __future__ import annotations

import io
import secrets
from typing import IO

import pillow_heif
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from glimpse.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

pillow_heif.register_heif_opener()

# Decided from the file's bytes by Pillow, never from its name or declared type.
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF", "GIF", "AVIF"})
_SRGB = ImageCms.createProfile("sRGB")


def avatar_path(user_id: int, version: str, size: int) -> str:
    """Return the storage path of one avatar size."""
    return f"avatars/{user_id}/{version}-{size}.webp"


def avatar_render(upload: IO[bytes], *, size_bytes: int) -> dict[int, bytes]:
    """Check an upload and return WebP bytes for each configured avatar size."""
    if size_bytes > settings.GLIMPSE_AVATAR_MAX_BYTES:
        limit_mb = settings.GLIMPSE_AVATAR_MAX_BYTES // (1024 * 1024)
        raise PayloadTooLarge(f"Profile pictures can be at most {limit_mb} MB.")
    image = _open_checked(upload)
    largest = max(settings.GLIMPSE_AVATAR_SIZES)
    try:
        if image.format == "JPEG":
            # Shrink-on-load: decode at the smallest scale that still covers the largest size.
            image.draft("RGB", (largest, largest))
        image = ImageOps.exif_transpose(image)
        image = _to_srgb(image)
        square = _square(image, largest)
    except (OSError, SyntaxError, ValueError, ImageCms.PyCMSError) as exc:
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
    try:
        image = Image.open(upload)
    except UnidentifiedImageError as exc:
        raise UnsupportedMediaType(
            "Use a JPEG, PNG, WebP, HEIC, AVIF or GIF picture.", code="unsupported_image"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise PayloadTooLarge("This picture has too many pixels.", code="too_many_pixels") from exc
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise UnsupportedMediaType(
            "Use a JPEG, PNG, WebP, HEIC, AVIF or GIF picture.", code="unsupported_image"
        )
    # Read from the header, before any pixel is decoded.
    if image.width * image.height > settings.GLIMPSE_AVATAR_MAX_PIXELS:
        image.close()
        raise PayloadTooLarge("This picture has too many pixels.", code="too_many_pixels")
    return image


def _square(image: Image.Image, size: int) -> Image.Image:
    """Crop the centred square and scale it to ``size`` pixels."""
    side = min(image.width, image.height)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    box = (left, top, left + side, top + side)
    return image.resize((size, size), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    image = image.convert("RGB") if image.mode != "RGB" else image
    if icc:
        source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source_profile, _SRGB, outputMode="RGB")
        if converted is not None:
            image = converted
    return image


def _encode_webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Nothing from the source's info is passed on: no EXIF, no GPS, no ICC, no XMP.
    image.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()
