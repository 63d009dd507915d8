"""The crop a person chooses: an aspect ratio and a rectangle in fractions of the photo."""

from __future__ import annotations

from typing import Any

from glimpse.core.errors import InvalidInput

# Instagram's feed shapes: square, portrait 4:5 and landscape 1.91:1.
ASPECTS = {"1:1": 1.0, "4:5": 0.8, "1.91:1": 1.91}
MIN_RATIO, MAX_RATIO = ASPECTS["4:5"], ASPECTS["1.91:1"]
TOLERANCE = 0.01  # rounding to whole pixels on the client side
# A story keeps any shape up to 9:16 (a taller one keeps its middle band at 9:16); a wider
# one is letterboxed by the story viewer, never cropped.
SHAPES = ("post", "story")
STORY_RATIO = 9 / 16


def crop_default(width: int, height: int, *, shape: str = "post") -> dict[str, Any]:
    """Return the centred crop that keeps a photo's shape within 4:5 and 1.91:1 (a post),
    or no taller than 9:16 (a story)."""
    ratio = width / height
    if shape == "story":
        return _story_crop(width, height)
    if ratio < MIN_RATIO:  # too tall: keep the middle band at 4:5
        h = (width / MIN_RATIO) / height
        return {
            "aspect": "4:5",
            "x": 0.0,
            "y": round((1 - h) / 2, 6),
            "width": 1.0,
            "height": round(h, 6),
        }
    if ratio > MAX_RATIO:  # too wide: keep the middle at 1.91:1
        w = (height * MAX_RATIO) / width
        return {
            "aspect": "1.91:1",
            "x": round((1 - w) / 2, 6),
            "y": 0.0,
            "width": round(w, 6),
            "height": 1.0,
        }
    return {"aspect": "original", "x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0}


def crop_from_dict(data: Any, *, width: int, height: int, shape: str = "post") -> dict[str, Any]:
    """Check a crop given by a client against the photo's size and return it normalised.

    ``{"aspect": "original"}`` (rectangle ignored) resets to the default crop of the shape.
    """
    if data is None:
        return crop_default(width, height, shape=shape)
    if not isinstance(data, dict):
        raise InvalidInput(
            fields={"crop": ["Give the crop as an object with aspect, x, y, width and height."]}
        )
    if data.get("aspect") == "original":
        return crop_default(width, height, shape=shape)  # back to the photo's own shape
    problems: list[str] = []
    aspect = str(data.get("aspect"))
    if aspect not in ASPECTS:
        problems.append("aspect must be original, " + ", ".join(ASPECTS) + ".")
    box: dict[str, float] = {}
    for key in ("x", "y", "width", "height"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(f"{key} must be a number from 0 to 1.")
        else:
            box[key] = float(value)
    if not problems:
        if box["width"] <= 0 or box["height"] <= 0:
            problems.append("The crop must have a width and a height.")
        elif box["x"] + box["width"] > 1 + 1e-6 or box["y"] + box["height"] > 1 + 1e-6:
            problems.append("The crop must stay inside the photo.")
        else:
            ratio = (box["width"] * width) / (box["height"] * height)
            wanted = ASPECTS[aspect]
            if abs(ratio - wanted) / wanted > TOLERANCE:
                problems.append(f"The rectangle is {ratio:.2f}:1, not {aspect}.")
    if problems:
        raise InvalidInput(fields={"crop": problems})
    return {"aspect": aspect, **{k: round(v, 6) for k, v in box.items()}}


def _story_crop(width: int, height: int) -> dict[str, Any]:
    """Return the whole photo, or the middle band at 9:16 of a photo taller than that."""
    if width / height >= STORY_RATIO:
        return {"aspect": "original", "x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0}
    h = (width / STORY_RATIO) / height
    band = {"x": 0.0, "y": round((1 - h) / 2, 6), "width": 1.0, "height": round(h, 6)}
    return {"aspect": "9:16", **band}
