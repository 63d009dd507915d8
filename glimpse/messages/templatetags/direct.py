"""Template helpers of the messages pages: a message's text with its links, short times,
a message's pictures, and the faces of a conversation."""

from __future__ import annotations

import re
from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from glimpse.accounts.presenters import Avatar
from glimpse.media.presenters import MediaView
from glimpse.messages.presenters import ThreadView
from glimpse.messages.views.display import Shown, shown_media
from glimpse.posts.text import mention_spans

register = template.Library()

# A web address as people type it: with its scheme, or starting with "www.".
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'"
FACES_SHOWN = 2


@register.filter
def message_html(text: str) -> SafeString:
    """Return a message's text, escaped, with its web addresses and @mentions linked."""
    parts: list[str] = []
    at = 0
    for match in _URL.finditer(text):
        start, end = match.start(), match.end()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        parts.append(_mentions_linked(text[at:start]))
        shown = text[start:end]
        href = shown if "://" in shown else f"https://{shown}"
        parts.append(
            f'<a href="{escape(href)}" rel="nofollow noopener noreferrer" target="_blank">'
            f"{escape(shown)}</a>"
        )
        at = end
    parts.append(_mentions_linked(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


@register.filter
def short_when(moment: datetime | None) -> str:
    """Return how long ago, shortly: "now", "5m", "3h", "2d", "4w"."""
    if moment is None:
        return ""
    seconds = max(0, int((timezone.now() - moment).total_seconds()))
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return "now"


@register.filter
def shown(media: MediaView) -> Shown:
    """Return how a message's photo or video is drawn."""
    return shown_media(media)


@register.filter
def cover(media: MediaView) -> str | None:
    """Return the picture that stands for a photo or video (a video's poster)."""
    found = shown_media(media)
    return found.poster if found.is_video else found.src


@register.filter
def faces(thread: ThreadView) -> list[Avatar]:
    """Return the pictures that stand for a conversation: the other member's, or a group's
    first two members' (a group's own photo is drawn instead, when it has one)."""
    return [member.account.avatar(150) for member in thread.members[:FACES_SHOWN]]


def _mentions_linked(text: str) -> str:
    """Return text escaped, with its @mentions linked to their profiles."""
    parts: list[str] = []
    at = 0
    for start, end, name in mention_spans(text):
        parts.append(escape(text[at:start]))
        url = reverse("profile", args=[name])
        parts.append(f'<a class="mention" href="{escape(url)}">{escape(text[start:end])}</a>')
        at = end
    parts.append(escape(text[at:]))
    return "".join(parts)
