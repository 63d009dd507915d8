"""Every file of the hostile and odd corpus, through the real upload endpoint.

Each one ends `ready` with clean renditions, or with a clear 4xx / `failed` and nothing
stored; never a 500, never a byte of its metadata served.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.media.models import MediaItem
from tests.conftest import ApiClient
from tests.media import corpus
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db

ACCEPTED: dict[str, Callable[[], bytes]] = {
    "gps_jpeg": corpus.gps_jpeg,
    **{f"orientation_{o}": functools.partial(corpus.orientation_jpeg, o) for o in range(1, 9)},
    "display_p3": corpus.p3_jpeg,
    "iphone_heic": corpus.heic_iphone,
    "png_16bit": corpus.png_16bit_rgb,
    "png_16bit_gray": corpus.png_16bit_gray,
    "palette_png": corpus.palette_png,
    "transparent_png": corpus.transparent_png,
    "png_with_metadata": corpus.png_with_metadata,
    "animated_gif": corpus.animated_gif,
    "cmyk_jpeg": lambda: corpus.cmyk_jpeg(with_icc=True),
    "webp": corpus.webp,
    "avif": corpus.avif,
}

REFUSED: dict[str, tuple[Callable[[], bytes], int]] = {
    "zero_bytes": (lambda: b"", 415),
    "pixel_bomb": (corpus.pixel_bomb_png, 413),
    "png_12000x12000": (corpus.big_png, 413),  # 144 megapixels, over the 50 MP limit
    **{
        f"{kind}_as_jpg": (functools.partial(bytes, data), 415)
        for kind, data in corpus.impostors().items()
    },
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_files_come_out_clean(api: ApiClient, upload, name: str) -> None:
    response = upload(api, ACCEPTED[name](), name="upload.jpg")
    assert response.status_code == 202, response.content
    item = MediaItem.objects.get(pk=response.json()["id"])
    assert item.status == "ready", item.failure_reason
    assert {r["name"] for r in item.renditions} >= {"1080", "640", "320", "thumb"}
    for record in item.renditions:
        with default_storage.open(record["path"]) as stored:
            data = stored.read()
        assert corpus.SECRET.encode() not in data
        image = Image.open(io.BytesIO(data))
        assert image.mode in ("RGB", "L")
        assert not image.getexif()
        assert (image.width, image.height) == (record["width"], record["height"])
    for path in stored_files(settings.MEDIA_ROOT):
        assert corpus.SECRET.encode() not in path.read_bytes()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_files_store_nothing(api: ApiClient, upload, name: str) -> None:
    make, status = REFUSED[name]
    response = upload(api, make(), name="upload.jpg")
    assert response.status_code == status, response.content
    assert response.json()["error"]["message"]
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("make", [corpus.truncated_jpeg, corpus.truncated_png])
def test_truncated_files_fail_clearly(api: ApiClient, upload, make: Callable[[], bytes]) -> None:
    response = upload(api, make(), name="upload.jpg")
    if response.status_code == 202:
        item = MediaItem.objects.get(pk=response.json()["id"])
        assert item.status == "failed"
        assert item.failure_reason
        assert item.renditions == []
    else:
        assert response.status_code == 422
        assert MediaItem.objects.count() == 0
        assert stored_files(settings.MEDIA_ROOT) == []


def test_png_with_html_appended_is_served_clean(api: ApiClient, upload) -> None:
    data = corpus.png(corpus.quadrants()) + b"<html><script>alert(1)</script></html>"
    media_id = upload(api, data, name="upload.png").json()["id"]
    item = MediaItem.objects.get(pk=media_id)
    assert item.status == "ready"
    for path in stored_files(settings.MEDIA_ROOT):
        assert b"<script>" not in path.read_bytes()
