"""API: a crop is a quarter turn and a rectangle of the turned photo; the renditions show
exactly that, and a crop that does not fit is refused with nothing changed."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.media.models import MediaItem
from tests.conftest import ApiClient
from tests.media import corpus
from tests.media.conftest import stored_files
from tests.media.corpus import BLUE, GREEN, RED, YELLOW, distance
from tests.media.videos import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(api: ApiClient, upload) -> MediaItem:
    # 1600 x 1200, a colour in each quadrant: red, green / blue, yellow.
    media_id = upload(api, corpus.jpeg(corpus.quadrants((1600, 1200)))).json()["id"]
    return MediaItem.objects.get(pk=media_id)


def rendition(item: MediaItem, name: str = "1080", fmt: str = "jpeg") -> Image.Image:
    record = item.rendition(name, fmt)
    assert record is not None
    with default_storage.open(record["path"]) as stored:
        image = Image.open(io.BytesIO(stored.read())).convert("RGB")
    assert image.size == (record["width"], record["height"])
    return image


def corners(image: Image.Image) -> dict[str, tuple[int, ...]]:
    width, height = image.size
    dx, dy = width // 10, height // 10
    spots = {"tl": (dx, dy), "tr": (width - dx, dy), "bl": (dx, height - dy)}
    spots["br"] = (width - dx, height - dy)
    return {key: image.getpixel(xy) for key, xy in spots.items()}  # type: ignore[misc]


def test_a_turned_portrait_crop_shows_the_turned_picture(
    api: ApiClient, photo: MediaItem, run_commit_hooks
) -> None:
    # Turned a quarter clockwise the photo is 1200 x 1600: a 4:5 of its top is 1200 x 1500.
    crop = {"aspect": "4:5", "rotation": 90, "x": 0, "y": 0, "width": 1, "height": 0.9375}
    response = run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"crop": crop}))
    assert response.status_code == 200
    assert response.json()["crop"] == {**crop, "x": 0.0, "y": 0.0, "width": 1.0}
    photo.refresh_from_db()
    assert photo.status == "ready"
    image = rendition(photo)
    assert image.size == (1080, 1350)
    seen = corners(image)
    # The left column (red over blue) is now the top row (blue, red).
    for corner, colour in {"tl": BLUE, "tr": RED, "bl": YELLOW, "br": GREEN}.items():
        assert distance(seen[corner], colour) < 24, (corner, seen[corner])
    # The API's sizes follow the turn too.
    sizes = {
        r["name"]: (r["width"], r["height"])
        for r in api.get(f"media/{photo.pk}").json()["renditions"]
        if r["format"] == "webp"
    }
    assert sizes["1080"] == (1080, 1350)
    assert sizes["320"] == (320, 400)


@pytest.mark.parametrize(
    ("rotation", "box", "colour"),
    [
        # The top-right square of the picture turned by each quarter.
        (0, {"x": 0.625, "y": 0.0, "width": 0.375, "height": 0.5}, GREEN),
        (90, {"x": 0.5, "y": 0.0, "width": 0.5, "height": 0.375}, RED),
        (180, {"x": 0.625, "y": 0.0, "width": 0.375, "height": 0.5}, BLUE),
        (270, {"x": 0.5, "y": 0.0, "width": 0.5, "height": 0.375}, YELLOW),
    ],
)
def test_a_zoomed_square_of_a_turned_photo_is_one_quadrant(
    api: ApiClient, photo: MediaItem, run_commit_hooks, rotation: int, box: dict, colour: Any
) -> None:
    crop = {"aspect": "1:1", "rotation": rotation, **box}
    assert (
        run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"crop": crop})).status_code == 200
    )
    photo.refresh_from_db()
    image = rendition(photo)
    assert image.size == (600, 600)  # 600 pixels of the original, never enlarged
    for spot in corners(image).values():
        assert distance(spot, colour) < 24, spot
    thumb = rendition(photo, "thumb")
    assert distance(thumb.getpixel((75, 75)), colour) < 24


def test_original_aspect_of_a_turned_photo_keeps_its_turned_shape(
    api: ApiClient, photo: MediaItem, run_commit_hooks
) -> None:
    # 1200 x 1600 turned is 0.75:1, taller than 4:5: "original" is then 4:5.
    response = run_commit_hooks(
        lambda: api.patch(f"media/{photo.pk}", {"crop": {"aspect": "original", "rotation": 270}})
    )
    assert response.status_code == 200
    assert response.json()["crop"] == {
        "aspect": "4:5",
        "x": 0.0,
        "y": 0.03125,
        "width": 1.0,
        "height": 0.9375,
        "rotation": 270,
    }
    # A zoomed "original" keeps the photo's own shape (4:3 upright).
    zoomed = {"aspect": "original", "x": 0.25, "y": 0.25, "width": 0.5, "height": 0.5}
    response = run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"crop": zoomed}))
    assert response.status_code == 200
    photo.refresh_from_db()
    image = rendition(photo)
    assert image.size == (800, 600)
    seen = corners(image)
    for corner, colour in {"tl": RED, "tr": GREEN, "bl": BLUE, "br": YELLOW}.items():
        assert distance(seen[corner], colour) < 24, (corner, seen[corner])


BAD_CROPS = [
    {"aspect": "1:1", "rotation": 45, "x": 0.125, "y": 0, "width": 0.75, "height": 1},
    {"aspect": "1:1", "rotation": "90", "x": 0, "y": 0, "width": 1, "height": 0.75},
    {"aspect": "1:1", "rotation": True, "x": 0.125, "y": 0, "width": 0.75, "height": 1},
    {"aspect": "1:1", "rotation": -90, "x": 0.125, "y": 0, "width": 0.75, "height": 1},
    {"aspect": "1:1", "x": 1.2, "y": 0, "width": 0.75, "height": 1},
    {"aspect": "1:1", "x": -0.1, "y": 0, "width": 0.75, "height": 1},
    {"aspect": "1:1", "x": 0.5, "y": 0, "width": 0.75, "height": 1},  # past the right edge
    {"aspect": "1:1", "x": 0, "y": 0, "width": 1, "height": 1},  # 4:3, not square
    # Square in the upright photo, not in the turned one.
    {"aspect": "1:1", "rotation": 90, "x": 0.125, "y": 0, "width": 0.75, "height": 1},
    {"aspect": "original", "x": 0, "y": 0, "width": 1, "height": 0.5},  # not 4:3
    {"aspect": "3:1", "x": 0, "y": 0, "width": 1, "height": 0.25},  # too wide for a post
    {"aspect": "9:16", "x": 0, "y": 0, "width": 0.3164, "height": 1},  # too tall for a post
    {"aspect": "1:1", "x": "0", "y": 0, "width": 0.75, "height": 1},
    {"aspect": "1:1", "x": 0.125, "y": 0, "width": 0.75},
    {"aspect": "original", "rotation": 45},
    ["not", "an", "object"],
]


@pytest.mark.parametrize("crop", BAD_CROPS)
def test_a_crop_that_does_not_fit_is_a_422_and_changes_nothing(
    api: ApiClient, photo: MediaItem, run_commit_hooks, crop: Any
) -> None:
    before = (photo.crop, photo.version, photo.renditions)
    response = run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"crop": crop}))
    assert response.status_code == 422, response.json()
    assert "crop" in response.json()["error"]["fields"]
    photo.refresh_from_db()
    assert (photo.crop, photo.version, photo.renditions) == before
    assert photo.status == "ready"


def test_a_turned_crop_at_upload_is_applied(api: ApiClient, upload) -> None:
    crop = '{"aspect": "1:1", "rotation": 180, "x": 0.625, "y": 0, "width": 0.375, "height": 0.5}'
    response = upload(api, corpus.jpeg(corpus.quadrants((1600, 1200))), crop=crop)
    assert response.status_code == 202
    item = MediaItem.objects.get(pk=response.json()["id"])
    assert item.crop is not None
    assert item.crop["rotation"] == 180
    image = rendition(item)
    assert image.size == (600, 600)
    assert distance(image.getpixel((300, 300)), BLUE) < 24


@pytest.mark.parametrize("crop", [c for c in BAD_CROPS if isinstance(c, dict)][:6])
def test_a_bad_crop_at_upload_stores_nothing(api: ApiClient, upload, crop: dict) -> None:
    response = upload(api, corpus.jpeg(corpus.quadrants((1600, 1200))), crop=json.dumps(crop))
    assert response.status_code == 422
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_video_cannot_be_turned_or_cropped(api: ApiClient, upload, tmp_path) -> None:
    clip = make_video(tmp_path / "clip.mp4", width=320, height=180, seconds=1.0).read_bytes()
    media_id = upload(api, clip, name="clip.mp4").json()["id"]
    crop = {"aspect": "original", "rotation": 90}
    response = api.patch(f"media/{media_id}", {"crop": crop})
    assert response.status_code == 422
    item = MediaItem.objects.get(pk=media_id)
    assert item.crop is None
    assert item.version == 1
