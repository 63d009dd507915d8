"""Media files in Django's storage: deterministic names, idempotent writes, local copies."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage


def media_path(storage_key: str, *parts: str) -> str:
    """Return the storage name of one file of a media item."""
    return "/".join(("media", storage_key, *parts))


def storage_put(name: str, content: IO[bytes] | bytes) -> str:
    """Write a file at exactly ``name``, replacing what is there (so jobs can run twice)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    data = ContentFile(content) if isinstance(content, bytes) else File(content)
    saved = default_storage.save(name, data)
    if saved != name:  # another writer raced us to this name; keep ours, drop theirs
        default_storage.delete(saved)
        raise RuntimeError(f"storage refused the name {name!r}")
    return saved


def storage_delete_prefix(prefix: str) -> None:
    """Delete every file under a storage folder (best effort; missing files are fine)."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for folder in folders:
        storage_delete_prefix(f"{prefix}/{folder}")
    for name in files:
        default_storage.delete(f"{prefix}/{name}")


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """Yield a local path holding a stored file: the file itself on disk storage."""
    try:
        on_disk: str | None = default_storage.path(name)
    except NotImplementedError:
        on_disk = None  # remote storage: copy it down to a private temporary file
    if on_disk is not None:
        yield Path(on_disk)
        return
    handle, temp = tempfile.mkstemp(prefix="glimpse-media-")
    try:
        with os.fdopen(handle, "wb") as target, default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, target)
        yield Path(temp)
    finally:
        os.unlink(temp)
