"""Make every test picture in memory: real files, built by Pillow, pillow-heif or by hand.

Nothing here is downloaded or checked in: each function returns the bytes of one file.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

import pillow_heif
from PIL import Image, ImageChops, ImageDraw, ImageFilter

pillow_heif.register_heif_opener()

RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 200, 60), (40, 60, 220), (240, 220, 40)
# Corner colours of the upright test picture: top-left, top-right, bottom-left, bottom-right.
CORNERS = {"tl": RED, "tr": GREEN, "bl": BLUE, "br": YELLOW}

ORIENTATION = 0x0112
MAKE, MODEL, ARTIST, DATETIME = 0x010F, 0x0110, 0x013B, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
EXPOSURE, F_NUMBER, ISO, FOCAL, LENS, SERIAL = 0x829A, 0x829D, 0x8827, 0x920A, 0xA434, 0xA431
SECRET = "Ana-Lima-secret"  # put in every metadata field; must never come out
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4N" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="' + SECRET.encode() + b'"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
# Transposes that undo each EXIF orientation: stored = upright.transpose(_STORE[o]).
_STORE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


# --- pictures -----------------------------------------------------------------------------


def quadrants(size: tuple[int, int] = (300, 200)) -> Image.Image:
    """Return an upright picture with a different colour in each quadrant."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    image.paste(BLUE, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    return image


