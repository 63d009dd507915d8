"""Keep the owner's original without metadata, re-encoding only formats we cannot copy."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image

from glimpse.core.photo_orientation import DECODE_ERRORS, pending_orientation, upright
from glimpse.media.photo_color import bare, to_srgb
from glimpse.media.photo_open import corrupt, open_checked
from glimpse.media.photo_strip import check_complete, copy_jpeg, copy_png, write_atomic

# The owner downloads this: high quality, since it may be all they kept of the picture.
ORIGINAL_JPEG_QUALITY = 92


def photo_clean_original(source: Path, target: Path) -> str:
    """Write the owner's original without metadata to ``target``; return its extension."""
    with open_checked(source) as image:
        fmt = image.format
        orientation = pending_orientation(image)
        if fmt in ("JPEG", "MPO", "PNG"):
            data = memoryview(source.read_bytes())
            copy = copy_png if fmt == "PNG" else copy_jpeg
            write_atomic(target, lambda out: copy(data, out, orientation))
            return "png" if fmt == "PNG" else "jpg"
        check_complete(memoryview(source.read_bytes()), str(fmt))
        return _reencode(image, orientation, target, lossless=fmt == "GIF")


def photo_from_image(image: Image.Image, target: Path) -> None:
    """Save a decoded frame (a video poster) as a clean JPEG original for photo_render."""
    icc = image.info.get("icc_profile") or None
    rgb = bare(to_srgb(image.copy(), icc))
    write_atomic(target, lambda out: _save_jpeg(rgb, out, None))


def _reencode(image: Image.Image, orientation: int, target: Path, *, lossless: bool) -> str:
    """Decode the first frame, turn it upright; save it as JPEG, or PNG for GIF and alpha."""
    # HEIC, AVIF and WebP cannot be stripped reliably in place (their metadata lives in
    # boxes and chunks that reference each other), and GIF/WebP may be animated: the first
    # frame is kept. Only the ICC profile is passed on, so the colours stay as taken.
    try:
        image.seek(0)
        image.load()
        info = dict(image.info)
        icc = info.get("icc_profile") or None
        # No copy: at 50 MP a second bitmap costs 200 MB; the opened image's own info is
        # not needed any more, so it is cleared in place.
        frame = bare(upright(image, orientation))
    except DECODE_ERRORS as exc:
        raise corrupt() from exc
    if lossless or frame.mode == "P" or _has_alpha(frame, info):
        transparency = info.get("transparency") if frame.mode == "P" else None
        write_atomic(target, lambda out: _save_png(frame, out, icc, transparency))
        return "png"
    write_atomic(target, lambda out: _save_jpeg(frame, out, icc))
    return "jpg"


def _has_alpha(frame: Image.Image, info: Mapping[Any, object]) -> bool:
    if frame.mode in ("RGBA", "LA", "PA"):
        # Animated WebP and AVIF frames come as RGBA even when nothing is transparent.
        return frame.getchannel("A").getextrema() != (255, 255)
    return frame.mode == "P" and "transparency" in info


def _save_jpeg(image: Image.Image, out: BinaryIO, icc: bytes | None) -> None:
    rgb = image if image.mode in ("RGB", "L") else to_srgb(image, None)
    options: dict[str, object] = {"quality": ORIGINAL_JPEG_QUALITY}
    if icc:
        options["icc_profile"] = icc
    bare(rgb).save(out, "JPEG", **options)


def _save_png(image: Image.Image, out: BinaryIO, icc: bytes | None, transparency: object) -> None:
    options: dict[str, object] = {}
    if icc:
        options["icc_profile"] = icc
    if transparency is not None:
        options["transparency"] = transparency
    bare(image).save(out, "PNG", **options)
