"""API: uploads are judged by their content and limits, and processed into clean renditions."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.media.models import MediaItem
from tests.accounts.images import GPS_IFD, MAKE, jpeg_with_gps, png_bomb
from tests.conftest import ApiClient
from tests.media.conftest import stored_files

pytestmark = pytest.mark.django_db

NOT_MEDIA = {
    "pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "html": b"<!doctype html><html><script>alert(1)</script></html>",
    "svg": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "psd": b"8BPS\x00\x01" + b"\x00" * 40,
    "script": b"#!/bin/sh\nrm -rf /\n",
    "playlist": b"#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nfile:///etc/passwd\n",
    "empty": b"",
}


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


def _tiff() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "TIFF")
    return buffer.getvalue()


def test_photo_upload_answers_202_and_becomes_ready(api: ApiClient, upload) -> None:
    response = upload(api, jpeg_with_gps((1600, 1200)), name="IMG_0001.JPG", alt_text="A pier")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "processing"
    assert isinstance(body["id"], str)
    item = api.get(f"media/{body['id']}").json()
    assert item["status"] == "ready"
    assert item["alt_text"] == "A pier"
    assert (item["width"], item["height"]) == (1600, 1200)
    assert item["blurhash"]
    assert item["dominant_color"].startswith("#")
    names = {(r["name"], r["format"]) for r in item["renditions"]}
    for size in ("1080", "640", "320", "thumb"):
        assert {(size, "webp"), (size, "jpeg")} <= names
    assert not any(name.endswith("base") for name, _ in names)


def test_no_rendition_keeps_gps_or_camera_metadata(api: ApiClient, upload) -> None:
    media_id = upload(api, jpeg_with_gps()).json()["id"]
    item = MediaItem.objects.get(pk=media_id)
    assert item.camera.get("make") == "TestCam"  # read for the owner, never served
    for record in item.renditions:
        with default_storage.open(record["path"]) as stored:
            data = stored.read()
        assert b"TestCam" not in data
        image = Image.open(io.BytesIO(data))
        assert GPS_IFD not in image.getexif()
        assert MAKE not in image.getexif()
    # The raw upload (with its GPS) is gone; only clean files stay.
    assert item.upload_name == ""
    for path in stored_files(settings.MEDIA_ROOT):
        assert b"TestCam" not in path.read_bytes()


def test_the_original_download_has_no_gps(api: ApiClient, upload) -> None:
    media_id = upload(api, jpeg_with_gps()).json()["id"]
    response = api.get(f"media/{media_id}/original")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    exif = Image.open(io.BytesIO(data)).getexif()
    assert GPS_IFD not in exif
    assert MAKE not in exif


@pytest.mark.parametrize("kind", sorted(NOT_MEDIA))
def test_non_media_is_refused_whatever_its_name(api: ApiClient, upload, kind: str) -> None:
    for name in ("photo.jpg", "clip.mp4"):
        response = upload(api, NOT_MEDIA[kind], name=name)
        assert response.status_code == 415, (kind, name, response.content)
        assert response.json()["error"]["code"].startswith("unsupported")
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("data", [_zip(), _tiff()], ids=["zip", "tiff"])
def test_archives_and_tiff_are_refused(api: ApiClient, upload, data: bytes) -> None:
    assert upload(api, data, name="photo.jpg").status_code == 415
    assert MediaItem.objects.count() == 0


def test_too_many_bytes_is_a_413(api: ApiClient, upload, settings) -> None:
    settings.GLIMPSE_PHOTO_MAX_BYTES = 10_000
    response = upload(api, jpeg_with_gps((1600, 1200)))
    assert response.status_code == 413
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_pixel_bomb_is_refused_in_under_a_second(api: ApiClient, upload) -> None:
    bomb = png_bomb()
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    response = upload(api, bomb, name="bomb.png")
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 413
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_truncated_photo_gives_a_clear_answer(api: ApiClient, upload) -> None:
    data = jpeg_with_gps((1200, 900))
    response = upload(api, data[: len(data) // 2])
    if response.status_code == 202:
        item = api.get(f"media/{response.json()['id']}").json()
        assert item["status"] == "failed"
        assert item["failure_reason"]
        assert item["renditions"] == []
    else:
        assert response.status_code == 422
        assert MediaItem.objects.count() == 0


def test_bad_edit_or_crop_at_upload_is_a_422_and_stores_nothing(api: ApiClient, upload) -> None:
    bad = [
        {"filter": "no-such-filter"},
        {"filter_strength": "500"},
        {"adjustments": "{not json"},
        {"adjustments": '{"brightness": 1000}'},
        {"crop": '{"aspect": "1:1", "x": 0, "y": 0, "width": 1, "height": 1}'},  # not square
        {"alt_text": "x" * 1501},
    ]
    for fields in bad:
        response = upload(api, jpeg_with_gps((800, 600)), **fields)
        assert response.status_code == 422, fields
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_uploads_are_rate_limited(api: ApiClient, upload, settings) -> None:
    settings.GLIMPSE_RATE_UPLOADS = (2, 1800)
    small = jpeg_with_gps((64, 48))
    assert upload(api, small).status_code == 202
    assert upload(api, small).status_code == 202
    refused = upload(api, small)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert MediaItem.objects.count() == 2


def test_anonymous_upload_is_a_401(anon: ApiClient, upload) -> None:
    assert upload(anon, jpeg_with_gps()).status_code == 401
    assert MediaItem.objects.count() == 0
