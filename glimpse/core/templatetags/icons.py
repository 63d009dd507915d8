"""The icons of the web pages, as a template tag: ``{% icon "heart" cls="icon--sm" fill=True %}``.

One line strokes on a 24 x 24 grid (the outline set of the post pages). An icon is drawn
from this table with one string format: pages draw a hundred or more icons, and rendering
each from a template of branches cost more than the rest of a feed card.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

PATHS: dict[str, str] = {  # each icon's shapes, one per line
    "heart": (
        '<path d="M20.8 4.6a5.5 5.5 0 0 0-7.8 0L12 5.7l-1-1.1a5.5 5.5 0 0 0-7.8 7.8l1 1.1L12 21l7.8-7.5 1-1.1a5.5 5.5 0 0 0 0-7.8z"/>'  # noqa: E501 - one shape
    ),
    "comment": ('<path d="M20.7 16.9A9.5 9.5 0 1 0 17 20.6L21.5 21.5z"/>'),
    "repost": (
        '<path d="m17 2 4 4-4 4"/>'
        '<path d="M3 11V9a3 3 0 0 1 3-3h15"/>'
        '<path d="m7 22-4-4 4-4"/>'
        '<path d="M21 13v2a3 3 0 0 1-3 3H3"/>'
    ),
    "send": ('<path d="M22 2 11 13"/><path d="M22 2 15 22l-4-9-9-4z"/>'),
    "bookmark": ('<path d="M19 21l-7-5.5L5 21V4a1 1 0 0 1 1-1h12a1 1 0 0 1 1 1z"/>'),
    "carousel": (
        '<rect x="7" y="7" width="14" height="14" rx="2.5"/><path d="M17 3H6a3 3 0 0 0-3 3v11"/>'
    ),
    "play": ('<path d="M7 4.5v15l12.5-7.5z"/>'),
    "pin": (
        '<path d="M12 17v5"/>'
        '<path d="M9 10.8a2 2 0 0 1-1.1 1.8l-1.8.9A2 2 0 0 0 5 15.2V16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-.8a2 2 0 0 0-1.1-1.7l-1.8-.9A2 2 0 0 1 15 10.8V7a1 1 0 0 1 1-1 2 2 0 0 0 0-4H8a2 2 0 0 0 0 4 1 1 0 0 1 1 1z"/>'  # noqa: E501 - one shape
    ),
    "more": (
        '<circle cx="5" cy="12" r="1.4"/>'
        '<circle cx="12" cy="12" r="1.4"/>'
        '<circle cx="19" cy="12" r="1.4"/>'
    ),
    "left": ('<path d="m15 18-6-6 6-6"/>'),
    "right": ('<path d="m9 18 6-6-6-6"/>'),
    "up": ('<path d="m18 15-6-6-6 6"/>'),
    "down": ('<path d="m6 9 6 6 6-6"/>'),
    "place": (
        '<path d="M20 10c0 6-8 12-8 12s-8-6-8-12a8 8 0 0 1 16 0z"/><circle cx="12" cy="10" r="3"/>'
    ),
    "user": ('<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>'),
    "archive": (
        '<rect x="2" y="3" width="20" height="5" rx="1"/>'
        '<path d="M4 8v11a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8"/>'
        '<path d="M10 12h4"/>'
    ),
    "edit": ('<path d="M12 20h9"/><path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/>'),
    "trash": (
        '<path d="M3 6h18"/>'
        '<path d="M8 6V4a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v2"/>'
        '<path d="M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6"/>'
    ),
    "hash": ('<path d="M4 9h16M4 15h16M10 3 8 21M16 3l-2 18"/>'),
    "eye-off": (
        '<path d="M9.9 4.2A10 10 0 0 1 12 4c7 0 10 8 10 8a13 13 0 0 1-1.7 2.7"/>'
        '<path d="M6.6 6.6A13 13 0 0 0 2 12s3 8 10 8a9.7 9.7 0 0 0 5.4-1.6"/>'
        '<path d="m2 2 20 20"/>'
        '<path d="M14.1 14.1a3 3 0 0 1-4.2-4.2"/>'
    ),
    "eye": (
        '<path d="M2 12s3.5-8 10-8 10 8 10 8-3.5 8-10 8S2 12 2 12z"/>'
        '<circle cx="12" cy="12" r="3"/>'
    ),
    "comment-off": (
        '<path d="M7.6 4.3A9.5 9.5 0 0 1 20.7 16.9"/>'
        '<path d="M19.4 19.4A9.5 9.5 0 0 1 4.6 6.6"/>'
        '<path d="m2 2 20 20"/>'
    ),
    "link": (
        '<path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7"/>'
        '<path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/>'
    ),
    "close": ('<path d="M18 6 6 18M6 6l12 12"/>'),
    "grid": (
        '<rect x="3" y="3" width="7" height="7" rx="1"/>'
        '<rect x="14" y="3" width="7" height="7" rx="1"/>'
        '<rect x="3" y="14" width="7" height="7" rx="1"/>'
        '<rect x="14" y="14" width="7" height="7" rx="1"/>'
    ),
    "clock": ('<circle cx="12" cy="12" r="9.5"/><path d="M12 7v5l3 2"/>'),
    "check": ('<path d="M20 6 9 17l-5-5"/>'),
    "plus": ('<path d="M12 5v14M5 12h14"/>'),
    "camera": (
        '<path d="M14.5 4h-5L7.5 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2h-3.5z"/>'  # noqa: E501 - one shape
        '<circle cx="12" cy="13" r="3.5"/>'
    ),
    "lock": (
        '<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>'
    ),
}

SVG = (
    '<svg class="icon {cls}" viewBox="0 0 24 24" width="24" height="24" fill="{fill}" '
    'stroke="currentColor" stroke-width="{stroke}" stroke-linecap="round" '
    'stroke-linejoin="round" aria-hidden="true" focusable="false">{paths}</svg>'
)


@register.simple_tag
def icon(name: str, cls: str = "", fill: object = False, stroke: str = "") -> SafeString:
    """Return the icon ``name`` (nothing inside for an unknown name), solid with ``fill``."""
    return mark_safe(  # noqa: S308 - the paths are this module's constants, the rest escaped
        SVG.format(
            cls=conditional_escape(cls),
            fill="currentColor" if fill else "none",
            stroke=conditional_escape(str(stroke) or "2"),
            paths=PATHS.get(str(name), ""),
        )
    )
