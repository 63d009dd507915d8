"""The two edits that depend on where a pixel is: vignette and sharpen."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageChops, ImageFilter

INNER = 0.3  # the middle of the frame, out to 30% of the way to a corner, is never darkened
SHARPEN_MAX = 2.0  # at 100, each pixel moves twice its difference from its neighbours


def vignette(image: Image.Image, darkening: float, *, in_place: bool = False) -> Image.Image:
    """Return ``image`` darkened toward its corners by ``darkening`` (0..1), middle untouched."""
    falloff, black = _canvas(image.size)
    if in_place:
        # Pasting black through the darkening mask saves allocating (and page-faulting in)
        # a new 1080x1080 image: about 1 ms of the 15 ms budget.
        image.paste(black, None, falloff.point([round(darkening * v) for v in range(256)]))
        return image
    keep = falloff.point([round(255 - darkening * v) for v in range(256)])
    return Image.composite(image, black, keep)


def sharpen(image: Image.Image, amount: float) -> Image.Image:
    """Return ``image`` with fine detail sharpened by ``amount`` (0..1), on luminance only."""
    # A 3x3 kernel at the rendition's own size ("output sharpening") looks the same at every
    # size. Running it on luminance alone avoids colour fringes and takes a third of the
    # time of the same kernel on RGB (7 ms instead of 21 ms at 1080x1080).
    side = -SHARPEN_MAX * amount / 8
    kernel = ImageFilter.Kernel((3, 3), [side] * 4 + [1 + SHARPEN_MAX * amount] + [side] * 4, 1)
    luma = image.convert("L")
    # The detail is signed, so it travels with an offset of 128 and comes off when added.
    detail = ImageChops.subtract(luma.filter(kernel), luma, 1, 128)
    return ImageChops.add(image, Image.merge("RGB", (detail, detail, detail)), 1, -128)


@lru_cache(maxsize=4)
def _canvas(size: tuple[int, int]) -> tuple[Image.Image, Image.Image]:
    """Return the vignette's shape at ``size`` (L: 0 in the middle, 255 at corners) and black."""
    # Cached per size because making a fresh black 1080x1080 image costs more than using it.
    return _unit_falloff().resize(size, Image.Resampling.BILINEAR), Image.new("RGB", size)


@lru_cache(maxsize=1)
def _unit_falloff() -> Image.Image:
    """Return the vignette's shape on a small square, to be stretched to the frame's shape."""
    n = 128
    levels = []
    for y in range(n):
        dy = (y + 0.5) / n * 2 - 1
        for x in range(n):
            dx = (x + 0.5) / n * 2 - 1
            r = ((dx * dx + dy * dy) / 2) ** 0.5  # 0 in the middle, 1 at a corner
            t = min(1.0, max(0.0, (r - INNER) / (1 - INNER)))
            levels.append(round(255 * t * t * (3 - 2 * t)))  # smoothstep: no visible edge
    image = Image.new("L", (n, n))
    image.putdata(levels)
    return image
