"""The crop a person chooses: a quarter turn, an aspect ratio and a rectangle in fractions of
the turned photo."""

from __future__ import annotations

from typing import Any

from glimpse.core.errors import InvalidInput
from glimpse.media.photo_types import ROTATIONS

# Instagram's feed shapes: square, portrait 4:5 and landscape 1.91:1.
ASPECTS = {"1:1": 1.0, "4:5": 0.8, "1.91:1": 1.91}
MIN_RATIO, MAX_RATIO = ASPECTS["4:5"], ASPECTS["1.91:1"]
TOLERANCE = 0.01  # rounding on the client side
BOX_KEYS = ("x", "y", "width", "height")
# A story keeps any shape up to 9:16 (a taller one keeps its middle band at 9:16); a wider
# one is letterboxed by the story viewer, never cropped.
SHAPES = ("post", "story")
STORY_RATIO = 9 / 16


def crop_default(
    width: int, height: int, rotation: int = 0, *, shape: str = "post"
) -> dict[str, Any]:
    """Return the centred crop that keeps a (turned) photo's shape within 4:5 and 1.91:1
    (a post), or no taller than 9:16 (a story)."""
    width, height = _turned(width, height, rotation)
    ratio = width / height
    if shape == "story":
        return _normalised(_story_box(width, height), rotation)
    if ratio < MIN_RATIO:  # too tall: keep the middle band at 4:5
        h = (width / MIN_RATIO) / height
        box = {"aspect": "4:5", "x": 0.0, "y": (1 - h) / 2, "width": 1.0, "height": h}
    elif ratio > MAX_RATIO:  # too wide: keep the middle at 1.91:1
        w = (height * MAX_RATIO) / width
        box = {"aspect": "1.91:1", "x": (1 - w) / 2, "y": 0.0, "width": w, "height": 1.0}
    else:
        box = {"aspect": "original", "x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0}
    return _normalised(box, rotation)


def crop_original_ratio(width: int, height: int, rotation: int = 0) -> float:
    """Return the shape "original" stands for: the turned photo's, within 4:5 and 1.91:1."""
    width, height = _turned(width, height, rotation)
    return min(MAX_RATIO, max(MIN_RATIO, width / height))


def crop_from_dict(data: Any, *, width: int, height: int, shape: str = "post") -> dict[str, Any]:
    """Check a crop given by a client against the photo's size and return it normalised.

    The photo is turned first (``rotation``: 0, 90, 180 or 270 degrees clockwise), then the
    rectangle (``x``, ``y``, ``width``, ``height``, fractions of the turned photo) is cut;
    its shape must be the ``aspect`` named. ``{"aspect": "original"}`` with no rectangle is
    the default crop of the (turned) photo for its shape (a post's or a story's).
    """
    if data is None:
        return crop_default(width, height, shape=shape)
    if not isinstance(data, dict):
        raise InvalidInput(
            fields={"crop": ["Give the crop as an object with aspect, x, y, width and height."]}
        )
    problems: list[str] = []
    rotation = data.get("rotation", 0)
    if isinstance(rotation, bool) or rotation not in ROTATIONS:
        problems.append("rotation must be 0, 90, 180 or 270.")
        rotation = 0
    aspect = str(data.get("aspect"))
    if aspect == "original" and not any(key in data for key in BOX_KEYS):
        if problems:
            raise InvalidInput(fields={"crop": problems})
        return crop_default(width, height, rotation, shape=shape)  # the photo's own shape
    if aspect != "original" and aspect not in ASPECTS:
        problems.append("aspect must be original, " + ", ".join(ASPECTS) + ".")
    box: dict[str, float] = {}
    for key in BOX_KEYS:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(f"{key} must be a number from 0 to 1.")
        else:
            box[key] = float(value)
    if not problems:
        problems += _shape_problems(box, aspect, width, height, rotation)
    if problems:
        raise InvalidInput(fields={"crop": problems})
    return _normalised({"aspect": aspect, **box}, rotation)


def _shape_problems(
    box: dict[str, float], aspect: str, width: int, height: int, rotation: int
) -> list[str]:
    if box["width"] <= 0 or box["height"] <= 0:
        return ["The crop must have a width and a height."]
    if box["x"] + box["width"] > 1 + 1e-6 or box["y"] + box["height"] > 1 + 1e-6:
        return ["The crop must stay inside the photo."]
    turned_w, turned_h = _turned(width, height, rotation)
    ratio = (box["width"] * turned_w) / (box["height"] * turned_h)
    wanted = (
        crop_original_ratio(width, height, rotation) if aspect == "original" else ASPECTS[aspect]
    )
    if abs(ratio - wanted) / wanted > TOLERANCE:
        return [f"The rectangle is {ratio:.2f}:1, not {aspect} ({wanted:.2f}:1)."]
    return []


def _story_box(width: int, height: int) -> dict[str, Any]:
    """Return the whole photo, or the middle band at 9:16 of a photo taller than that."""
    if width / height >= STORY_RATIO:
        return {"aspect": "original", "x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0}
    h = (width / STORY_RATIO) / height
    return {"aspect": "9:16", "x": 0.0, "y": (1 - h) / 2, "width": 1.0, "height": h}


def _turned(width: int, height: int, rotation: int) -> tuple[int, int]:
    return (height, width) if rotation in (90, 270) else (width, height)


def _normalised(box: dict[str, Any], rotation: int) -> dict[str, Any]:
    return {
        "aspect": box["aspect"],
        **{key: round(float(box[key]), 6) for key in BOX_KEYS},
        "rotation": rotation,
    }
