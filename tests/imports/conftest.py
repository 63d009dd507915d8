"""Archives built by the tests in Instagram's two layouts and in hostile shapes, and a way
to run an import the way the settings page does (its job run on commit)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from glimpse.accounts.models import User
from glimpse.imports import services
from glimpse.imports.models import ArchiveImport
from tests.media.corpus import png, quadrants
from tests.media.videos import make_video
from tests.posts.conftest import media_for, publish, run_commit_hooks, small_jpeg
from tests.stories.conftest import post_story

__all__ = ["media_for", "post_story", "publish", "run_commit_hooks"]

# 2019-05-04 10:00 UTC, 2020-01-02 08:30 UTC, 2021-07-15 18:45 UTC.
T2019, T2020, T2021 = 1556964000, 1577953800, 1626374700


def mis_encoded(text: str) -> str:
    """Write a text as Instagram does: each UTF-8 byte of it as its own character."""
    return text.encode("utf-8").decode("latin-1")


def jpeg(seed: int = 0) -> bytes:
    """Return a small real JPEG."""
    return small_jpeg(seed, size=(120, 90))


def png_bytes() -> bytes:
    """Return a small real PNG."""
    return png(quadrants((120, 90)))


@pytest.fixture(scope="session")
def mp4_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Return a short real MP4 (no sound), made once."""
    path = tmp_path_factory.mktemp("videos") / "clip.mp4"
    return make_video(path, seconds=0.3, audio_codec=None).read_bytes()


@dataclass
class Archive:
    """A zip in the making: documents as JSON (written as Instagram escapes them) and files."""

    root: str = ""
    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes | str | Any) -> Archive:
        """Add a file; a dict or list is written as JSON with every non-ASCII escaped."""
        if not isinstance(data, bytes | str):
            data = json.dumps(data, ensure_ascii=True, indent=2)
        self.files[self.root + name] = data.encode() if isinstance(data, str) else data
        return self

    def bytes(self) -> bytes:
        """Return the zip."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(name, data)
        return buffer.getvalue()


def instagram_archive(
    *,
    layout: str = "new",
    posts: list[dict[str, Any]] | None = None,
    stories: list[dict[str, Any]] | None = None,
    bio: str | None = None,
    picture: bytes | None = None,
    root: str = "",
) -> Archive:
    """Return an archive in Instagram's older ("old") or newer ("new") layout."""
    archive = Archive(root=root)
    content = "content/" if layout == "old" else "your_instagram_activity/content/"
    if posts is not None:
        archive.add(content + "posts_1.json", posts)
    if stories is not None:
        archive.add(content + "stories.json", {"ig_stories": stories})
    if bio is not None or picture is not None:
        profile = (
            "account_information/personal_information.json"
            if layout == "old"
            else "personal_information/personal_information/personal_information.json"
        )
        photos = {}
        if picture is not None:
            archive.add("media/other/profile.jpg", picture)
            photos = {"Profile Photo": {"uri": "media/other/profile.jpg", "creation_timestamp": 1}}
        strings = {
            "Username": {"href": "", "value": "ana.ig", "timestamp": 0},
            "Bio": {"href": "", "value": mis_encoded(bio or ""), "timestamp": 0},
        }
        archive.add(
            profile,
            {"profile_user": [{"title": "", "media_map_data": photos, "string_map_data": strings}]},
        )
    return archive


def photo_entry(uri: str, timestamp: int, title: str = "", **more: Any) -> dict[str, Any]:
    """Return one media entry of Instagram's posts_1.json."""
    return {
        "uri": uri,
        "creation_timestamp": timestamp,
        "media_metadata": {
            "photo_metadata": {"exif_data": [{"latitude": 38.7, "longitude": -9.1}]}
        },
        "title": mis_encoded(title),
        "cross_post_source": {"source_app": "FB"},
        **more,
    }


def post_entry(media: list[dict[str, Any]], timestamp: int, title: str) -> dict[str, Any]:
    """Return a post of several items, with its caption at the top."""
    return {"media": media, "title": mis_encoded(title), "creation_timestamp": timestamp}


@dataclass
class ImportRun:
    """Run an import of archive bytes for an account, its job run on commit."""

    capture: Any

    def __call__(self, user: User, data: bytes, name: str = "archive.zip") -> ArchiveImport:
        upload = SimpleUploadedFile(name, data, content_type="application/zip")
        with self.capture(execute=True):
            job = services.archive_import_start(user=user, upload=upload, size_bytes=len(data))
        job.refresh_from_db()
        return job


@pytest.fixture
def run_import(django_capture_on_commit_callbacks: Any) -> ImportRun:
    """Import archive bytes for an account as the settings page does, job included."""
    return ImportRun(django_capture_on_commit_callbacks)


@pytest.fixture
def write_archive(tmp_path: Path) -> Callable[[bytes], Path]:
    """Write archive bytes to a file and return its path."""

    def write(data: bytes) -> Path:
        path = tmp_path / "archive.zip"
        path.write_bytes(data)
        return path

    return write