def halves(size: tuple[int, int] = (400, 200), left=RED, right=BLUE) -> Image.Image:
    """Return a picture whose left half is ``left`` and right half ``right``."""
    image = Image.new("RGB", size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def stored_for(upright: Image.Image, orientation: int) -> Image.Image:
    """Return the pixels a camera would store so that ``orientation`` shows ``upright``."""
    return upright.transpose(_STORE[orientation]) if orientation in _STORE else upright.copy()


def photo_like(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """Return a picture with gradients, detail, shapes and noise, so encoders work for real."""
    width, height = size
    rng = random.Random(seed)
    across = Image.linear_gradient("L").resize(size)
    down = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    detail = Image.effect_mandelbrot(size, (-2.2, -1.3, 0.9, 1.3), 60)
    image = Image.merge("RGB", (across, detail, down))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, side = rng.randrange(width), rng.randrange(height), rng.randrange(8, width // 6)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + side, y + side * 2 // 3), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(size, 20).convert("RGB")
    return ImageChops.add(image, noise, offset=-128)


# --- EXIF, ICC ------------------------------------------------------------------------------


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    """Return EXIF with a GPS position, owner, serial number and camera facts."""
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ARTIST] = "Apple", "iPhone 15 Pro", SECRET
    exif[DATETIME] = "2024:05:01 10:00:00"
    if orientation:
        exif[ORIENTATION] = orientation
    facts = exif.get_ifd(EXIF_IFD)
    facts.update({EXPOSURE: 1 / 120, F_NUMBER: 1.8, ISO: 64, FOCAL: 6.86})
    facts.update({LENS: "iPhone 15 Pro back camera 6.86mm f/1.78", SERIAL: SECRET})
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    return exif


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _icc(colour_space: bytes, pcs: bytes, klass: bytes, version: int, tags: dict) -> bytes:
    """Assemble an ICC profile from its tags (each already encoded)."""
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags.items():
        data += b"\x00" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = struct.pack(">I4sI4s4s4s", size, b"lcms", version, klass, colour_space, pcs)
    header += b"\x00" * 12 + b"acsp" + b"\x00" * 24 + struct.pack(">I", 0)
    header += _s15(0.9642) + _s15(1.0) + _s15(0.8249)
    header += b"\x00" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + body


def _mluc(text: str) -> bytes:
    encoded = text.encode("utf-16-be")
    return (
        b"mluc\x00\x00\x00\x00"
        + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(encoded), 28)
        + encoded
    )


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + _s15(x) + _s15(y) + _s15(z)


def display_p3_icc() -> bytes:
    """Return a Display P3 profile: P3 primaries (D50-adapted), D65 white, sRGB curve."""
    curve = b"para\x00\x00\x00\x00" + struct.pack(">HH", 3, 0)
    curve += b"".join(_s15(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045))
    return _icc(
        b"RGB ",
        b"XYZ ",
        b"mntr",
        0x04300000,
        {
            b"desc": _mluc("Display P3 (test)"),
            b"cprt": _mluc("No copyright"),
            b"wtpt": _xyz(0.9642, 1.0, 0.8249),
            b"rXYZ": _xyz(0.515121, 0.241196, -0.001053),
            b"gXYZ": _xyz(0.291977, 0.692245, 0.041885),
            b"bXYZ": _xyz(0.157104, 0.066574, 0.784073),
            b"rTRC": curve,
            b"gTRC": curve,
            b"bTRC": curve,
        },
    )


def p3_to_srgb(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Convert a Display P3 colour to sRGB with the published matrix (not with lcms)."""

    def linear(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def encoded(c: float) -> int:
        c = min(1.0, max(0.0, c))
        c = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        return round(c * 255)

    r, g, b = (linear(v) for v in rgb)
    return (
        encoded(1.2249401 * r - 0.2249404 * g),
        encoded(-0.0420569 * r + 1.0420571 * g),
        encoded(-0.0196376 * r - 0.0786361 * g + 1.0982735 * b),
    )


def swapped_cmyk_icc() -> bytes:
    """Return a CMYK profile in which cyan ink shows as yellow (so its use is visible)."""

    # Each corner of the ink cube: rgb = (1-m, 1-y, 1-c) * (1-k), a channel rotation of
    # the naive conversion (1-c, 1-m, 1-y) * (1-k).
    def lab16(rgb: tuple[float, float, float]) -> bytes:
        matrix = (
            (0.4360747, 0.3850649, 0.1430804),  # linear sRGB to XYZ, D50-adapted
            (0.2225045, 0.7168786, 0.0606169),
            (0.0139322, 0.0971045, 0.7141733),
        )
        x, y, z = (sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix)

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

        fx, fy, fz = f(x / 0.9642), f(y), f(z / 0.8249)
        lab = (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
        scaled = (lab[0] * 652.8, (lab[1] + 128) * 256, (lab[2] + 128) * 256)
        return struct.pack(">HHH", *(min(65535, max(0, round(v))) for v in scaled))

    clut = b""
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    clut += lab16(((1 - m) * (1 - k), (1 - y) * (1 - k), (1 - c) * (1 - k)))
    lut = b"mft2\x00\x00\x00\x00" + bytes([4, 3, 2, 0])
    lut += b"".join(_s15(1.0 if i % 4 == 0 else 0.0) for i in range(9))
    lut += struct.pack(">HH", 2, 2) + struct.pack(">HH", 0, 65535) * 4 + clut
    lut += struct.pack(">HH", 0, 65535) * 3
    return _icc(
        b"CMYK",
        b"Lab ",
        b"prtr",
        0x02100000,
        {b"desc": _mluc("Swapped CMYK (test)"), b"wtpt": _xyz(0.9642, 1.0, 0.8249), b"A2B0": lut},
    )


# --- JPEG -----------------------------------------------------------------------------------


def jpeg(image: Image.Image, **options) -> bytes:
    """Encode a JPEG with whatever metadata ``options`` carry."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=options.pop("quality", 92), **options)
    return buffer.getvalue()


def with_segments(data: bytes, *segments: tuple[int, bytes]) -> bytes:
    """Insert raw marker segments right after a JPEG's SOI."""
    raw = b"".join(b"\xff" + bytes([m]) + struct.pack(">H", len(p) + 2) + p for m, p in segments)
    return data[:2] + raw + data[2:]


def gps_jpeg(orientation: int | None = None, size: tuple[int, int] = (300, 200)) -> bytes:
    """Return a JPEG with GPS EXIF, XMP, IPTC, a comment, a JFIF thumbnail and a trailer."""
    upright = quadrants(size)
    data = jpeg(
        stored_for(upright, orientation or 1),
        exif=exif_with_gps(orientation),
        comment=SECRET.encode(),
        icc_profile=None,
    )
    iptc = (
        b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10\x1c\x02\x50\x00\x0c"
        + SECRET.encode()[:12]
    )
    jfxx = b"JFXX\x00\x13" + bytes([2, 2]) + bytes(range(12))  # an APP0 extension thumbnail
    jfif_end = 4 + int.from_bytes(data[4:6], "big")  # Pillow writes SOI, then JFIF APP0
    data = data[:jfif_end] + with_segments(b"\xff\xd8", (0xE0, jfxx))[2:] + data[jfif_end:]
    data = with_segments(data, (0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP), (0xED, iptc))
    return data + b"<script>/* " + SECRET.encode() + b" */</script>"


def orientation_jpeg(orientation: int) -> bytes:
    """Return a JPEG that shows ``quadrants()`` when ``orientation`` is applied."""
    return gps_jpeg(orientation)


def p3_jpeg(colour: tuple[int, int, int] = (200, 60, 40), size=(320, 240)) -> bytes:
    """Return a JPEG of one Display P3 colour, tagged with a Display P3 profile."""
    return jpeg(Image.new("RGB", size, colour), icc_profile=display_p3_icc(), subsampling=0)


def cmyk_jpeg(with_icc: bool) -> bytes:
    """Return a CMYK JPEG: left half pure cyan ink, right half pure magenta ink."""
    image = Image.new("CMYK", (200, 100), (255, 0, 0, 0))
    image.paste((0, 255, 0, 0), (100, 0, 200, 100))
    return jpeg(image, icc_profile=swapped_cmyk_icc() if with_icc else None)


def grayscale_jpeg() -> bytes:
    """Return a grayscale JPEG: dark left half, light right half."""
    image = Image.new("L", (200, 100), 40)
    image.paste(210, (100, 0, 200, 100))
    return jpeg(image, exif=exif_with_gps())


def mpo_jpeg() -> bytes:
    """Return a phone-style multi-picture JPEG: a red picture, then a blue depth map."""
    buffer = io.BytesIO()
    first, second = halves((300, 200), RED, RED), halves((300, 200), BLUE, BLUE)
    first.save(buffer, "MPO", save_all=True, append_images=[second], exif=exif_with_gps())
    return buffer.getvalue()


def progressive_jpeg() -> bytes:
    """Return a progressive JPEG of the quadrant picture."""
    return jpeg(quadrants((640, 480)), progressive=True)


def truncated_jpeg() -> bytes:
    """Return a JPEG cut in the middle of its compressed data."""
    data = jpeg(photo_like((400, 300)))
    return data[: len(data) * 6 // 10]


# --- PNG ------------------------------------------------------------------------------------


def chunk(kind: bytes, body: bytes) -> bytes:
    """Return one PNG chunk with its CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def raw_png(
    width: int, height: int, depth: int, colour_type: int, rows, extra=(), level: int = 6
) -> bytes:
    """Build a PNG by hand from filtered rows (an iterable of bytes), streaming through zlib."""
    compressor, idat = zlib.compressobj(level), []
    for row in rows:
        idat.append(compressor.compress(row))
    idat.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    before = b"".join(chunk(kind, body) for kind, body in extra)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + before
        + chunk(b"IDAT", b"".join(idat))
        + chunk(b"IEND", b"")
    )


def png(image: Image.Image, **options) -> bytes:
    """Encode a PNG with whatever ``options`` carry."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def png_with_metadata(orientation: int | None = None) -> bytes:
    """Return a PNG with text, EXIF (GPS), time chunks, and HTML appended after IEND."""
    data = png(stored_for(quadrants(), orientation or 1), exif=exif_with_gps(orientation))
    extra = chunk(b"tEXt", b"Author\x00" + SECRET.encode())
    extra += chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET.encode()))
    extra += chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)
    extra += chunk(b"tIME", struct.pack(">HBBBBB", 2024, 5, 1, 10, 0, 0))
    at = data.index(b"IDAT") - 4
    html = b"<html><script>alert('" + SECRET.encode() + b"')</script></html>"
    return data[:at] + extra + data[at:] + html


