"""The media blocklist, owned by media: hashes of stored images, blocked hashes refused."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageFilter

from glimpse.media.blocklist import BLOCKED, media_hashes
from glimpse.media.models import MediaBlock, MediaItem
from glimpse.media.services import media_block_add, media_upload
from glimpse.media.tasks import media_process

pytestmark = pytest.mark.django_db


def photo(seed: int, size: tuple[int, int] = (640, 480), quality: int = 90) -> bytes:
    """Return a photo-like JPEG with structure of its own for each seed."""
    rng = random.Random(seed)
    small = Image.new("L", (8, 6))
    small.putdata([rng.randrange(256) for _ in range(48)])
    image = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(8))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def flat() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def uploaded(django_capture_on_commit_callbacks):
    """Upload and process a file for an account; return the item as it ends."""

    def send(owner, data: bytes) -> MediaItem:
        with django_capture_on_commit_callbacks(execute=False):
            item = media_upload(owner=owner, upload=io.BytesIO(data), size_bytes=len(data))
        media_process.apply(args=(item.pk, item.version), throw=True)
        item.refresh_from_db()
        return item

    return send


def test_a_blocked_hash_refuses_a_similar_upload_and_no_other(make_user, uploaded) -> None:
    owner, other = make_user("owner"), make_user("other")
    first, plain = uploaded(owner, photo(3)), uploaded(owner, flat())
    hashes = media_hashes(media_ids=[first.pk, plain.pk])
    assert len(hashes) == 1  # a flat image has no hash worth blocking
    made = media_block_add(phashes=hashes, source="post 1 removed", action_id=42)
    assert [(b.phash, b.source, b.action_id) for b in made] == [
        (f"{hashes[0]:016x}", "post 1 removed", 42)
    ]
    again = uploaded(other, photo(3, size=(500, 375), quality=60))
    assert (again.status, again.failure_reason) == ("failed", BLOCKED)
    assert uploaded(other, photo(4)).status == "ready"
    assert uploaded(other, flat()).status == "ready"


def test_nothing_to_block_writes_nothing(make_user) -> None:
    assert media_hashes(media_ids=[12345]) == []
    assert media_block_add(phashes=[], source="nothing") == []
    assert not MediaBlock.objects.exists()
