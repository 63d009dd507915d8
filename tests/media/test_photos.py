"""The photo pipeline on real files: probe, clean original, renditions, and refusals."""

from __future__ import annotations

import functools
import io
import random
import struct
import time
from collections.abc import Callable
from pathlib import Path

import blurhash
import pytest
from PIL import Image, ImageChops, ImageFile

from glimpse.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from glimpse.media.photos import (
    ALLOWED_PHOTO_FORMATS,
    Crop,
    PhotoProbe,
    RenderedPhoto,
    photo_clean_original,
    photo_from_image,
    photo_probe,
    photo_render,
)
from tests.media import corpus
from tests.media.corpus import BLUE, CORNERS, GREEN, RED, SECRET, YELLOW, distance

CAMERA_KEYS = {"make", "model", "lens", "exposure_time", "f_number", "iso", "focal_length"}
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP"}
PNG_KEPT |= {b"pHYs", b"eXIf"}
FORBIDDEN_INFO = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "icc_profile"}


@functools.cache
def sample(name: str) -> bytes:
    """Make each corpus file once per test session."""
    makers: dict[str, Callable[[], bytes]] = {
        "gps_jpeg": corpus.gps_jpeg,
        "p3_jpeg": corpus.p3_jpeg,
        "cmyk_jpeg": lambda: corpus.cmyk_jpeg(False),
        "cmyk_icc_jpeg": lambda: corpus.cmyk_jpeg(True),
        "gray_jpeg": corpus.grayscale_jpeg,
        "mpo_jpeg": corpus.mpo_jpeg,
        "progressive_jpeg": corpus.progressive_jpeg,
        "png_metadata": lambda: corpus.png_with_metadata(6),
        "png16_gray": corpus.png_16bit_gray,
        "png16_rgb": corpus.png_16bit_rgb,
        "palette_png": corpus.palette_png,
        "transparent_png": corpus.transparent_png,
        "colour_key_png": corpus.colour_key_png,
        "apng": corpus.apng,
        "heic": corpus.heic_iphone,
        "webp": lambda: corpus.webp(6),
        "webp_alpha": lambda: corpus.webp(alpha=True),
        "avif": lambda: corpus.avif(6),
        "gif": corpus.animated_gif,
        "animated_webp": corpus.animated_webp,
        "bomb": corpus.pixel_bomb_png,
        "big_png": corpus.big_png,
        **{f"orientation_{o}": functools.partial(corpus.orientation_jpeg, o) for o in range(1, 9)},
    }
    return makers[name]()


def put(tmp_path: Path, data: bytes, name: str = "upload.jpg") -> Path:
    """Write an upload under a .jpg name, whatever it really is."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def process(tmp_path: Path, data: bytes, **options) -> tuple[PhotoProbe, str, Path, RenderedPhoto]:
    """Run the whole pipeline as the media job does, in its own folder."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = put(tmp_path, data)
    probe = photo_probe(source)
    original = tmp_path / "original"
    extension = photo_clean_original(source, original)
    return probe, extension, original, photo_render(original, **options)


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def by_name(rendered: RenderedPhoto, name: str, fmt: str = "jpeg") -> Image.Image:
    [rendition] = [r for r in rendered.renditions if r.name == name and r.format == fmt]
    image = decoded(rendition.data)
    assert image.size == (rendition.width, rendition.height)
    return image.convert("RGB")


def corner_colours(image: Image.Image) -> dict[str, tuple[int, ...]]:
    width, height = image.size
    dx, dy = width // 8, height // 8
    points = {"tl": (dx, dy), "tr": (width - dx, dy), "bl": (dx, height - dy)}
    points["br"] = (width - dx, height - dy)
    return {key: image.getpixel(xy) for key, xy in points.items()}  # type: ignore[misc]


