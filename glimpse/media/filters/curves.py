"""Tone functions on values in 0..1: the filters' control-point curves and the adjustments.

Every function here is monotone (it never turns a brighter input into a darker output), so
no adjustment at any setting can posterise or invert a gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

Tone = Callable[[float], float]
Points = tuple[tuple[int, int], ...]

# Rec. 601 weights: the same ones Pillow uses for convert("L"), so "grey" means the same here.
LUMA = (0.299, 0.587, 0.114)


def monotone_curve(points: Points) -> Tone:
    """Return the monotone cubic through control points given in 0..255 (Fritsch-Carlson)."""
    xs = [x / 255 for x, _ in points]
    ys = [y / 255 for _, y in points]
    if len(xs) < 2 or any(b <= a for a, b in pairwise(xs)):
        raise ValueError(f"A curve needs two or more points with rising x: {points!r}")
    slopes = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
    tangents = [slopes[0]]
    tangents += [0.0 if a * b <= 0 else (a + b) / 2 for a, b in pairwise(slopes)]
    tangents.append(slopes[-1])
    # Limit the tangents so that no segment overshoots its end points (monotonicity).
    for i, slope in enumerate(slopes):
        if slope == 0:
            tangents[i] = tangents[i + 1] = 0.0
            continue
        a, b = tangents[i] / slope, tangents[i + 1] / slope
        if a * a + b * b > 9:
            tau = 3 / (a * a + b * b) ** 0.5
            tangents[i], tangents[i + 1] = tau * a * slope, tau * b * slope

    def tone(x: float) -> float:
        if x <= xs[0]:
            return ys[0]
        if x >= xs[-1]:
            return ys[-1]
        i = 0
        while x > xs[i + 1]:
            i += 1
        h = xs[i + 1] - xs[i]
        t = (x - xs[i]) / h
        t2, t3 = t * t, t * t * t
        return (
            (2 * t3 - 3 * t2 + 1) * ys[i]
            + (t3 - 2 * t2 + t) * h * tangents[i]
            + (-2 * t3 + 3 * t2) * ys[i + 1]
            + (t3 - t2) * h * tangents[i + 1]
        )

    return tone


def brightness(t: float) -> Tone:
    """Return a curve that lifts (t > 0) or lowers the mid-tones, keeping black and white."""
    # A parabola: slope 1 +- 0.8 at the ends, so shadows are never crushed or stretched much.
    return lambda x: x + 0.8 * t * x * (1 - x)


def contrast(t: float) -> Tone:
    """Return an S-curve around mid-grey (t > 0) or its flattening inverse (t < 0)."""
    # At t = 1 this is smoothstep; at t = -1 the mid-tone slope halves.
    return lambda x: x + t * x * (1 - x) * (2 * x - 1)


def shadows(t: float) -> Tone:
    """Return a curve that opens (t > 0) or deepens the shadows, peaking at a third."""
    # 6.75 x (1 - x)^2 peaks at 1 for x = 1/3; 0.14 keeps the slope positive at t = -1.
    return lambda x: x + 0.14 * 6.75 * t * x * (1 - x) * (1 - x)


def highlights(t: float) -> Tone:
    """Return a curve that brightens (t > 0) or recovers the highlights, peaking at two thirds."""
    return lambda x: x + 0.14 * 6.75 * t * x * x * (1 - x)


def warmth(t: float) -> tuple[Tone, Tone, Tone]:
    """Return red, green and blue curves that warm (t > 0) or cool the mid-tones."""
    # Black and white stay neutral; green moves a little with red so warm reads golden,
    # not magenta.
    return (
        lambda x: x + 0.5 * t * x * (1 - x),
        lambda x: x + 0.1 * t * x * (1 - x),
        lambda x: x - 0.5 * t * x * (1 - x),
    )


def fade(t: float) -> Tone:
    """Return a curve that lifts the blacks by up to a quarter (t in 0..1), white unchanged."""
    return lambda x: x + 0.25 * t * (1 - x) * (1 - x)


def chain(tones: Sequence[Tone]) -> Tone:
    """Return the curve that applies ``tones`` in order."""

    def tone(x: float) -> float:
        for step in tones:
            x = step(x)
        return x

    return tone
