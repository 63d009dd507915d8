"""Render an edit: colour compiled once per parameter set, then vignette and sharpen.

All colour work (a filter's curves and matrix at its strength, and every tone adjustment) is
compiled into at most three C passes over the image: a per-channel table (``Image.point``), a
3x4 colour matrix (``Image.convert``) and a second per-channel table. Empty passes are
skipped, and the two tables merge into one when there is no matrix. A Color3DLUT would
express the same in one pass, but on this hardware Pillow's 3D interpolation costs 25 ms
for a 1080x1080 image, against 1.4 ms for a table and 3.7 ms for the matrix (see
docs/filters.md and bench/media_filters.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from glimpse.media.filters import curves, spatial
from glimpse.media.filters.curves import Tone
from glimpse.media.filters.edit import Edit
from glimpse.media.filters.recipe import (
    IDENTITY,
    Matrix,
    Row,
    multiply,
    saturation_matrix,
    transform,
)
from glimpse.media.filters.recipes import FILTERS

# Adjustments that only change colour, so they compile into the colour passes.
COLOUR_ADJUSTMENTS = frozenset(
    {"brightness", "contrast", "saturation", "warmth", "fade", "highlights", "shadows"}
)
VIGNETTE_MAX = 0.7  # the vignette adjustment at 100 keeps 30% of the light in the corners


@dataclass(frozen=True)
class ColourPlan:
    """A colour edit as up to three C passes: table, matrix, table (None = skipped)."""

    before: tuple[int, ...] | None = None
    matrix: tuple[float, ...] | None = None
    after: tuple[int, ...] | None = None

    def apply(self, image: Image.Image) -> Image.Image:
        """Return ``image`` with the plan applied (the image itself when the plan is empty)."""
        if self.before is not None:
            image = image.point(self.before)
        if self.matrix is not None:
            image = image.convert("RGB", self.matrix)
        if self.after is not None:
            image = image.point(self.after)
        return image


def apply_edit(image: Image.Image, edit: Edit) -> Image.Image:
    """Return ``image`` (RGB) with ``edit`` applied, same size; identity returns it as is."""
    if edit.is_identity:
        return image
    if image.mode != "RGB":
        raise ValueError(f"apply_edit takes an RGB image, not {image.mode}.")
    values = dict(edit.adjustments)
    filter_name = edit.filter if edit.strength else None
    colour = tuple((name, value) for name, value in edit.adjustments if name in COLOUR_ADJUSTMENTS)
    out = colour_plan(filter_name, edit.strength, colour).apply(image)
    darkening = vignette_darkening(edit)
    if darkening:
        out = spatial.vignette(out, darkening, in_place=out is not image)
    if values.get("sharpen"):
        out = spatial.sharpen(out, values["sharpen"] / 100)
    return out


def vignette_darkening(edit: Edit) -> float:
    """Return how much the corners darken (0..1): the filter's vignette and the adjustment."""
    recipe = FILTERS[edit.filter].vignette * edit.strength / 100 if edit.filter else 0.0
    adjustment = VIGNETTE_MAX * dict(edit.adjustments).get("vignette", 0) / 100
    # Two vignettes stack the way two layers of darkening would: the light kept multiplies.
    return 1 - (1 - recipe) * (1 - adjustment)


@lru_cache(maxsize=256)
def colour_plan(
    filter_name: str | None, strength: int, adjustments: tuple[tuple[str, int], ...]
) -> ColourPlan:
    """Compile a filter at ``strength`` (0..100) and colour adjustments into a ColourPlan."""
    s = strength / 100 if filter_name else 0.0
    recipe = FILTERS[filter_name] if filter_name else None
    values = {name: value / 100 for name, value in adjustments}

    before: tuple[Tone, Tone, Tone] | None = None
    matrix, offset = IDENTITY, (0.0, 0.0, 0.0)
    if recipe is not None and s:
        if not recipe.is_curve_identity:
            before = _recipe_curves(recipe.rgb, (recipe.red, recipe.green, recipe.blue), s)
        # A strength below 100 moves the matrix part of the way from identity.
        matrix = _lerp_matrix(IDENTITY, recipe.matrix(), s)
        offset = (recipe.offset[0] * s, recipe.offset[1] * s, recipe.offset[2] * s)
    if values.get("saturation"):
        adjust = saturation_matrix(1 + values["saturation"])
        matrix, offset = multiply(adjust, matrix), transform(adjust, offset)
    after = _adjustment_curves(values)

    if _is_identity(matrix, offset):
        steps = [t for t in (before, after) if t is not None]
        if not steps:
            return ColourPlan()
        merged = tuple(curves.chain([step[c] for step in steps]) for c in range(3))
        return ColourPlan(after=_table((merged[0], merged[1], merged[2])))
    coefficients = tuple(
        value for row, add in zip(matrix, offset, strict=True) for value in (*row, add)
    )
    return ColourPlan(
        before=_table(before) if before else None,
        matrix=coefficients,
        after=_table(after) if after else None,
    )


def _recipe_curves(
    master: curves.Points, channels: tuple[curves.Points, ...], s: float
) -> tuple[Tone, Tone, Tone]:
    """Return per-channel tones: the master curve, then each channel's, moved by ``s``."""
    built = []
    for points in channels:
        steps = [curves.monotone_curve(p) for p in (master, points) if p]
        full = curves.chain(steps)
        built.append(full if s == 1 else _toward(full, s))
    return (built[0], built[1], built[2])


def _toward(tone: Tone, s: float) -> Tone:
    return lambda x: x + s * (tone(x) - x)


def _adjustment_curves(values: dict[str, float]) -> tuple[Tone, Tone, Tone] | None:
    """Return per-channel tones for the tone adjustments, in a fixed order, or None."""
    shared: list[Tone] = []
    for name, make in (
        ("brightness", curves.brightness),
        ("contrast", curves.contrast),
        ("shadows", curves.shadows),
        ("highlights", curves.highlights),
    ):
        if values.get(name):
            shared.append(make(values[name]))
    warm = curves.warmth(values["warmth"]) if values.get("warmth") else None
    final = [curves.fade(values["fade"])] if values.get("fade") else []
    if not shared and warm is None and not final:
        return None
    per_channel = [curves.chain([*shared, *([warm[c]] if warm else []), *final]) for c in range(3)]
    return (per_channel[0], per_channel[1], per_channel[2])


def _lerp_matrix(a: Matrix, b: Matrix, s: float) -> Matrix:
    def row(i: int) -> Row:
        return (
            a[i][0] + s * (b[i][0] - a[i][0]),
            a[i][1] + s * (b[i][1] - a[i][1]),
            a[i][2] + s * (b[i][2] - a[i][2]),
        )

    return (row(0), row(1), row(2))


def _is_identity(matrix: Matrix, offset: Row) -> bool:
    return all(
        abs(matrix[i][j] - IDENTITY[i][j]) < 1e-9 and abs(offset[i]) < 1e-9
        for i in range(3)
        for j in range(3)
    )


def _table(tones: tuple[Tone, Tone, Tone]) -> tuple[int, ...]:
    """Return the 768-entry table for Image.point, R then G then B."""
    return tuple(
        min(255, max(0, round(255 * tone(level / 255)))) for tone in tones for level in range(256)
    )
