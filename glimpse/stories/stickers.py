"""Story stickers as a client sends them: checked, resolved to real accounts and places, and
returned as unsaved rows. Nothing is written here; ``services.story_create`` saves them with
the story, or nothing at all.

A sticker is ``{"kind", "x", "y", ...}`` where x and y place its centre in fractions of the
9:16 frame, and by kind: ``text`` (+ ``style``, ``color``), ``mention`` (``username``),
``hashtag`` (``tag``), ``place`` (``place_id``), ``link`` (``url``, optional ``text``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.posts import selectors as posts_selectors
from glimpse.posts.services.links import mentionable
from glimpse.posts.services.specs import Problems
from glimpse.posts.text import clean_text, hashtag_spans
from glimpse.stories.models import StorySticker

STICKERS_MAX = 10
TEXT_MAX = 200
LABEL_MAX = 60
URL_MAX = 2000
STYLES = ("classic", "strong", "neon", "typewriter")
# The text colours offered, by name: what is stored, and what the viewer paints.
COLORS = {
    "white": "#ffffff",
    "black": "#111111",
    "red": "#ff3b30",
    "orange": "#ff9500",
    "yellow": "#ffd60a",
    "green": "#30d158",
    "blue": "#0a84ff",
    "purple": "#bf5af2",
    "pink": "#ff375f",
}
# Colours light enough that a "strong" sticker's words on them are dark.
LIGHT_COLORS = frozenset({"white", "yellow", "orange", "green"})
KINDS = tuple(StorySticker.Kind.values)
_URLS = URLValidator(schemes=["http", "https"])


def stickers_read(*, author: User, raw: Any) -> list[StorySticker]:
    """Check the stickers a client sent and return them unsaved, in drawing order."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise InvalidInput(fields={"stickers": ["Give the stickers as a list."]})
    if len(raw) > STICKERS_MAX:
        raise InvalidInput(fields={"stickers": [f"A story has at most {STICKERS_MAX} stickers."]})
    problems = Problems()
    stickers = []
    for index, item in enumerate(raw):
        field = f"stickers.{index}"
        if not isinstance(item, Mapping):
            problems.add(field, "Give each sticker as an object with a kind, x and y.")
            continue
        sticker = _sticker(author, item, field, problems)
        if sticker is not None:
            sticker.position = index
            stickers.append(sticker)
    problems.raise_if_any()
    return stickers


def _sticker(
    author: User, item: Mapping[str, Any], field: str, problems: Problems
) -> StorySticker | None:
    kind = item.get("kind")
    if kind not in KINDS:
        problems.add(f"{field}.kind", "The kind is one of " + ", ".join(KINDS) + ".")
        return None
    x, y = (_fraction(item.get(axis), f"{field}.{axis}", problems) for axis in ("x", "y"))
    sticker = StorySticker(kind=kind, x=x, y=y)
    if kind == StorySticker.Kind.TEXT:
        _text(sticker, item, field, problems)
    elif kind == StorySticker.Kind.MENTION:
        _mention(sticker, author, item, field, problems)
    elif kind == StorySticker.Kind.HASHTAG:
        _hashtag(sticker, item, field, problems)
    elif kind == StorySticker.Kind.PLACE:
        _place(sticker, author, item, field, problems)
    else:
        _link(sticker, item, field, problems)
    return sticker


def _fraction(value: Any, field: str, problems: Problems) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not 0 <= value <= 1:
        problems.add(field, "A position is a number from 0 to 1 (a fraction of the frame).")
        return 0.5
    return round(float(value), 4)


def _string(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return clean_text(value) if isinstance(value, str) else ""


def _text(sticker: StorySticker, item: Mapping[str, Any], field: str, p: Problems) -> None:
    text = _string(item, "text")
    if not text:
        p.add(f"{field}.text", "Write something.")
    elif len(text) > TEXT_MAX:
        p.add(f"{field}.text", f"A text sticker has at most {TEXT_MAX} characters.")
    style = item.get("style") or STYLES[0]
    if style not in STYLES:
        p.add(f"{field}.style", "The style is one of " + ", ".join(STYLES) + ".")
    color = item.get("color") or "white"
    if color not in COLORS:
        p.add(f"{field}.color", "The colour is one of " + ", ".join(COLORS) + ".")
    sticker.text, sticker.style, sticker.color = text, str(style), str(color)


def _mention(
    sticker: StorySticker, author: User, item: Mapping[str, Any], field: str, p: Problems
) -> None:
    username = _string(item, "username").removeprefix("@").lower()
    found = mentionable(author, [username]) if username else []
    if not found:
        p.add(f"{field}.username", "Mention an account that exists and that you can see.")
        return
    sticker.account = found[0]
    sticker.text = found[0].username


def _hashtag(sticker: StorySticker, item: Mapping[str, Any], field: str, p: Problems) -> None:
    written = _string(item, "tag").removeprefix("#")
    spans = hashtag_spans("#" + written)
    if not written or len(spans) != 1 or spans[0][:2] != (0, len(written) + 1):
        p.add(f"{field}.tag", "A hashtag is one word of letters, digits or _.")
        return
    if len(written) > 100:
        p.add(f"{field}.tag", "A hashtag has at most 100 characters.")
        return
    sticker.text, sticker.tag = written, spans[0][2]


def _place(
    sticker: StorySticker, author: User, item: Mapping[str, Any], field: str, p: Problems
) -> None:
    place_id = item.get("place_id")
    try:
        place = posts_selectors.place_get(viewer=author, place_id=int(place_id))  # type: ignore[arg-type]
    except (TypeError, ValueError, NotFound):
        p.add(f"{field}.place_id", "Pick a place from the search.")
        return
    sticker.place, sticker.text = place, place.name[:200]


def _link(sticker: StorySticker, item: Mapping[str, Any], field: str, p: Problems) -> None:
    url = item.get("url")
    url = url.strip() if isinstance(url, str) else ""
    try:
        if len(url) > URL_MAX:
            raise ValidationError("too long")
        _URLS(url)
    except ValidationError:
        p.add(f"{field}.url", "Give a full web address starting with https:// or http://.")
        return
    label = _string(item, "text")
    if len(label) > LABEL_MAX:
        p.add(f"{field}.text", f"A link's label has at most {LABEL_MAX} characters.")
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    sticker.url, sticker.text = url, label or host
