"""Fixtures for people's own data: real media, posts and stories through the real pipeline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings

from tests.graph.conftest import api_as, follow_approved, web_as
from tests.posts.conftest import media_for, publish, run_commit_hooks, small_jpeg
from tests.stories.conftest import post_story

__all__ = [
    "api_as",
    "follow_approved",
    "media_for",
    "post_story",
    "publish",
    "run_commit_hooks",
    "small_jpeg",
    "web_as",
]


def stored_files() -> set[str]:
    """Return the storage name of every file in the media folder."""
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def body_of(response: Any) -> bytes:
    """Return the whole body of a (possibly streaming) response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open an archive held in memory."""
    return zipfile.ZipFile(io.BytesIO(data))
