"""Reading another server's Note (or Image, Video, Article): its id and author checked, its
audience, text, attachments, times, reply target, mentions and place read into plain fields.

A server speaks for its own objects only: the object's id must be on its author's origin,
and its author must be the actor who sent it (or, for a fetched object, the actor it names,
on the same origin). Anything else is refused as a whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from glimpse.federation.incoming.registry import id_of, type_of
from glimpse.federation.remote.parse import MAX_URL, actor_url_allowed
from glimpse.federation.signatures import same_origin
from glimpse.federation.vocabulary import PUBLIC
from glimpse.posts.services import PlaceSpec

# The object types a photo post or a reply arrives as: Mastodon and GoToSocial send Notes,
# Pixelfed Notes (and Images for some photos), others Articles or Videos.
NOTE_TYPES = frozenset({"Note", "Image", "Video", "Article"})
# The three ways a document names the public collection.
PUBLIC_IDS = frozenset({PUBLIC, "as:Public", "Public"})
ATTACHMENT_TYPES = frozenset({"Document", "Image", "Video"})
MEDIA_PREFIXES = ("image/", "video/")


class NoteInvalid(Exception):
    """A Note refused: malformed, or claiming what its sender may not claim."""


@dataclass(frozen=True)
class Attachment:
    """One photo or video of a Note: where to fetch it, its declared type, its alt text."""

    url: str
    media_type: str  # "image/jpeg", "video/mp4"... or "" when the Note does not say
    alt_text: str
    focus: tuple[float, float] | None


@dataclass(frozen=True)
class Mention:
    """An account a Note mentions: its actor id and the name shown (``@name@host``)."""

    href: str
    name: str


@dataclass(frozen=True)
class ParsedNote:
    """The checked fields of a Note."""

    uri: str
    url: str  # its page on its server, "" when it gives none
    author_uri: str
    content: str  # HTML, as sent
    summary: str  # a content warning, plain text
    published: datetime | None
    updated: datetime | None
    in_reply_to: str | None
    audience: frozenset[str]  # the ids in ``to`` and ``cc``
    attachments: tuple[Attachment, ...]
    mentions: tuple[Mention, ...]
    place: PlaceSpec | None

    @property
    def is_public(self) -> bool:
        """Tell whether the Note is addressed to everyone."""
        return not self.audience.isdisjoint(PUBLIC_IDS)

    @property
    def changed_at(self) -> datetime | None:
        """Return the time of the Note's latest version: ``updated``, else ``published``."""
        return self.updated or self.published


def note_parse(document: dict[str, Any], *, author_uri: str) -> ParsedNote:
    """Check a Note written by ``author_uri`` and read it; raise ``NoteInvalid``."""
    if type_of(document) not in NOTE_TYPES:
        raise NoteInvalid(f"a {type_of(document) or 'typeless object'} is not a post")
    uri = id_of(document)
    if uri is None or len(uri) > MAX_URL or not actor_url_allowed(uri):
        raise NoteInvalid("the object's id is missing or not an https address")
    if not same_origin(uri, author_uri):
        raise NoteInvalid("the object's id is not on its author's server")
    if attributed_to(document) != author_uri:
        raise NoteInvalid("the object is not attributed to the actor who sent it")
    reply = id_of(document.get("inReplyTo"))
    return ParsedNote(
        uri=uri,
        url=_link(document.get("url")),
        author_uri=author_uri,
        content=_text(document.get("content")),
        summary=_text(document.get("summary")).strip(),
        published=_time(document.get("published")),
        updated=_time(document.get("updated")),
        in_reply_to=reply if reply and len(reply) <= MAX_URL else None,
        audience=frozenset(_ids(document.get("to")) + _ids(document.get("cc"))),
        attachments=tuple(_attachments(document.get("attachment"))),
        mentions=tuple(_mentions(document.get("tag"))),
        place=_place(document.get("location")),
    )


def attributed_to(document: dict[str, Any]) -> str | None:
    """Return the actor a Note names as its author (the first, when it names several)."""
    value = document.get("attributedTo")
    if isinstance(value, list):
        # Some servers list the author with other attributions (a Group); take the first actor.
        value = next((v for v in value if id_of(v)), None)
    return id_of(value)