def centre(image: Image.Image) -> tuple[int, ...]:
    return image.getpixel((image.width // 2, image.height // 2))  # type: ignore[return-value]


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """Return (marker, payload) of every segment before the first scan."""
    segments, pos = [], 2
    while data[pos + 1] != 0xDA:
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segments.append((data[pos + 1], data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return segments


def png_chunks(data: bytes) -> list[bytes]:
    kinds, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        kinds.append(kind)
        pos += 12 + length
    return kinds


def assert_clean(data: bytes, *, original: bool = False) -> None:
    """No metadata in the bytes, or in what Pillow reads from them, nothing appended.

    The owner's original may keep its ICC profile and an EXIF block with Orientation only.
    """
    assert SECRET.encode() not in data
    assert b"<x:xmpmeta" not in data
    assert b"http://ns.adobe.com/xap" not in data
    image = decoded(data)
    exif = image.getexif()
    assert set(exif) <= ({0x0112} if original else set())
    assert not exif.get_ifd(0x8825)
    assert not exif.get_ifd(0x8769)
    allowed = {"icc_profile", "exif"} if original else set()
    assert not (FORBIDDEN_INFO - allowed) & set(image.info)
    if image.format == "JPEG":
        assert data.endswith(b"\xff\xd9")
        assert data.count(b"\xff\xd9") >= 1
        for marker, payload in jpeg_segments(data):
            assert marker != 0xFE, "comment"
            if 0xE0 <= marker <= 0xEF:
                assert payload.startswith(
                    (b"JFIF\x00", b"Exif\x00\x00", b"ICC_PROFILE\x00", b"Adobe")
                )
    elif image.format == "PNG":
        assert data.endswith(corpus.chunk(b"IEND", b""))
        assert set(png_chunks(data)) <= PNG_KEPT


# --- accepted formats -----------------------------------------------------------------------

ACCEPTED = [
    # name, format, upright size, orientation, extension of the clean original
    ("gps_jpeg", "JPEG", (300, 200), 1, "jpg"),
    ("p3_jpeg", "JPEG", (320, 240), 1, "jpg"),
    ("cmyk_jpeg", "JPEG", (200, 100), 1, "jpg"),
    ("cmyk_icc_jpeg", "JPEG", (200, 100), 1, "jpg"),
    ("gray_jpeg", "JPEG", (200, 100), 1, "jpg"),
    ("mpo_jpeg", "JPEG", (300, 200), 1, "jpg"),
    ("progressive_jpeg", "JPEG", (640, 480), 1, "jpg"),
    ("png_metadata", "PNG", (300, 200), 6, "png"),
    ("png16_gray", "PNG", (100, 60), 1, "png"),
    ("png16_rgb", "PNG", (80, 40), 1, "png"),
    ("palette_png", "PNG", (300, 200), 1, "png"),
    ("transparent_png", "PNG", (200, 100), 1, "png"),
    ("colour_key_png", "PNG", (200, 100), 1, "png"),
    ("apng", "PNG", (120, 80), 1, "png"),
    ("heic", "HEIF", (300, 200), 6, "jpg"),
    ("webp", "WEBP", (300, 200), 6, "jpg"),
    ("webp_alpha", "WEBP", (300, 200), 1, "png"),
    ("avif", "AVIF", (300, 200), 6, "jpg"),
    ("gif", "GIF", (120, 80), 1, "png"),
    ("animated_webp", "WEBP", (120, 80), 1, "jpg"),
    *[(f"orientation_{o}", "JPEG", (300, 200), o, "jpg") for o in range(1, 9)],
]


@pytest.mark.parametrize(("name", "fmt", "size", "orientation", "extension"), ACCEPTED)
def test_every_accepted_file_is_probed_cleaned_and_rendered_without_metadata(
    tmp_path: Path, name: str, fmt: str, size: tuple[int, int], orientation: int, extension: str
) -> None:
    probe, ext, original, rendered = process(tmp_path, sample(name))
    assert (probe.format, (probe.width, probe.height), probe.orientation) == (
        fmt,
        size,
        orientation,
    )
    assert set(probe.camera) <= CAMERA_KEYS
    assert ext == extension
    data = original.read_bytes()
    assert_clean(data, original=True)
    assert (rendered.width, rendered.height) == size
    assert len(rendered.renditions) == 9
    for rendition in rendered.renditions:
        assert_clean(rendition.data)
        assert decoded(rendition.data).format == rendition.format.upper()
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_allowed_formats_are_pillow_names() -> None:
    assert {"JPEG", "PNG", "WEBP", "HEIF", "AVIF", "GIF"} <= ALLOWED_PHOTO_FORMATS


def test_camera_facts_are_read_and_location_never(tmp_path: Path) -> None:
    probe = photo_probe(put(tmp_path, sample("gps_jpeg")))
    assert probe.camera == {
        "make": "Apple",
        "model": "iPhone 15 Pro",
        "lens": "iPhone 15 Pro back camera 6.86mm f/1.78",
        "exposure_time": "1/120",
        "f_number": 1.8,
        "iso": 64,
        "focal_length": 6.9,
    }
    assert SECRET not in repr(probe)


def test_a_photo_without_exif_has_no_camera_facts(tmp_path: Path) -> None:
    assert photo_probe(put(tmp_path, sample("p3_jpeg"))).camera == {}


# --- orientation ----------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_to_every_rendition(tmp_path: Path, orientation: int) -> None:
    _, _, original, rendered = process(tmp_path, sample(f"orientation_{orientation}"))
    for name in ("1080", "640", "320"):
        for fmt in ("jpeg", "webp"):
            image = by_name(rendered, name, fmt)
            assert image.size[0] > image.size[1]
            for key, colour in corner_colours(image).items():
                assert distance(colour, CORNERS[key]) < 20, (name, fmt, key, colour)
    # The owner's original keeps only the Orientation tag, so viewers show it upright too.
    with Image.open(original) as kept:
        assert dict(kept.getexif()) == ({} if orientation == 1 else {0x0112: orientation})


@pytest.mark.parametrize("name", ["heic", "avif", "webp", "png_metadata"])
def test_orientation_of_other_formats_is_applied(tmp_path: Path, name: str) -> None:
    _, _, _, rendered = process(tmp_path, sample(name))
    image = by_name(rendered, "1080")
    colours = corner_colours(image)
    if name == "heic":  # its pixels are Display P3: compare with the converted colours
        expected = {key: corpus.p3_to_srgb(value) for key, value in CORNERS.items()}
    else:
        expected = CORNERS
    for key, colour in colours.items():
        assert distance(colour, expected[key]) < 24, (key, colour, expected[key])


# --- colour ---------------------------------------------------------------------------------


def test_display_p3_is_converted_to_srgb(tmp_path: Path) -> None:
    _, _, original, rendered = process(tmp_path, sample("p3_jpeg"))
    expected = corpus.p3_to_srgb((200, 60, 40))
    assert distance(expected, (200, 60, 40)) > 12  # the conversion is visible
    for fmt in ("jpeg", "webp"):
        for name in ("1080", "320", "thumb"):
            assert distance(centre(by_name(rendered, name, fmt)), expected) <= 5
    # The original keeps its profile: it is colour, not metadata, and the owner needs it.
    with Image.open(original) as kept:
        assert kept.info["icc_profile"] == corpus.display_p3_icc()


def test_cmyk_without_profile_is_converted_naively(tmp_path: Path) -> None:
    _, _, original, rendered = process(tmp_path, sample("cmyk_jpeg"))
    image = by_name(rendered, "1080")
    assert distance(image.getpixel((20, 50)), (0, 255, 255)) < 12  # cyan ink
    assert distance(image.getpixel((180, 50)), (255, 0, 255)) < 12  # magenta ink
    with Image.open(original) as kept, Image.open(io.BytesIO(sample("cmyk_jpeg"))) as source:
        # Same compressed data, same Adobe transform marker: identical pixels.
        assert kept.mode == "CMYK"
        assert ImageChops.difference(kept, source).getbbox() is None


def test_cmyk_original_keeps_the_adobe_marker_decoders_need(tmp_path: Path) -> None:
    # Its transform flag tells libjpeg whether 4 channels are CMYK or YCCK.
    _, _, original, _ = process(tmp_path, sample("cmyk_icc_jpeg"))
    markers = [(m, payload[:5]) for m, payload in jpeg_segments(original.read_bytes())]
    assert (0xEE, b"Adobe") in markers
    assert (0xE2, b"ICC_P") in markers


def test_cmyk_with_profile_is_converted_through_it(tmp_path: Path) -> None:
    _, _, _, rendered = process(tmp_path, sample("cmyk_icc_jpeg"))
    image = by_name(rendered, "1080")
    # The test profile shows cyan ink as yellow and magenta ink as cyan.
    assert distance(image.getpixel((20, 50)), (255, 255, 0)) < 16
    assert distance(image.getpixel((180, 50)), (0, 255, 255)) < 16


def test_sixteen_bit_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    _, _, _, gray = process(tmp_path / "gray", sample("png16_gray"))
    image = by_name(gray, "1080")
    assert distance(image.getpixel((10, 30)), (64, 64, 64)) <= 3
    assert distance(image.getpixel((90, 30)), (191, 191, 191)) <= 3
    _, _, _, rgb = process(tmp_path / "rgb", sample("png16_rgb"))
    assert distance(centre(by_name(rgb, "1080")), (224, 128, 32)) <= 4


def test_palette_and_grayscale_pictures_render_in_rgb(tmp_path: Path) -> None:
    _, _, _, rendered = process(tmp_path / "palette", sample("palette_png"))
    for key, colour in corner_colours(by_name(rendered, "1080", "webp")).items():
        assert distance(colour, CORNERS[key]) < 20
    _, _, _, gray = process(tmp_path / "gray", sample("gray_jpeg"))
    image = by_name(gray, "1080")
    assert distance(image.getpixel((20, 50)), (40, 40, 40)) <= 4
    assert distance(image.getpixel((180, 50)), (210, 210, 210)) <= 4


@pytest.mark.parametrize("name", ["transparent_png", "colour_key_png"])
@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_transparency_is_flattened_on_white_in_every_format(
    tmp_path: Path, fmt: str, name: str
) -> None:
    _, extension, original, rendered = process(tmp_path, sample(name))
    image = decoded(
        next(r for r in rendered.renditions if r.name == "1080" and r.format == fmt).data
    )
    assert image.mode == "RGB"
    assert distance(image.getpixel((20, 50)), RED) < 12
    assert distance(image.getpixel((180, 50)), (255, 255, 255)) < 6
    # The owner's original keeps its transparency.
    assert extension == "png"
    with Image.open(original) as kept:
        assert kept.convert("RGBA").getpixel((180, 50))[3] == 0  # type: ignore[index]


def test_transparent_webp_keeps_alpha_in_the_original(tmp_path: Path) -> None:
    _, extension, original, rendered = process(tmp_path, sample("webp_alpha"))
    assert extension == "png"
    with Image.open(original) as kept:
        assert kept.mode == "RGBA"
    # Half-transparent red on white: a light red.
    assert distance(corner_colours(by_name(rendered, "1080"))["tl"], (238, 142, 142)) < 16


@pytest.mark.parametrize("name", ["gif", "animated_webp", "apng", "mpo_jpeg"])
def test_animations_and_multi_picture_files_keep_their_first_picture(
    tmp_path: Path, name: str
) -> None:
    _, _, original, rendered = process(tmp_path, sample(name))
    assert distance(centre(by_name(rendered, "1080")), RED) < 12
    data = original.read_bytes()
    with Image.open(original) as kept:
        assert getattr(kept, "n_frames", 1) == 1
        assert distance(centre(kept.convert("RGB")), RED) < 12
    assert b"acTL" not in data
    assert b"MPF\x00" not in data
    assert data.count(b"\xff\xd8\xff") <= 1


def test_heic_from_a_phone_keeps_its_profile_but_no_exif(tmp_path: Path) -> None:
    probe, extension, original, _ = process(tmp_path, sample("heic"))
    assert probe.camera["make"] == "Apple"
    assert "gps" not in str(probe.camera).lower()
    assert extension == "jpg"
    with Image.open(original) as kept:
        assert kept.size == (300, 200)
        assert kept.info["icc_profile"] == corpus.display_p3_icc()
        assert not kept.getexif()


# --- sizes, crop, edit ----------------------------------------------------------------------


def test_rendition_ladder_from_a_large_photo(tmp_path: Path) -> None:
    data = corpus.jpeg(corpus.photo_like((1600, 1200)), exif=corpus.exif_with_gps())
    _, _, _, rendered = process(tmp_path, data)
    sizes = {(r.name, r.format): (r.width, r.height) for r in rendered.renditions}
    assert sizes == {
        ("1080", "webp"): (1080, 810),
        ("1080", "jpeg"): (1080, 810),
        ("640", "webp"): (640, 480),
        ("640", "jpeg"): (640, 480),
        ("320", "webp"): (320, 240),
        ("320", "jpeg"): (320, 240),
        ("thumb", "webp"): (150, 150),
        ("thumb", "jpeg"): (150, 150),
        ("base", "jpeg"): (1080, 810),
    }
    assert (rendered.width, rendered.height) == (1600, 1200)


def test_small_photos_are_never_upscaled_except_the_thumb(tmp_path: Path) -> None:
    _, _, _, rendered = process(tmp_path, corpus.jpeg(corpus.quadrants((500, 120))))
    sizes = {r.name: (r.width, r.height) for r in rendered.renditions}
    assert sizes == {
        "1080": (500, 120),
        "640": (500, 120),
        "320": (320, 77),
        "thumb": (150, 150),
        "base": (500, 120),
    }


def test_a_thin_panorama_still_gets_a_square_thumb(tmp_path: Path) -> None:
    _, _, _, rendered = process(tmp_path, corpus.jpeg(corpus.halves((4000, 200), RED, RED)))
    sizes = {r.name: (r.width, r.height) for r in rendered.renditions}
    assert sizes["1080"] == (1080, 54)
    assert sizes["thumb"] == (150, 150)
    assert distance(centre(by_name(rendered, "thumb")), RED) < 12


def test_crop_is_applied_before_the_renditions(tmp_path: Path) -> None:
    data = corpus.jpeg(corpus.halves((1600, 800), RED, BLUE))
    _, _, _, rendered = process(tmp_path, data, crop=Crop(0.0, 0.0, 0.5, 1.0))
    assert (rendered.width, rendered.height) == (800, 800)
    for rendition in rendered.renditions:
        if rendition.name == "base":
            continue
        image = decoded(rendition.data).convert("RGB")
        extrema = [band[1] for band in image.getextrema()]  # type: ignore[index]
        assert extrema[2] < 90, (rendition.name, rendition.format)  # no blue anywhere
        assert distance(centre(image), RED) < 12
    # The base is the whole picture, uncut, for the composer to preview another crop.
    base = by_name(rendered, "base")
    assert base.size == (1080, 540)
    assert distance(corner_colours(base)["tl"], RED) < 12
    assert distance(corner_colours(base)["tr"], BLUE) < 12


@pytest.mark.parametrize("orientation", range(1, 9))
def test_crop_is_taken_from_the_upright_picture(tmp_path: Path, orientation: int) -> None:
    # The top-right quadrant of the upright picture is green, whatever the camera stored.
    crop = Crop(0.5, 0.0, 0.5, 0.5)
    _, _, _, rendered = process(tmp_path, sample(f"orientation_{orientation}"), crop=crop)
    assert (rendered.width, rendered.height) == (150, 100)
    for name in ("1080", "thumb"):
        image = by_name(rendered, name)
        for colour in corner_colours(image).values():
            assert distance(colour, GREEN) < 24, (name, colour)


# The corners of the upright quadrants picture once turned clockwise by each quarter.
TURNED_CORNERS = {
    0: {"tl": RED, "tr": GREEN, "bl": BLUE, "br": YELLOW},
    90: {"tl": BLUE, "tr": RED, "bl": YELLOW, "br": GREEN},
    180: {"tl": YELLOW, "tr": BLUE, "bl": GREEN, "br": RED},
    270: {"tl": GREEN, "tr": YELLOW, "bl": RED, "br": BLUE},
}


@pytest.mark.parametrize("orientation", [1, 6, 8, 3, 5])
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_quarter_turn_turns_every_rendition(
    tmp_path: Path, rotation: int, orientation: int
) -> None:
    # Whatever the camera stored, the person turns the upright picture (300 x 200).
    crop = Crop(0.0, 0.0, 1.0, 1.0, rotation=rotation)
    _, _, _, rendered = process(tmp_path, sample(f"orientation_{orientation}"), crop=crop)
    expected_size = (200, 300) if rotation in (90, 270) else (300, 200)
    assert (rendered.width, rendered.height) == expected_size
    image = by_name(rendered, "1080")
    assert image.size == expected_size
    for corner, colour in corner_colours(image).items():
        assert distance(colour, TURNED_CORNERS[rotation][corner]) < 24, (corner, colour)
    # The base stays the upright picture, unturned: previews turn it on the screen.
    base = by_name(rendered, "base")
    assert base.size == (300, 200)
    assert distance(corner_colours(base)["tr"], GREEN) < 24


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("corner", ["tl", "tr", "bl", "br"])
def test_a_crop_of_a_turned_picture_cuts_the_turned_picture(
    tmp_path: Path, rotation: int, corner: str
) -> None:
    # A 4000 x 2000 photo: the crop needs more than the shrink-on-load of the whole picture.
    data = corpus.jpeg(corpus.quadrants((4000, 2000)))
    x = 0.5 if corner in ("tr", "br") else 0.0
    y = 0.5 if corner in ("bl", "br") else 0.0
    # A quarter of the turned picture, shrunk a little so no edge of another colour shows.
    crop = Crop(x + 0.05, y + 0.05, 0.4, 0.4, rotation=rotation)
    _, _, _, rendered = process(tmp_path, data, crop=crop)
    turned = (2000, 4000) if rotation in (90, 270) else (4000, 2000)
    assert (rendered.width, rendered.height) == (round(0.4 * turned[0]), round(0.4 * turned[1]))
    image = by_name(rendered, "1080")
    assert image.width == min(1080, rendered.width)
    for colour in corner_colours(image).values():
        assert distance(colour, TURNED_CORNERS[rotation][corner]) < 24, colour


def test_a_turn_that_is_not_a_quarter_is_refused(tmp_path: Path) -> None:
    original = tmp_path / "original"
    photo_clean_original(put(tmp_path, sample("gps_jpeg")), original)
    with pytest.raises(InvalidInput) as error:
        photo_render(original, crop=Crop(0, 0, 1, 1, rotation=45))
    assert error.value.code == "invalid_crop"


def test_crop_of_a_large_jpeg_decodes_enough_pixels(tmp_path: Path) -> None:
    # A quarter-width crop of a 4000-wide photo needs 1000 pixels: shrink-on-load may use
    # 1/2 scale at most, and the rendition is exactly as wide as the crop.
    data = corpus.jpeg(corpus.quadrants((4000, 2000)))
    _, _, _, rendered = process(tmp_path, data, crop=Crop(0.75, 0.5, 0.25, 0.5))
    image = by_name(rendered, "1080")
    assert image.size == (1000, 1000)
    assert distance(centre(image), YELLOW) < 12


@pytest.mark.parametrize(
    "crop",
    [
        Crop(-0.1, 0, 0.5, 0.5),
        Crop(0.6, 0, 0.5, 1),
        Crop(0, 0, 0, 1),
        Crop(0, 0, float("nan"), 1),
        Crop(1.0, 0, 1e-9, 1),
        Crop(0, 0, 0.5, 0.001),
    ],
)
def test_a_crop_outside_the_photo_is_refused(tmp_path: Path, crop: Crop) -> None:
    original = tmp_path / "original"
    photo_clean_original(put(tmp_path, sample("gps_jpeg")), original)
    with pytest.raises(InvalidInput) as error:
        photo_render(original, crop=crop)
    assert error.value.code == "invalid_crop"


def test_edit_is_applied_to_every_rendition_but_not_to_the_base(tmp_path: Path) -> None:
    calls: list[tuple[str, tuple[int, int]]] = []

    def invert(image: Image.Image) -> Image.Image:
        calls.append((image.mode, image.size))
        return ImageChops.invert(image)

    data = corpus.jpeg(corpus.halves((1600, 1200), RED, RED))
    _, _, _, rendered = process(tmp_path, data, edit=invert)
    assert calls == [("RGB", (1080, 810))]  # once, on the largest size
    cyan = (255 - RED[0], 255 - RED[1], 255 - RED[2])
    for rendition in rendered.renditions:
        colour = centre(decoded(rendition.data).convert("RGB"))
        expected = RED if rendition.name == "base" else cyan
        assert distance(colour, expected) < 12, (rendition.name, rendition.format, colour)
    assert distance(centre(by_name(rendered, "thumb", "webp")), cyan) < 12


def test_an_edit_that_changes_the_size_is_a_bug(tmp_path: Path) -> None:
    original = tmp_path / "original"
    photo_clean_original(put(tmp_path, sample("gps_jpeg")), original)
    with pytest.raises(TypeError):
        photo_render(original, edit=lambda image: image.resize((10, 10)))


def test_blurhash_and_dominant_colour_of_a_mostly_red_photo(tmp_path: Path) -> None:
    image = Image.new("RGB", (800, 600), RED)
    image.paste(BLUE, (640, 0, 800, 600))
    _, _, _, rendered = process(tmp_path, corpus.jpeg(image))
    assert blurhash.is_valid_blurhash(rendered.blurhash)
    preview = blurhash.decode(rendered.blurhash, 32, 24)
    assert distance(centre(preview), RED) < 60
    assert len(rendered.dominant_color) == 7
    assert rendered.dominant_color.startswith("#")
    dominant = tuple(int(rendered.dominant_color[i : i + 2], 16) for i in (1, 3, 5))
    assert distance(dominant, RED) < 24


def test_rendering_twice_gives_identical_bytes(tmp_path: Path) -> None:
    data = corpus.jpeg(corpus.photo_like((1400, 900)), exif=corpus.exif_with_gps(6))
    first = process(tmp_path / "first", data, crop=Crop(0.1, 0.1, 0.8, 0.8))
    second = process(tmp_path / "again", data, crop=Crop(0.1, 0.1, 0.8, 0.8))
    assert first[2].read_bytes() == second[2].read_bytes()
    assert first[3] == second[3]


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_video_poster_becomes_a_clean_original(tmp_path: Path, mode: str) -> None:
    frame = corpus.quadrants((640, 360)).convert(mode)
    frame.info.update({"exif": corpus.exif_with_gps().tobytes(), "comment": SECRET.encode()})
    photo_from_image(frame, tmp_path / "poster")
    data = (tmp_path / "poster").read_bytes()
    assert_clean(data)
    assert photo_probe(tmp_path / "poster").format == "JPEG"
    rendered = photo_render(tmp_path / "poster")
    for key, colour in corner_colours(by_name(rendered, "1080")).items():
        assert distance(colour, CORNERS[key]) < 20


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(corpus.impostors()))
def test_other_kinds_of_file_renamed_jpg_are_415(tmp_path: Path, kind: str) -> None:
    source = put(tmp_path, corpus.impostors()[kind])
    for call in (photo_probe, lambda p: photo_clean_original(p, tmp_path / "o"), photo_render):
        with pytest.raises(UnsupportedMediaType) as error:
            call(source)
        assert error.value.status == 415
    assert not (tmp_path / "o").exists()


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        photo_probe(put(tmp_path, b""))
    assert error.value.code == "corrupt_image"


TRUNCATED = {
    "jpeg": corpus.truncated_jpeg,
    "jpeg_header": lambda: corpus.truncated(sample("gps_jpeg"), 0.02),
    "png": corpus.truncated_png,
    "heic": lambda: corpus.truncated(sample("heic"), 0.7),
    "webp": lambda: corpus.truncated(sample("webp"), 0.7),
    "avif": lambda: corpus.truncated(sample("avif"), 0.8),
    "gif": lambda: corpus.truncated(sample("gif"), 0.5),
}


@pytest.mark.parametrize("lenient_pillow", [False, True])
@pytest.mark.parametrize("kind", sorted(TRUNCATED))
def test_truncated_files_are_refused_as_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, lenient_pillow: bool
) -> None:
    # Even when something in the process told Pillow to accept truncated files.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient_pillow)
    source = put(tmp_path, TRUNCATED[kind]())

    def probe_and_clean() -> None:
        photo_probe(source)  # may pass: it reads the header only
        photo_clean_original(source, tmp_path / "original")

    with pytest.raises(InvalidInput) as error:
        probe_and_clean()
    assert error.value.code == "corrupt_image"
    assert "damaged" in error.value.message
    assert not (tmp_path / "original").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["upload.jpg"]


def test_png_with_html_appended_comes_out_clean(tmp_path: Path) -> None:
    data = sample("png_metadata")
    assert b"<script>" in data
    _, _, original, _ = process(tmp_path, data)
    cleaned = original.read_bytes()
    assert b"<script>" not in cleaned
    assert b"tEXt" not in cleaned
    assert b"tIME" not in cleaned
    assert cleaned.endswith(corpus.chunk(b"IEND", b""))


def test_jpeg_original_is_copied_without_reencoding(tmp_path: Path) -> None:
    data = sample("gps_jpeg")
    _, _, original, _ = process(tmp_path, data)
    cleaned = original.read_bytes()
    # The compressed picture is copied byte for byte; what follows EOI is gone.
    scan = data[data.index(b"\xff\xda") : data.rindex(b"\xff\xd9") + 2]
    assert cleaned.endswith(scan)
    assert b"<script>" not in cleaned
    assert [m for m, _ in jpeg_segments(cleaned) if 0xE0 <= m <= 0xEF] == [0xE0]


def test_pixel_bomb_is_refused_fast_without_decoding(tmp_path: Path) -> None:
    source = put(tmp_path, sample("bomb"))
    assert source.stat().st_size < 1_000_000
    for call in (photo_probe, lambda p: photo_clean_original(p, tmp_path / "o"), photo_render):
        start = time.perf_counter()
        with pytest.raises(PayloadTooLarge) as error:
            call(source)
        assert time.perf_counter() - start < 1.0
        assert error.value.code == "too_many_pixels"
        assert error.value.status == 413


def test_a_large_real_png_is_refused_from_its_header(tmp_path: Path) -> None:
    source = put(tmp_path, sample("big_png"))
    start = time.perf_counter()
    with pytest.raises(PayloadTooLarge) as error:
        photo_probe(source)
    assert time.perf_counter() - start < 1.0
    assert error.value.code == "too_many_pixels"


def test_a_side_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PayloadTooLarge) as error:
        photo_probe(put(tmp_path, corpus.wide_png()))
    assert error.value.code == "too_large_dimensions"


def test_limits_come_from_settings(tmp_path: Path, settings) -> None:
    settings.GLIMPSE_PHOTO_MAX_PIXELS = 50_000
    with pytest.raises(PayloadTooLarge):
        photo_probe(put(tmp_path, sample("gps_jpeg")))  # 60,000 pixels


def test_our_limit_decides_even_above_pillows_own_guard(
    tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pillow warns above 89 MP (an error under this test suite) and refuses above 179 MP;
    # a limit configured above that must still be the one that decides.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50_000)
    settings.GLIMPSE_PHOTO_MAX_PIXELS = 100_000
    assert photo_probe(put(tmp_path, sample("gps_jpeg"))).width == 300
    with pytest.raises(PayloadTooLarge):
        photo_probe(put(tmp_path, corpus.jpeg(corpus.quadrants((400, 300))), "b.jpg"))


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about damaged EXIF
@pytest.mark.parametrize("name", ["gps_jpeg", "png_metadata", "heic", "webp", "avif", "gif"])
def test_damaged_files_are_refused_or_come_out_clean(tmp_path: Path, name: str) -> None:
    # Seeded random damage: every outcome is a client error or a clean result, never a 500.
    rng = random.Random(name)
    for attempt in range(12):
        data = bytearray(sample(name))
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if attempt % 3 == 0:
            data = data[: rng.randrange(len(data))]
        folder = tmp_path / str(attempt)
        try:
            _, _, original, rendered = process(folder, bytes(data))
        except (InvalidInput, PayloadTooLarge, UnsupportedMediaType):
            continue
        for output in [original.read_bytes(), *(r.data for r in rendered.renditions)]:
            assert SECRET.encode() not in output
            assert b"xmpmeta" not in output
