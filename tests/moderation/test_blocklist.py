"""The media blocklist on real images: a removed image is refused again, others are not."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageFilter

from glimpse.media.blocklist import BLOCKED, image_hash
from glimpse.media.models import MediaBlock, MediaItem
from glimpse.media.services import media_upload
from glimpse.media.tasks import media_process
from glimpse.moderation import services
from glimpse.moderation.models import Case
from glimpse.posts import services as posts
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Return a photo-like image with structure of its own for each seed."""
    rng = random.Random(seed)
    small = Image.new("L", (8, 6))
    small.putdata([rng.randrange(256) for _ in range(48)])
    return (
        small.resize(size, Image.Resampling.BICUBIC)
        .filter(ImageFilter.GaussianBlur(8))
        .convert("RGB")
    )


def encoded(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(owner, data: bytes, django_capture_on_commit_callbacks) -> MediaItem:
    with django_capture_on_commit_callbacks(execute=False):
        item = media_upload(owner=owner, upload=io.BytesIO(data), size_bytes=len(data))
    media_process.apply(args=(item.pk, item.version), throw=True)
    item.refresh_from_db()
    return item


def distance(a: int | None, b: int | None) -> int:
    assert a is not None
    assert b is not None
    return (a ^ b).bit_count()


def test_the_hash_survives_reencoding_and_resizing_but_not_another_image(tmp_path) -> None:
    original, other = picture(1), picture(2)
    paths = {}
    for name, image, fmt, options in [
        ("a.jpg", original, "JPEG", {"quality": 95}),
        ("b.webp", original.resize((320, 240)), "WEBP", {"quality": 40}),
        ("c.png", other, "PNG", {}),
    ]:
        paths[name] = tmp_path / name
        paths[name].write_bytes(encoded(image, fmt, **options))
    hashes = {name: image_hash(path) for name, path in paths.items()}
    assert distance(hashes["a.jpg"], hashes["b.webp"]) <= 6
    assert distance(hashes["a.jpg"], hashes["c.png"]) > 6
    flat = tmp_path / "flat.png"
    flat.write_bytes(encoded(Image.new("RGB", (50, 50), (10, 200, 30)), "PNG"))
    assert image_hash(flat) is None


def test_a_removed_image_is_refused_when_uploaded_again(
    make_user, moderator, django_capture_on_commit_callbacks
) -> None:
    author = make_user("author")
    first = upload(author, encoded(picture(7)), django_capture_on_commit_callbacks)
    post = posts.post_create(author=author, media_ids=[first.pk])
    report(make_user(), "post", post.pk, reason="nudity")
    case = Case.objects.get(target_id=post.pk)
    services.case_act(moderator=moderator, case_id=case.pk, action="remove", reason="Nudity")
    assert MediaBlock.objects.count() == 1
    again = upload(
        make_user(),
        encoded(picture(7).resize((500, 375)), quality=60),
        django_capture_on_commit_callbacks,
    )
    assert again.status == "failed"
    assert again.failure_reason == BLOCKED
    different = upload(author, encoded(picture(8)), django_capture_on_commit_callbacks)
    assert different.status == "ready"
