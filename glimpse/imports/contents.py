"""What an archive holds, whichever service made it: posts, stories, a profile, problems;
and the helpers the readers of each layout share."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from django.conf import settings

from glimpse.imports.zipreader import MemberRefused, SafeZip
from glimpse.posts.services.specs import PlaceSpec


@dataclass(frozen=True)
class SourceMedia:
    """One photo or video of a post or story: its member in the zip and its alt text."""

    member: str | None  # None when the document names a file the archive lacks
    named: str  # the file as the document names it, for the report
    alt_text: str = ""


@dataclass(frozen=True)
class SourcePost:
    """A post as the archive describes it."""

    key: str
    created_at: datetime
    caption: str
    media: tuple[SourceMedia, ...]
    place: PlaceSpec | None = None
    archived: bool = False


@dataclass(frozen=True)
class SourceStory:
    """A story as the archive describes it."""

    key: str
    created_at: datetime
    caption: str
    media: SourceMedia


@dataclass
class Problem:
    """Something of the archive that was not taken, and why."""

    item: str
    reason: str


@dataclass
class Contents:
    """Everything an archive offers, oldest first, and what could not be read at all."""

    source: str
    posts: list[SourcePost] = field(default_factory=list)
    stories: list[SourceStory] = field(default_factory=list)
    bio: str = ""
    picture: str | None = None  # the member holding the profile picture
    problems: list[Problem] = field(default_factory=list)


def document_load(archive: SafeZip, name: str, problems: list[Problem]) -> Any:
    """Return a JSON document of the archive, or None with the reason noted in ``problems``."""
    try:
        return orjson.loads(archive.read(name, limit=settings.GLIMPSE_IMPORT_MAX_JSON_BYTES))
    except MemberRefused as refused:
        problems.append(Problem(item=name, reason=str(refused)))
    except orjson.JSONDecodeError:
        problems.append(Problem(item=name, reason="This document is not valid JSON."))
    return None


def stable_key(*parts: object) -> str:
    """Return the digest that names a source item across runs (64 hex characters)."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def repaired(text: object) -> str:
    """Return a text with Instagram's mis-encoding undone, or "" for what is not a text.

    Instagram writes each UTF-8 byte of non-ASCII text as its own ``\\u00XX`` escape, so
    "café" reads "cafÃ©". Encoding such text as Latin-1 gives the original UTF-8 bytes back;
    text that does not survive the round trip was right already and is kept as it is.
    """
    if not isinstance(text, str):
        return ""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
