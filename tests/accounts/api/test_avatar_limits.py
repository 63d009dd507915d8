"""API: profile pictures share the media upload limit and allow-list, and decode in bounded
memory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from tests.accounts.images import jpeg_with_gps
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

FIFTY_MEGAPIXELS = (7071, 7071)
# A child process renders one avatar and reports how much its peak resident memory grew.
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
_MEASURE = """
import io, json, sys
import django
django.setup()
from glimpse.accounts import avatars
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
data = open(sys.argv[1], "rb").read()
before = peak_kb()
try:
    avatars.avatar_render(io.BytesIO(data), size_bytes=len(data))
    outcome = "rendered"
except Exception as exc:
    outcome = type(exc).__name__
after = peak_kb()
print(json.dumps({"outcome": outcome, "growth_kb": after - before}))
"""


def upload(api: ApiClient, data: bytes, name: str = "photo.png") -> Any:
    return api.client.post(
        "/api/glimpse/v1/accounts/me/avatar",
        {"file": SimpleUploadedFile(name, data, content_type="image/png")},
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )


def flat_png(mode: str, size: tuple[int, int]) -> bytes:
    """Return a one-colour PNG: a few kilobytes that claim ``size`` pixels."""
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def test_avatar_uploads_count_in_the_media_upload_limit(
    api: ApiClient, user: User, settings
) -> None:
    settings.GLIMPSE_RATE_UPLOADS = (2, 1800)
    small = jpeg_with_gps((64, 48))
    assert upload(api, small, "a.jpg").status_code == 200
    assert upload(api, small, "a.jpg").status_code == 200
    user.refresh_from_db()
    kept = user.avatar_version
    refused = upload(api, small, "a.jpg")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.avatar_version == kept
    # The same limit: a media upload is refused too.
    media = api.client.post(
        "/api/glimpse/v1/media",
        {"file": SimpleUploadedFile("b.jpg", small)},
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert media.status_code == 429
    assert MediaItem.objects.count() == 0


def test_a_picture_over_the_media_side_limit_is_refused(
    api: ApiClient, user: User, settings
) -> None:
    settings.GLIMPSE_PHOTO_MAX_SIDE = 1000
    response = upload(api, flat_png("L", (1200, 100)))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large_dimensions"
    user.refresh_from_db()
    assert user.avatar_version == ""


def test_a_colour_png_whose_bitmap_passes_the_decode_budget_is_refused(
    api: ApiClient, user: User, settings
) -> None:
    # The same as a 50-megapixel colour PNG (200 MB decoded) under the default 64 MB.
    settings.GLIMPSE_AVATAR_DECODE_MAX_BYTES = 1_000_000
    assert upload(api, flat_png("L", (900, 900))).status_code == 200
    user.refresh_from_db()
    kept = user.avatar_version
    response = upload(api, flat_png("RGB", (900, 900)))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_many_pixels"
    user.refresh_from_db()
    assert user.avatar_version == kept


@pytest.mark.parametrize("mode", ["L", "1"])
def test_a_fifty_megapixel_png_avatar_grows_memory_by_less_than_80_mb(
    tmp_path: Path, mode: str
) -> None:
    path = tmp_path / "hostile.png"
    path.write_bytes(flat_png(mode, FIFTY_MEGAPIXELS))
    assert path.stat().st_size < 60_000
    root = Path(django_settings.BASE_DIR)
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=root,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["outcome"] == "rendered"
    assert report["growth_kb"] < 80 * 1024, report
