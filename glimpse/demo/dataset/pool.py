"""A pool of real processed photos that every seeded media item shares.

The photos are painted by the demo's scene painter and go through the real upload and
processing services once; their files are then copied to ``media/seed-pool/``, a folder no
media item owns (items own ``media/<storage_key>/``), and the processing items are deleted.
Seeded items point their renditions at the pool's files, so deleting a seeded post deletes
its own (empty) folder and never a file that other posts show.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.files.storage import default_storage

from glimpse.accounts.models import User
from glimpse.media import processing
from glimpse.media import services as media
from glimpse.media.models import MediaItem
from glimpse.media.storage import media_path, storage_put
from glimpse.posts.demo import SCENES, scene_jpeg

POOL_FOLDER = "media/seed-pool"
MANIFEST = f"{POOL_FOLDER}/manifest.json"
OWNER = "seed.pool.owner"


def pool_ensure(size: int) -> list[dict[str, Any]]:
    """Return the pool's items, processing and storing them first if they are not there."""
    entries = _manifest()
    if entries is not None and len(entries) >= size and all(map(_complete, entries[:size])):
        return [_as_row_values(entry) for entry in entries[:size]]
    User.objects.filter(username=OWNER).delete()  # left by an interrupted run
    owner = User.objects.create_user(OWNER, f"{OWNER}@example.com", None)
    try:
        entries = [_entry(owner, index) for index in range(size)]
    finally:
        owner.delete()
    storage_put(MANIFEST, json.dumps(entries).encode())
    return [_as_row_values(entry) for entry in entries]


def _entry(owner: User, index: int) -> dict[str, Any]:
    """Paint, upload and process one photo; copy its files into the pool; drop the item."""
    scenes = sorted(SCENES)
    data = scene_jpeg(scenes[index % len(scenes)], seed=10_000 + index)
    item = media.media_upload(owner=owner, upload=io.BytesIO(data), size_bytes=len(data))
    item.refresh_from_db()
    if item.status != MediaItem.Status.READY:  # jobs went to a broker or a thread
        processing.media_render(item.pk, item.version)
        item.refresh_from_db()
    if item.status != MediaItem.Status.READY:
        raise RuntimeError(f"the pool photo {index} failed to process: {item.failure_reason}")
    own = media_path(item.storage_key) + "/"
    folder = f"{POOL_FOLDER}/{index:02d}/"

    def moved(path: str) -> str:
        target = folder + path.removeprefix(own)
        with default_storage.open(path, "rb") as source:
            storage_put(target, source.read())
        return target

    entry = {
        "kind": item.kind,
        "width": item.width,
        "height": item.height,
        "blurhash": item.blurhash,
        "dominant_color": item.dominant_color,
        "edit": item.edit,
        "crop": item.crop,
        "original_name": moved(item.original_name),
        "renditions": [{**r, "path": moved(r["path"])} for r in item.renditions],
    }
    media.media_delete(owner=owner, media_id=item.pk)
    return entry


def _manifest() -> list[dict[str, Any]] | None:
    if not default_storage.exists(MANIFEST):
        return None
    with default_storage.open(MANIFEST, "rb") as handle:
        entries: list[dict[str, Any]] = json.load(handle)
    return entries


def _complete(entry: dict[str, Any]) -> bool:
    paths = [entry["original_name"], *(r["path"] for r in entry["renditions"])]
    return all(default_storage.exists(path) for path in paths)


def _as_row_values(entry: dict[str, Any]) -> dict[str, Any]:
    """Encode the JSON columns once, as the text both databases take."""
    return {
        **entry,
        "edit": json.dumps(entry["edit"]),
        "crop": None if entry["crop"] is None else json.dumps(entry["crop"]),
        "renditions": json.dumps(entry["renditions"]),
    }
