"""Read Instagram's "Download your information" archive (its JSON format).

Documents are found by name wherever they sit, which covers both layouts in use:

- older: ``content/posts_1.json``, ``content/stories.json``,
  ``account_information/personal_information.json``, files under ``media/``;
- newer: ``your_instagram_activity/content/posts_1.json`` (and ``stories.json``),
  ``personal_information/personal_information/personal_information.json``, files under
  ``media/``.

A post is ``{"media": [{"uri", "creation_timestamp", "title", ...}], "title",
"creation_timestamp"}``; a post of one item may be the media entry alone. A ``uri`` is
relative to the archive's root (the folder above the document's ``content`` folder).
Every text is repaired of Instagram's mis-encoding (``contents.repaired``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from glimpse.imports.contents import (
    Contents,
    Problem,
    SourceMedia,
    SourcePost,
    SourceStory,
    document_load,
    repaired,
    stable_key,
)
from glimpse.imports.zipreader import SafeZip
from glimpse.posts.services.specs import PlaceSpec

POSTS = re.compile(r"(?:^|/)content/posts_\d+\.json$")
STORIES = re.compile(r"(?:^|/)content/stories\.json$")
PROFILE = re.compile(r"(?:^|/)personal_information\.json$")
# The folders a document sits under; the archive's root is what comes before the first.
TOP_FOLDERS = (
    "your_instagram_activity",
    "content",
    "personal_information",
    "account_information",
)
SHAPE = "This document does not have the shape of Instagram's {what}."


def recognised(names: list[str]) -> bool:
    """Tell whether these member names are those of Instagram's archive."""
    return any(POSTS.search(n) or STORIES.search(n) or PROFILE.search(n) for n in names)


def read(archive: SafeZip) -> Contents:
    """Return the posts, stories and profile of an Instagram archive."""
    contents = Contents(source="instagram")
    for name in archive.names():
        if POSTS.search(name):
            _posts(archive, name, contents)
        elif STORIES.search(name):
            _stories(archive, name, contents)
        elif PROFILE.search(name) and not contents.bio and contents.picture is None:
            _profile(archive, name, contents)
    return contents


def _posts(archive: SafeZip, name: str, contents: Contents) -> None:
    document = document_load(archive, name, contents.problems)
    if document is None:  # unreadable, and reported so
        return
    entries = _entries(document, ("ig_posts",))
    if entries is None:
        contents.problems.append(Problem(item=name, reason=SHAPE.format(what="posts")))
        return
    root = _root(name)
    for index, entry in enumerate(entries, start=1):
        label = f"{name}, post {index}"
        media = entry.get("media", [entry] if "uri" in entry else None) if _is(entry) else None
        if not isinstance(media, list) or not media or not all(_is(m) for m in media):
            contents.problems.append(Problem(item=label, reason="This is not a post."))
            continue
        first = media[0]
        created_at = _time(entry.get("creation_timestamp") or first.get("creation_timestamp"))
        if created_at is None:
            contents.problems.append(Problem(item=label, reason="This post has no valid date."))
            continue
        contents.posts.append(
            SourcePost(
                key=stable_key("instagram", first.get("uri"), created_at.timestamp()),
                created_at=created_at,
                caption=repaired(entry.get("title")) or repaired(first.get("title")),
                media=tuple(_media(archive, root, m) for m in media),
                place=_place(entry) or _place(first),
            )
        )


def _stories(archive: SafeZip, name: str, contents: Contents) -> None:
    document = document_load(archive, name, contents.problems)
    if document is None:
        return
    entries = _entries(document, ("ig_stories",))
    if entries is None:
        contents.problems.append(Problem(item=name, reason=SHAPE.format(what="stories")))
        return
    root = _root(name)
    for index, entry in enumerate(entries, start=1):
        label = f"{name}, story {index}"
        created_at = _time(entry.get("creation_timestamp")) if _is(entry) else None
        if not _is(entry) or "uri" not in entry:
            contents.problems.append(Problem(item=label, reason="This is not a story."))
        elif created_at is None:
            contents.problems.append(Problem(item=label, reason="This story has no valid date."))
        else:
            contents.stories.append(
                SourceStory(
                    key=stable_key("instagram-story", entry.get("uri"), created_at.timestamp()),
                    created_at=created_at,
                    caption=repaired(entry.get("title")),
                    media=_media(archive, root, entry),
                )
            )


def _profile(archive: SafeZip, name: str, contents: Contents) -> None:
    document = document_load(archive, name, contents.problems)
    if document is None:
        return
    users = document.get("profile_user") if isinstance(document, dict) else None
    if not isinstance(users, list) or not users or not _is(users[0]):
        contents.problems.append(Problem(item=name, reason=SHAPE.format(what="profile")))
        return
    strings = users[0].get("string_map_data")
    for label, value in strings.items() if isinstance(strings, dict) else ():
        if label.strip().lower() in ("bio", "biography") and _is(value):
            contents.bio = repaired(value.get("value")).strip()
    files = users[0].get("media_map_data")
    for value in files.values() if isinstance(files, dict) else ():
        if _is(value) and isinstance(value.get("uri"), str):
            contents.picture = archive.find(value["uri"], root=_root(name))
            break


def _entries(document: Any, wrappers: tuple[str, ...]) -> list[Any] | None:
    """Return the entries of a document: the list itself, or the list a known key holds."""
    if isinstance(document, dict):
        document = next((document[k] for k in wrappers if k in document), None)
    return document if isinstance(document, list) else None


def _media(archive: SafeZip, root: str, entry: dict[str, Any]) -> SourceMedia:
    uri = entry.get("uri")
    named = uri if isinstance(uri, str) else ""
    # Remote addresses ("https://...") are never fetched: only files of the archive count.
    member = archive.find(named, root=root) if named and "://" not in named else None
    alt = entry.get("alt_text") or entry.get("accessibility_caption")
    return SourceMedia(
        member=member, named=named[:200] or "(no file named)", alt_text=repaired(alt)
    )


def _place(entry: dict[str, Any]) -> PlaceSpec | None:
    """Return a place by the name the entry gives, if any (never from a photo's GPS)."""
    place = entry.get("location") or entry.get("place")
    if isinstance(place, dict):
        place = place.get("name")
    name = repaired(place).strip()
    return PlaceSpec(name=name) if name else None


def _root(name: str) -> str:
    parts = name.split("/")
    for index, part in enumerate(parts[:-1]):
        if part in TOP_FOLDERS:
            return "/".join(parts[:index])
    return "/".join(parts[:-1])


def _time(value: Any) -> datetime | None:
    """Return a Unix time as a datetime, None for what is not one or lies in the future."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        moment = datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if moment <= datetime.now(tz=UTC) + timedelta(days=1) else None


def _is(value: Any) -> bool:
    return isinstance(value, dict)
