"""The first gate: a file's first bytes say photo, video or neither; its name says nothing."""

from __future__ import annotations

import pytest

from glimpse.media.sniff import sniff_kind


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo"),
        (b"GIF89a\x01\x00", "photo"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "photo"),
        (_ftyp(b"heic", b"mif1", b"heic"), "photo"),
        (_ftyp(b"mif1", b"heic"), "photo"),
        (_ftyp(b"avif", b"mif1", b"miaf"), "photo"),
        (_ftyp(b"isom", b"isom", b"avc1", b"mp41"), "video"),
        (_ftyp(b"qt  ", b"qt  "), "video"),
        (_ftyp(b"mp42", b"mp41", b"isom"), "video"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", "video"),
        (b"%PDF-1.7", None),
        (b"<svg xmlns=", None),
        (b"<!doctype html>", None),
        (b"#EXTM3U\n", None),
        (b"ffconcat version 1.0\n", None),
        (b"8BPS\x00\x01", None),
        (b"II*\x00", None),  # TIFF
        (b"PK\x03\x04", None),  # zip
        (b"BM", None),  # BMP
        (b"", None),
    ],
)
def test_kind_is_decided_by_content(head: bytes, kind: str | None) -> None:
    assert sniff_kind(head) == kind
