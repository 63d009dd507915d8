"""Charts drawn on the server as inline SVG: no script, nothing fetched from elsewhere.

Colours come from the stylesheet (``.chart__*`` classes), so the charts follow the light and
dark themes. Each bar carries a ``<title>`` that browsers show on hover and screen readers
read out.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 180
PAD_TOP = 14
PAD_BOTTOM = 22
PAD_LEFT = 36


def columns(
    values: Sequence[int],
    labels: Sequence[str],
    *,
    title: str,
    line: Sequence[int] | None = None,
    line_name: str = "",
    name: str = "",
) -> SafeString:
    """Draw one column per value (and optionally a line over them), with a scale."""
    top = _nice_max(max([*values, *(line or []), 1]))
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = (WIDTH - PAD_LEFT) / max(len(values), 1)
    parts = _grid(top, plot_h)
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = plot_h * value / top
        x = PAD_LEFT + i * slot + slot * 0.15
        parts.append(
            f'<rect class="chart__bar" x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" rx="2">'
            f"<title>{escape(label)}: {value} {escape(name)}</title></rect>"
        )
    if line:
        points = " ".join(
            f"{PAD_LEFT + (i + 0.5) * slot:.1f},{PAD_TOP + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(line)
        )
        parts.append(
            f'<polyline class="chart__line" points="{points}">'
            f"<title>{escape(line_name)}</title></polyline>"
        )
    parts.extend(_x_labels(labels, slot))
    return _svg(title, parts)


def diverging(
    up: Sequence[int], down: Sequence[int], labels: Sequence[str], *, title: str
) -> SafeString:
    """Draw gains above the middle line and losses below it, one pair per label."""
    top = _nice_max(max([*up, *down, 1]))
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    middle = PAD_TOP + plot_h / 2
    slot = (WIDTH - PAD_LEFT) / max(len(up), 1)
    parts = [
        f'<line class="chart__axis" x1="{PAD_LEFT}" x2="{WIDTH}" y1="{middle}" y2="{middle}"/>',
        _tick(PAD_LEFT - 6, PAD_TOP + 4, f"+{top}", "end"),
        _tick(PAD_LEFT - 6, PAD_TOP + plot_h, f"-{top}", "end"),
    ]
    for i, (gained, lost, label) in enumerate(zip(up, down, labels, strict=True)):
        x = PAD_LEFT + i * slot + slot * 0.15
        hg, hl = plot_h / 2 * gained / top, plot_h / 2 * lost / top
        parts.append(
            f'<rect class="chart__bar chart__bar--gain" x="{x:.1f}" y="{middle - hg:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{hg:.1f}" rx="2">'
            f"<title>{escape(label)}: {gained} followers gained</title></rect>"
            f'<rect class="chart__bar chart__bar--loss" x="{x:.1f}" y="{middle:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{hl:.1f}" rx="2">'
            f"<title>{escape(label)}: {lost} followers lost</title></rect>"
        )
    parts.extend(_x_labels(labels, slot))
    return _svg(title, parts)


def shares(items: Sequence[tuple[str, int]], *, title: str, width: int = 400) -> SafeString:
    """Draw one horizontal bar per item, as a part of the total, with its count."""
    total = sum(value for _, value in items) or 1
    row = 28
    track = width - 200
    height = row * max(len(items), 1)
    parts = []
    for i, (label, value) in enumerate(items):
        y = i * row
        w = track * value / total
        parts.append(
            f'<text class="chart__label" x="0" y="{y + 18}">{escape(label)}</text>'
            f'<rect class="chart__track" x="110" y="{y + 6}" width="{track}" height="14" rx="7"/>'
            f'<rect class="chart__bar" x="110" y="{y + 6}" width="{w:.1f}" height="14" rx="7">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text class="chart__value" x="{width}" y="{y + 18}" text-anchor="end">'
            f"{value} · {round(100 * value / total)}%</text>"
        )
    return _svg(title, parts, width=width, height=height)


# --- Helpers --------------------------------------------------------------------------------


def _svg(title: str, parts: list[str], *, width: int = WIDTH, height: int = HEIGHT) -> SafeString:
    body = "".join(parts)
    return mark_safe(  # noqa: S308 -- every text inside was escaped above
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMidYMid meet" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _tick(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text class="chart__tick" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _grid(top: int, plot_h: float) -> list[str]:
    parts = []
    for step in (0, 0.5, 1):
        y = PAD_TOP + plot_h - plot_h * step
        parts.append(
            f'<line class="chart__grid" x1="{PAD_LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart__tick" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_short(top * step)}</text>"
        )
    return parts


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    """Label a few columns only (the first, the last, some between), so they never overlap."""
    count = len(labels)
    every = max(1, round(count / 6))
    shown = {0, count - 1, *range(0, count, every)}
    if count > 1 and count - 1 - max(i for i in shown if i < count - 1) < every / 2:
        shown.discard(max(i for i in shown if i < count - 1))
    return [
        f'<text class="chart__tick" x="{PAD_LEFT + (i + 0.5) * slot:.1f}" y="{HEIGHT - 6}" '
        f'text-anchor="middle">{escape(labels[i])}</text>'
        for i in sorted(shown)
        if 0 <= i < count
    ]


def _nice_max(value: int) -> int:
    """Round a maximum up to 1, 2 or 5 times a power of ten, for a readable scale."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if value <= step * magnitude:
                return step * magnitude
        magnitude *= 10


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"
