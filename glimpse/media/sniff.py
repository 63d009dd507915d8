"""Tell a photo from a video by the first bytes of a file, never by its name or declared type.

This is only the first gate: the photo and video probes then parse the whole header with
their own allow-lists. Anything not recognised here is refused before it is stored.
"""

from __future__ import annotations

from typing import Literal

MediaKind = Literal["photo", "video"]

HEAD_BYTES = 64

# ISO base media file brands (the "ftyp" box) that are still images.
_IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)


def sniff_kind(head: bytes) -> MediaKind | None:
    """Return "photo" or "video" for a recognised file start, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "photo"  # JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "photo"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "photo"
    if head[4:8] == b"ftyp":
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(len(head), 48), 4)}
        # A major brand of mif1/heic... is an image even if video brands are compatible.
        return "photo" if head[8:12] in _IMAGE_BRANDS or brands <= _IMAGE_BRANDS else "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video"  # Matroska / WebM (EBML)
    return None