def _attachments(value: object) -> list[Attachment]:
    """Return the photos and videos among a Note's attachments, in order."""
    found = []
    for item in _as_list(value):
        if not isinstance(item, dict) or type_of(item) not in ATTACHMENT_TYPES:
            continue
        link = _best_link(item)
        if link is None:
            continue
        name = item.get("name") if isinstance(item.get("name"), str) else item.get("summary")
        found.append(
            Attachment(
                url=link[0],
                media_type=link[1],
                alt_text=_text(name).strip()[: settings.GLIMPSE_ALT_TEXT_MAX],
                focus=_focus(item.get("focalPoint")),
            )
        )
    return found


def _best_link(item: dict[str, Any]) -> tuple[str, str] | None:
    """Return the address and type of an attachment's best photo or video: its ``url`` as
    a string, or the largest of its ``Link`` objects that is a photo or video."""
    declared = _media_type(item.get("mediaType"), type_of(item))
    candidates: list[tuple[int, str, str]] = []
    for link in _as_list(item.get("url")):
        if isinstance(link, str):
            href, kind, area = link, declared, _area(item)
        elif isinstance(link, dict):
            found = link.get("href")
            href = found if isinstance(found, str) else ""
            kind = _media_type(link.get("mediaType"), "") or declared
            area = _area(link)
        else:
            continue
        if href and _link(href) and (kind == "" or kind.startswith(MEDIA_PREFIXES)):
            candidates.append((area, kind, href))
    if not candidates:
        return None
    # The largest wins; among equals, the first given (max keeps the first maximum).
    area, kind, href = max(candidates, key=lambda c: (c[0], bool(c[1])))
    return href, kind


def _media_type(value: object, attachment_type: str) -> str:
    """Return a declared media type in lower case, or the kind an Image or Video implies."""
    if isinstance(value, str) and "/" in value:
        return value.split(";", 1)[0].strip().lower()
    return {"Image": "image/*", "Video": "video/*"}.get(attachment_type, "")


def _area(value: dict[str, Any]) -> int:
    """Return the width times the height of a link or attachment, 0 when it does not say."""
    width, height = value.get("width"), value.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width * height
    return 0


def _focus(value: object) -> tuple[float, float] | None:
    """Return Mastodon's focal point (x, y in -1..1), or None."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    x, y = value
    if not all(isinstance(v, int | float) and math.isfinite(v) and -1 <= v <= 1 for v in (x, y)):
        return None
    return (float(x), float(y))


def _mentions(value: object) -> list[Mention]:
    """Return the ``Mention`` tags of a Note."""
    found = []
    for tag in _as_list(value):
        if isinstance(tag, dict) and type_of(tag) == "Mention":
            href, name = tag.get("href"), tag.get("name")
            if isinstance(href, str) and href:
                found.append(Mention(href=href, name=name if isinstance(name, str) else ""))
    return found


def _place(value: object) -> PlaceSpec | None:
    """Return a ``Place`` that has a name as a place spec (its position only when sane)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return None
    name = " ".join(value["name"].split())[: settings.GLIMPSE_PLACE_NAME_MAX]
    if not name:
        return None
    lat, lng = _number(value.get("latitude")), _number(value.get("longitude"))
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        lat = lng = None
    return PlaceSpec(name=name, lat=lat, lng=lng)


def _number(value: object) -> float | None:
    """Return a finite number given as a number or a numeric string (Pixelfed), or None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value) if isinstance(value, int | float | str) else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _time(value: object) -> datetime | None:
    """Return an ISO 8601 time as an aware datetime (UTC when it names no zone), or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ids(value: object) -> list[str]:
    """Return the ids an audience field names (a string, an object, or a list of them)."""
    return [found for item in _as_list(value) if (found := id_of(item))]


def _link(value: object) -> str:
    """Return the first http(s) address of a ``url`` (a string, a Link, or a list)."""
    for item in _as_list(value):
        href = item.get("href") if isinstance(item, dict) else item
        if (
            isinstance(href, str)
            and len(href) <= MAX_URL
            and href.startswith(("https://", "http://"))
        ):
            return href
    return ""


def _text(value: object) -> str:
    """Return a string field, or "" (a language map is not read)."""
    return value if isinstance(value, str) else ""


def _as_list(value: object) -> list[Any]:
    """Return a field that may hold one value or a list as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