def png_16bit_gray() -> bytes:
    """Return a 16-bit grayscale PNG: left half 0x4000 (dark grey), right half 0xC000."""
    row = b"\x00" + (b"\x40\x00" * 50) + (b"\xc0\x00" * 50)
    return raw_png(100, 60, 16, 0, [row] * 60)


def png_16bit_rgb() -> bytes:
    """Return a 16-bit RGB PNG of one orange colour (0xE000, 0x8000, 0x2000)."""
    row = b"\x00" + b"\xe0\x00\x80\x00\x20\x00" * 80
    return raw_png(80, 40, 16, 2, [row] * 40)


def palette_png() -> bytes:
    """Return a palette PNG of the quadrant picture."""
    return png(quadrants().convert("P", palette=Image.Palette.ADAPTIVE, colors=4))


def transparent_png() -> bytes:
    """Return an RGBA PNG: opaque red left half, fully transparent right half."""
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((220, 30, 30, 255), (0, 0, 100, 100))
    return png(image)


def colour_key_png() -> bytes:
    """Return an RGB PNG whose blue right half is made transparent by a tRNS colour key."""
    return png(halves((200, 100), RED, BLUE), transparency=BLUE)


def pixel_bomb_png(side: int = 30_000) -> bytes:
    """Return a PNG of ``side`` x ``side`` black 1-bit pixels: under 1 MB, 900 MP decoded."""
    row = b"\x00" * (1 + (side + 7) // 8)
    return raw_png(side, side, 1, 0, _repeat(row, side), level=1)


def big_png(side: int = 12_000) -> bytes:
    """Return a ``side`` x ``side`` grey gradient PNG with real pixels, made cheaply."""
    # The first row holds the gradient; each next row says "same as above" (filter Up).
    first = b"\x00" + bytes(x * 256 // side for x in range(side))
    rows = [first, *_repeat(b"\x02" + b"\x00" * side, side - 1)]
    return raw_png(side, side, 8, 0, rows, level=1)


def _repeat(row: bytes, count: int):
    batch = 256
    for start in range(0, count, batch):
        yield row * min(batch, count - start)


def wide_png() -> bytes:
    """Return a 20000 x 10 PNG: few pixels, but longer than any side we accept."""
    return raw_png(20_000, 10, 8, 0, [b"\x00" + b"\x80" * 20_000] * 10)


def truncated_png() -> bytes:
    """Return a PNG cut inside its image data."""
    data = png(photo_like((300, 200)))
    return data[: len(data) // 2]


def apng() -> bytes:
    """Return an animated PNG: a red frame, then a blue one."""
    buffer = io.BytesIO()
    red, blue = halves((120, 80), RED, RED), halves((120, 80), BLUE, BLUE)
    red.save(buffer, "PNG", save_all=True, append_images=[blue], duration=100)
    return buffer.getvalue()


# --- other formats --------------------------------------------------------------------------


def heic_iphone(orientation: int = 6) -> bytes:
    """Return an iPhone-style HEIC: Display P3 profile, EXIF orientation and GPS, XMP."""
    upright = quadrants((300, 200))
    buffer = io.BytesIO()
    stored_for(upright, orientation).save(
        buffer,
        "HEIF",
        quality=90,
        exif=exif_with_gps(orientation).tobytes(),
        xmp=XMP,
        icc_profile=display_p3_icc(),
    )
    return buffer.getvalue()


def webp(orientation: int | None = None, alpha: bool = False) -> bytes:
    """Return a WebP with EXIF (GPS), XMP and an ICC profile."""
    image = stored_for(quadrants(), orientation or 1)
    if alpha:
        image = image.convert("RGBA")
        image.putalpha(Image.new("L", image.size, 128))
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=90, exif=exif_with_gps(orientation), xmp=XMP)
    return buffer.getvalue()


def avif(orientation: int | None = None) -> bytes:
    """Return an AVIF with EXIF (GPS) and XMP."""
    buffer = io.BytesIO()
    image = stored_for(quadrants(), orientation or 1)
    image.save(buffer, "AVIF", quality=90, exif=exif_with_gps(orientation), xmp=XMP)
    return buffer.getvalue()


def animated_gif() -> bytes:
    """Return a two-frame GIF: red, then blue, with a comment."""
    buffer = io.BytesIO()
    red, blue = halves((120, 80), RED, RED), halves((120, 80), BLUE, BLUE)
    red.save(buffer, "GIF", save_all=True, append_images=[blue], duration=100, comment=SECRET)
    return buffer.getvalue()


def animated_webp() -> bytes:
    """Return a two-frame WebP (opaque frames, decoded as RGBA): red, then blue."""
    buffer = io.BytesIO()
    red, blue = halves((120, 80), RED, RED), halves((120, 80), BLUE, BLUE)
    red.save(buffer, "WEBP", save_all=True, append_images=[blue], duration=100)
    return buffer.getvalue()


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    """Return the first part of a file."""
    return data[: int(len(data) * keep)]


def impostors() -> dict[str, bytes]:
    """Return files of other kinds, each meant to be uploaded under a .jpg name."""
    small = quadrants((40, 30))
    files = {
        "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
        b'height="10"><script>alert(1)</script></svg>',
        "pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF",
        "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(x) print showpage\n",
        "psd": b"8BPS\x00\x01"
        + b"\x00" * 6
        + struct.pack(">HIIHH", 3, 30, 40, 8, 3)
        + b"\x00" * 64,
    }
    for fmt in ("TIFF", "BMP", "ICO", "PPM", "JPEG2000", "TGA"):
        buffer = io.BytesIO()
        small.save(buffer, fmt)
        files[fmt.lower()] = buffer.getvalue()
    return files


def luminance(rgb: tuple[int, ...]) -> float:
    """Return a colour's rough brightness."""
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


def distance(a: Any, b: Any) -> float:
    """Return the largest per-channel difference between two colours (pixels as read)."""
    return max(abs(x - y) for x, y in zip(a[:3], b[:3], strict=True))
