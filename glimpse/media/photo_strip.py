"""Copy JPEG and PNG files without their metadata, byte for byte, and check other containers.

Working on the byte stream keeps the owner's original exactly as the camera encoded it (no
second lossy encoding, no decoding at all) and drops everything a reader could learn from
besides the pixels: EXIF (GPS), XMP, IPTC, comments, thumbnails, bytes after the end.
"""

from __future__ import annotations

import os
import re
import secrets
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from glimpse.media.photo_open import corrupt

Buffer = bytes | memoryview

# A JPEG scan ends at the first 0xFF that is not a stuffed 0x00, a restart marker or fill.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_SOI, _EOI, _SOS, _APP0, _APP2, _APP14 = 0xD8, 0xD9, 0xDA, 0xE0, 0xE2, 0xEE
# Frame, table and scan segments the decoder needs; every APPn, COM and the rest is dropped.
_JPEG_CODING = {*range(0xC0, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD} - {0xC8}
# Real progressive JPEGs have about ten scans; thousands are a CPU exhaustion trick.
_MAX_SCANS = 256

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Critical chunks, transparency, and colour information (how the pixels should look).
_PNG_KEEP = frozenset(
    (b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"pHYs")
)


def write_atomic(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a file under a temporary name, then rename it over ``target``."""
    # A job killed halfway leaves the old file or none, never a half-written one.
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temp.open("wb") as handle:
            write(handle)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def orientation_exif(orientation: int) -> bytes:
    """Return a TIFF-structured EXIF block that holds only the Orientation tag."""
    # Big-endian header, one IFD with one SHORT entry, no next IFD.
    entry = struct.pack(">HHHIHHI", 1, 0x0112, 3, 1, orientation, 0, 0)
    return b"MM\x00\x2a\x00\x00\x00\x08" + entry


def copy_jpeg(data: Buffer, out: BinaryIO, orientation: int) -> None:
    """Copy a JPEG's coding segments, its JFIF, ICC and Adobe markers, and nothing else."""
    if data[:2] != b"\xff\xd8":
        raise corrupt()
    out.write(b"\xff\xd8")
    exif_pending = orientation != 1
    seen_frame, scans, pos = False, 0, 2
    while True:
        pos = _next_marker(data, pos)
        marker = data[pos + 1]
        if marker == _EOI:
            break  # whatever follows (a second picture, a ZIP, a script) is dropped
        if 0xD0 <= marker <= 0xD7 or marker in (0x00, 0x01):
            pos += 2  # stray restart markers and stuffing outside a scan carry nothing
            continue
        seg_end = _segment_end(data, pos)
        segment = _kept_segment(marker, bytes(data[pos + 4 : seg_end]))
        if segment is None and marker not in _JPEG_CODING:
            pos = seg_end
            continue
        if exif_pending and not (marker == _APP0 and segment is not None):
            # Only Orientation survives, so viewers still show the picture upright.
            out.write(_orientation_segment(orientation))
            exif_pending = False
        if segment is not None:
            out.write(segment)
            pos = seg_end
            continue
        seen_frame = seen_frame or (0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xCC))
        if marker == _SOS:
            scans += 1
            if not seen_frame or scans > _MAX_SCANS:
                raise corrupt()
            seg_end = _scan_end(data, seg_end)
        out.write(data[pos:seg_end])
        pos = seg_end
    if not scans:
        raise corrupt()
    out.write(b"\xff\xd9")


def _segment_end(data: Buffer, pos: int) -> int:
    """Return where the segment whose marker is at ``pos`` ends, checking its length."""
    end = len(data)
    if pos + 4 > end:
        raise corrupt()
    seg_end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    if seg_end > end or seg_end < pos + 4:
        raise corrupt()
    return seg_end


def _scan_end(data: Buffer, start: int) -> int:
    """Return where the compressed data of a scan starting at ``start`` ends."""
    match = _SCAN_END.search(data, start)
    if match is None:
        raise corrupt()  # cut short inside the compressed data
    return match.start()


def _orientation_segment(orientation: int) -> bytes:
    payload = b"Exif\x00\x00" + orientation_exif(orientation)
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _next_marker(data: Buffer, pos: int) -> int:
    # Like libjpeg, skip stray bytes and fill bytes up to the marker.
    end = len(data)
    while pos < end and data[pos] != 0xFF:
        pos += 1
    while pos + 1 < end and data[pos + 1] == 0xFF:
        pos += 1
    if pos + 1 >= end:
        raise corrupt()  # no end-of-image marker: the file was cut short
    return pos


def _kept_segment(marker: int, payload: bytes) -> bytes | None:
    """Return the rewritten APPn segment to keep, or None to drop it."""
    if marker == _APP0 and payload.startswith(b"JFIF\x00") and len(payload) >= 12:
        # Version, density units and density; the embedded thumbnail is dropped.
        body = payload[:12] + b"\x00\x00"
    elif marker == _APP2 and payload.startswith(b"ICC_PROFILE\x00"):
        body = payload  # colour: how the pixels should look
    elif marker == _APP14 and payload.startswith(b"Adobe") and len(payload) >= 12:
        # The colour transform flag: without it CMYK and YCCK pictures decode inverted.
        body = payload[:12]
    else:
        return None
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body


def copy_png(data: Buffer, out: BinaryIO, orientation: int) -> None:
    """Copy a PNG's image and colour chunks, check every CRC, and stop at IEND."""
    if data[:8] != _PNG_SIGNATURE:
        raise corrupt()
    out.write(_PNG_SIGNATURE)
    pos, seen_idat = 8, False
    while True:
        kind, chunk_end = _png_chunk_at(data, pos)
        if (pos == 8) != (kind == b"IHDR"):
            raise corrupt()
        if kind == b"IDAT" and not seen_idat:
            seen_idat = True
            if orientation != 1:
                # eXIf must precede the image data; it holds Orientation only.
                out.write(_png_chunk(b"eXIf", orientation_exif(orientation)))
        if kind in _PNG_KEEP:
            out.write(data[pos:chunk_end])
        elif not kind[0] & 0x20:
            raise corrupt()  # an unknown critical chunk: not a PNG we can show
        if kind == b"IEND":
            break  # anything appended (HTML, a ZIP) is dropped
        pos = chunk_end
    if not seen_idat:
        raise corrupt()


def _png_chunk_at(data: Buffer, pos: int) -> tuple[bytes, int]:
    """Return the kind of the chunk at ``pos`` and where it ends, checking its CRC."""
    end = len(data)
    if pos + 12 > end:
        raise corrupt()  # cut short before IEND
    length, kind = struct.unpack(">I4s", data[pos : pos + 8])
    chunk_end = pos + 12 + length
    if length > 0x7FFFFFFF or chunk_end > end:
        raise corrupt()
    (crc,) = struct.unpack(">I", data[chunk_end - 4 : chunk_end])
    if zlib.crc32(data[pos + 4 : chunk_end - 4]) != crc:
        raise corrupt()
    return kind, chunk_end


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def check_complete(data: Buffer, fmt: str) -> None:
    """Refuse a WebP, HEIF, AVIF or GIF file whose structure was cut short."""
    # Pillow fills a truncated picture with grey when ImageFile.LOAD_TRUNCATED_IMAGES is set
    # anywhere in the process; these checks do not depend on that flag.
    if fmt == "WEBP":
        if len(data) < 12 or 8 + int.from_bytes(data[4:8], "little") > len(data):
            raise corrupt()
    elif fmt in ("HEIF", "AVIF"):
        _check_boxes(data)
    elif fmt == "GIF":
        _check_gif_first_frame(data)


def _check_boxes(data: Buffer) -> None:
    pos, end = 0, len(data)
    while pos < end:
        if pos + 8 > end:
            raise corrupt()
        size = int.from_bytes(data[pos : pos + 4], "big")
        if size == 1:
            if pos + 16 > end:
                raise corrupt()
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        elif size == 0:
            return  # the last box runs to the end of the file
        if size < 8 or pos + size > end:
            raise corrupt()
        pos += size


def _check_gif_first_frame(data: Buffer) -> None:
    end = len(data)
    if end < 13:
        raise corrupt()
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while pos < end:
        block = data[pos]
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _skip_sub_blocks(data, pos + 2)
        elif block == 0x2C:  # image descriptor, optional local palette, LZW data
            if pos + 10 > end:
                break
            local = data[pos + 9]
            pos += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            _skip_sub_blocks(data, pos + 1)
            return
        else:
            break
    raise corrupt()


def _skip_sub_blocks(data: Buffer, pos: int) -> int:
    end = len(data)
    while pos < end:
        size = data[pos]
        if size == 0:
            return pos + 1
        pos += 1 + size
    raise corrupt()
