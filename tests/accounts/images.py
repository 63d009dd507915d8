"""Real image files for tests, made with Pillow."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_gps(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    """Return a JPEG whose EXIF carries a camera make and a GPS position."""
    image = Image.new("RGB", size, (200, 60, 90))
    for x in range(0, size[0], 40):
        image.paste((30, 120, 200), (x, 0, x + 20, size[1] // 2))
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def png_bomb(side: int = 30_000) -> bytes:
    """Return a tiny PNG that claims ``side`` x ``side`` pixels (a decompression bomb)."""
    image = Image.new("1", (side, side))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
