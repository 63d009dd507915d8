"""The installable app's icons, drawn with Pillow from the favicon's shapes (no file is fetched).

The logo is the favicon's: a rounded square filled with the brand gradient, and a white
camera outline (a rounded square, a lens, a dot). ``manage.py make_app_icons`` draws every
size into ``glimpse/static/icons/``, where they are committed; a test checks their sizes.

- ``icon-<n>.png``: the logo with transparent corners ("any" purpose);
- ``icon-maskable-<n>.png``: the gradient to every edge and the camera inside the centre
  circle of 80% that a launcher's mask always keeps ("maskable" purpose);
- ``apple-touch-icon.png``: 180 px, opaque (iOS rounds the corners itself);
- ``badge-96.png``: the white camera alone on transparency, for Android's status bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = ((0xFF, 0x8A, 0x3D), (0xE4, 0x40, 0x7A), (0x7B, 0x4D, 0xFF))  # as in glimpse.css
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 4  # drawn 4 times larger, then reduced: smooth edges without anti-aliasing


@dataclass(frozen=True)
class IconSpec:
    """One icon file: its name, side in pixels, and how it is drawn."""

    name: str
    size: int
    style: str  # "any", "maskable", "opaque" or "badge"


ICONS = (
    IconSpec("icon-192.png", 192, "any"),
    IconSpec("icon-512.png", 512, "any"),
    IconSpec("icon-maskable-192.png", 192, "maskable"),
    IconSpec("icon-maskable-512.png", 512, "maskable"),
    IconSpec("apple-touch-icon.png", 180, "opaque"),
    IconSpec("badge-96.png", 96, "badge"),
)


def icons_write(folder: Path) -> list[Path]:
    """Draw every icon into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in ICONS:
        target = folder / spec.name
        icon_draw(spec).save(target, format="PNG", optimize=True)
        written.append(target)
    return written


def icon_draw(spec: IconSpec) -> Image.Image:
    """Return one icon as an RGBA image of its size."""
    side = spec.size * SUPERSAMPLE
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    if spec.style != "badge":
        background = _gradient(side)
        if spec.style == "any":
            mask = Image.new("L", (side, side), 0)
            ImageDraw.Draw(mask).rounded_rectangle((0, 0, side - 1, side - 1), side // 4, 255)
            canvas.paste(background, (0, 0), mask)
        else:
            canvas.paste(background, (0, 0))
    # The camera spans 36/64 of the favicon; within a maskable icon's safe circle it is
    # drawn smaller, and the badge fills most of its square.
    scale = {"any": 1.0, "opaque": 1.0, "maskable": 0.85, "badge": 1.5}[spec.style]
    _camera(ImageDraw.Draw(canvas), side, scale)
    return canvas.resize((spec.size, spec.size), Image.Resampling.LANCZOS)


def _gradient(side: int) -> Image.Image:
    """Return the brand's diagonal gradient, bottom left to top right, as the favicon's."""
    small = 64
    image = Image.new("RGB", (small, small))
    pixels = image.load()
    assert pixels is not None
    for y in range(small):
        for x in range(small):
            t = (x + (small - 1 - y)) / (2 * (small - 1))
            pixels[x, y] = _mix(t)
    return image.resize((side, side), Image.Resampling.BICUBIC)


def _mix(t: float) -> tuple[int, int, int]:
    """Return the gradient's colour at ``t`` (0 to 1), through its three stops."""
    start, end, local = (BRAND[0], BRAND[1], t * 2) if t < 0.5 else (BRAND[1], BRAND[2], t * 2 - 1)
    r, g, b = (round(a + (z - a) * local) for a, z in zip(start, end, strict=True))
    return (r, g, b)


def _camera(draw: ImageDraw.ImageDraw, side: int, scale: float) -> None:
    """Draw the white camera outline centred, in the favicon's proportions times ``scale``."""
    unit = side / 64 * scale
    centre = side / 2
    stroke = round(5 * unit)

    def box(half: float, dx: float = 0, dy: float = 0) -> tuple[float, float, float, float]:
        x, y = centre + dx * unit, centre + dy * unit
        return (x - half * unit, y - half * unit, x + half * unit, y + half * unit)

    # Pillow strokes inside the box; the favicon strokes across its path: 2.5 more outside.
    draw.rounded_rectangle(box(18 + 2.5), radius=13.5 * unit, outline=WHITE, width=stroke)
    draw.ellipse(box(8.5 + 2.5), outline=WHITE, width=stroke)
    draw.ellipse(box(3, dx=10, dy=-10), fill=WHITE)
