"""Read Glimpse's own "Download your data" archive, to move an account between servers.

The layout is the one its README.txt describes (docs/your-data.md): ``profile.json``,
``posts.json`` (caption, place, ``archived``, ``created_at`` and each item's ``file`` under
``media/`` with its ``alt_text``) and ``stories.json`` (caption, ``created_at``, one
``media``) at the root, or under one folder when the zip was made again after unpacking.
"""

from __future__ import annotations

import math
import posixpath
from datetime import UTC, datetime, timedelta
from typing import Any

from glimpse.imports.contents import (
    Contents,
    Problem,
    SourceMedia,
    SourcePost,
    SourceStory,
    document_load,
    stable_key,
)
from glimpse.imports.zipreader import SafeZip
from glimpse.posts.services.specs import PlaceSpec

SHAPE = "This document does not have the shape of Glimpse's {what}."


def recognised(names: list[str]) -> bool:
    """Tell whether these member names are those of Glimpse's archive."""
    return _root(names) is not None


def read(archive: SafeZip) -> Contents:
    """Return the posts, stories and bio of a Glimpse archive."""
    contents = Contents(source="glimpse")
    root = _root(archive.names()) or ""
    profile = document_load(archive, posixpath.join(root, "profile.json"), contents.problems)
    owner = ""
    if isinstance(profile, dict):
        owner = str(profile.get("id") or profile.get("username") or "")
        contents.bio = _text(profile.get("bio")).strip()
    posts = document_load(archive, posixpath.join(root, "posts.json"), contents.problems)
    if posts is not None and not isinstance(posts, list):
        contents.problems.append(Problem(item="posts.json", reason=SHAPE.format(what="posts")))
    for index, entry in enumerate(posts if isinstance(posts, list) else [], start=1):
        post = _post(archive, root, owner, entry)
        if isinstance(post, str):
            contents.problems.append(Problem(item=f"posts.json, post {index}", reason=post))
        else:
            contents.posts.append(post)
    stories_name = posixpath.join(root, "stories.json")
    stories = (
        document_load(archive, stories_name, contents.problems)
        if stories_name in archive.members
        else []
    )
    for index, entry in enumerate(stories if isinstance(stories, list) else [], start=1):
        story = _story(archive, root, owner, entry)
        if isinstance(story, str):
            contents.problems.append(Problem(item=f"stories.json, story {index}", reason=story))
        else:
            contents.stories.append(story)
    return contents


def _post(archive: SafeZip, root: str, owner: str, entry: Any) -> SourcePost | str:
    """Return a post of the archive, or why it cannot be one."""
    if not isinstance(entry, dict) or not isinstance(entry.get("media"), list):
        return "This is not a post."
    created_at = _time(entry.get("created_at"))
    if created_at is None:
        return "This post has no valid date."
    media = [m for m in entry["media"] if isinstance(m, dict)]
    if not media:
        return "This post has no photo or video."
    return SourcePost(
        key=stable_key("glimpse", owner, entry.get("id")),
        created_at=created_at,
        caption=_text(entry.get("caption")),
        media=tuple(_media(archive, root, m) for m in media),
        place=_place(entry.get("place")),
        archived=entry.get("archived") is True,
    )


def _story(archive: SafeZip, root: str, owner: str, entry: Any) -> SourceStory | str:
    if not isinstance(entry, dict) or not isinstance(entry.get("media"), dict):
        return "This is not a story."
    created_at = _time(entry.get("created_at"))
    if created_at is None:
        return "This story has no valid date."
    return SourceStory(
        key=stable_key("glimpse-story", owner, entry.get("id")),
        created_at=created_at,
        caption=_text(entry.get("caption")),
        media=_media(archive, root, entry["media"]),
    )


def _media(archive: SafeZip, root: str, entry: dict[str, Any]) -> SourceMedia:
    named = _text(entry.get("file"))
    member = archive.find(named, root=root) if named else None
    return SourceMedia(
        member=member, named=named[:200] or "(no file named)", alt_text=_text(entry.get("alt_text"))
    )


def _place(value: Any) -> PlaceSpec | None:
    if not isinstance(value, dict) or not _text(value.get("name")).strip():
        return None
    lat, lng = value.get("lat"), value.get("lng")
    if not (_number(lat) and _number(lng)):
        lat = lng = None
    return PlaceSpec(
        name=_text(value.get("name")), address=_text(value.get("address")), lat=lat, lng=lng
    )


def _root(names: list[str]) -> str | None:
    """Return the folder holding profile.json and posts.json (at most one level down)."""
    present = set(names)
    for name in names:
        folder, base = posixpath.split(name)
        # At the root, or one folder down.
        if (
            base == "profile.json"
            and "/" not in folder
            and posixpath.join(folder, "posts.json") in present
        ):
            return folder
    return None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment if moment <= datetime.now(tz=UTC) + timedelta(days=1) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
