"""Bring any decoded picture to 8-bit sRGB, and summarise it (blurhash, dominant colour)."""

from __future__ import annotations

import functools
import io

import blurhash
from PIL import Image, ImageCms

try:
    from blurhash._functions import ffi as _ffi
    from blurhash._functions import lib as _lib
except ImportError:  # another build of blurhash-python: use its public encoder
    _ffi = _lib = None

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_WHITE = (255, 255, 255)
# 16-bit to 8-bit by scaling, not clipping: Pillow's I -> L conversion clips at 255, which
# would turn a 16-bit photo almost white.
_SIXTEEN_TO_EIGHT = [(value * 255 + 32767) // 65535 for value in range(65536)]
_SIXTEEN_BIT = {"I", "I;16", "I;16B", "I;16L", "I;16N"}
# Modes the resampler handles directly (LA and RGBA are premultiplied by Pillow first).
_RESIZABLE = {"L", "LA", "RGB", "RGBA", "CMYK"}


def resizable(image: Image.Image) -> Image.Image:
    """Return the picture in a mode that can be resampled without losing its look."""
    mode = image.mode
    if mode in ("L", "RGB") and "transparency" in image.info:
        return image.convert(mode + "A")  # a PNG colour key (tRNS) is transparency too
    if mode in _RESIZABLE:
        return image
    if mode in _SIXTEEN_BIT:
        return image.convert("I").point(_SIXTEEN_TO_EIGHT, "L")
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if transparent else "RGB")
    if mode == "1":
        return image.convert("L")
    if mode in ("La", "RGBa"):
        return image.convert(mode.upper())
    return image.convert("RGB")


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten transparency on white and convert to sRGB RGB through the embedded profile."""
    if image.mode in ("RGBA", "LA"):
        fill: int | tuple[int, int, int] = 255 if image.mode == "LA" else _WHITE
        background = Image.new(image.mode[:-1], image.size, fill)
        background.paste(image, mask=image.getchannel("A"))
        image = background
    if icc:
        transform = _transform(icc, image.mode)
        if transform is not None:
            return transform.apply(image)
    return image if image.mode == "RGB" else image.convert("RGB")


@functools.lru_cache(maxsize=32)
def _transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    # Building a transform parses the profile and costs milliseconds; phones reuse a few.
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.buildTransform(source, _SRGB, mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or mismatched profile (CMYK profile on an RGB picture) is ignored: the
        # pixels are shown as sRGB rather than refusing the photo.
        return None


def bare(image: Image.Image) -> Image.Image:
    """Drop the info carried over from the source, so that save() cannot write it."""
    # Pillow copies info on every operation and falls back to it for some fields when
    # saving (a JPEG's comment, a PNG's ICC profile).
    image.info = {}
    return image


def summarise(image: Image.Image) -> tuple[str, str]:
    """Return the blurhash and the dominant colour (#rrggbb) of an sRGB picture."""
    small = image.copy()
    small.thumbnail((32, 32), Image.Resampling.BILINEAR)
    x_components, y_components = (4, 3) if small.width >= small.height else (3, 4)
    return _blurhash(small, x_components, y_components), _dominant_color(small)


def _blurhash(small: Image.Image, x_components: int, y_components: int) -> str:
    """Encode a small RGB picture as a blurhash string."""
    if _lib is None:
        # blurhash.encode closes the image it is given: hand it its own copy.
        return str(blurhash.encode(small.copy(), x_components, y_components))
    # The C encoder behind blurhash.encode, fed with tobytes(): blurhash.encode builds a
    # Python list of every value through Image.getdata, which Pillow 14 removes.
    pixels = _ffi.from_buffer(small.tobytes())
    destination = _ffi.new("char[]", 2 + 4 + (9 * 9 - 1) * 2 + 1)
    result = _lib.create_hash_from_pixels(
        x_components, y_components, small.width, small.height, pixels, small.width * 3, destination
    )
    if result == _ffi.NULL:
        raise ValueError("blurhash could not encode this picture")
    return str(_ffi.string(result).decode())


def _dominant_color(small: Image.Image) -> str:
    """Return the colour of the most common cluster, as #rrggbb."""
    # Median cut is deterministic, so the same picture always gets the same colour.
    quantized = small.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    # A palette image's colours are (count, index) pairs.
    colors = quantized.getcolors() or [(1, 0)]
    counts = [(count, index) for count, index in colors if isinstance(index, int)]
    _, index = max(counts, key=lambda item: (item[0], -item[1]))
    red, green, blue = [*palette[index * 3 : index * 3 + 3], 0, 0, 0][:3]
    return f"#{red:02x}{green:02x}{blue:02x}"
