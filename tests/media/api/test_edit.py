"""API: only the owner reads, edits, previews, downloads or deletes an item; edits re-render."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.media.models import MediaItem
from tests.accounts.images import jpeg_with_gps
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(api: ApiClient, upload) -> MediaItem:
    media_id = upload(api, jpeg_with_gps((1600, 1200))).json()["id"]
    return MediaItem.objects.get(pk=media_id)


@pytest.fixture
def stranger(make_user) -> ApiClient:
    _, secret = token_create(user=make_user("stranger"), name="t")
    return ApiClient(secret)


def _rendition_bytes(item: MediaItem, name: str = "1080", fmt: str = "jpeg") -> bytes:
    record = item.rendition(name, fmt)
    assert record is not None
    with default_storage.open(record["path"]) as stored:
        return stored.read()


def _mean_rgb(data: bytes) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(data)).convert("RGB").resize((1, 1), Image.Resampling.BOX)
    r, g, b = image.tobytes()
    return r, g, b


def test_filter_change_re_renders_from_the_original(
    api: ApiClient, photo: MediaItem, run_commit_hooks
) -> None:
    before = _rendition_bytes(photo)
    response = run_commit_hooks(
        lambda: api.patch(f"media/{photo.pk}", {"filter": "noir", "filter_strength": 100})
    )
    assert response.status_code == 200
    photo.refresh_from_db()
    assert photo.status == "ready"
    assert photo.version == photo.rendered_version == 2
    assert photo.edit["filter"] == "noir"
    after = _rendition_bytes(photo)
    assert after != before
    r, g, b = _mean_rgb(after)
    assert abs(r - g) < 6
    assert abs(g - b) < 6  # a black-and-white filter
    # Back to normal: the colours come back, rendered again from the kept original.
    run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"filter": "normal"}))
    photo.refresh_from_db()
    r, g, b = _mean_rgb(_rendition_bytes(photo))
    assert abs(r - b) > 20
    # Only the current version's files are kept.
    folders = {record["path"].split("/")[2] for record in photo.renditions}
    assert folders == {"v3"}
    assert not (settings.MEDIA_ROOT / "media" / photo.storage_key / "v1" / "1080.jpg").exists()


def test_square_crop_gives_square_renditions(
    api: ApiClient, photo: MediaItem, run_commit_hooks
) -> None:
    crop = {"aspect": "1:1", "x": 0.125, "y": 0.0, "width": 0.75, "height": 1.0}
    response = run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"crop": crop}))
    assert response.status_code == 200
    photo.refresh_from_db()
    record = photo.rendition("1080", "webp")
    assert record is not None
    assert record["width"] == record["height"] == 1080


def test_original_aspect_resets_the_crop(
    api: ApiClient, photo: MediaItem, run_commit_hooks
) -> None:
    square = {"aspect": "1:1", "x": 0.125, "y": 0.0, "width": 0.75, "height": 1.0}
    run_commit_hooks(lambda: api.patch(f"media/{photo.pk}", {"crop": square}))
    response = run_commit_hooks(
        lambda: api.patch(f"media/{photo.pk}", {"crop": {"aspect": "original"}})
    )
    assert response.status_code == 200
    assert response.json()["version"] == 3
    photo.refresh_from_db()
    assert photo.crop == {
        "aspect": "original",
        "x": 0.0,
        "y": 0.0,
        "width": 1.0,
        "height": 1.0,
        "rotation": 0,
    }
    record = photo.rendition("1080", "webp")
    assert record is not None
    assert (record["width"], record["height"]) == (1080, 810)


def test_alt_text_change_does_not_re_render(api: ApiClient, photo: MediaItem) -> None:
    response = api.patch(f"media/{photo.pk}", {"alt_text": "Sunset over the pier"})
    assert response.status_code == 200
    photo.refresh_from_db()
    assert photo.alt_text == "Sunset over the pier"
    assert photo.version == 1


def test_invalid_edit_changes_nothing(api: ApiClient, photo: MediaItem) -> None:
    for body in (
        {"filter": "sepia-of-doom"},
        {"adjustments": {"brightness": 101}},
        {"adjustments": {"loudness": 10}},
        {"crop": {"aspect": "4:5", "x": 0, "y": 0, "width": 1, "height": 1}},
    ):
        assert api.patch(f"media/{photo.pk}", body).status_code == 422, body
    photo.refresh_from_db()
    assert photo.version == 1
    assert photo.edit == {"filter": None, "strength": 100, "adjustments": {}} or not photo.edit.get(
        "filter"
    )


def test_preview_renders_the_given_edit(api: ApiClient, photo: MediaItem) -> None:
    response = api.get(f"media/{photo.pk}/preview?filter=noir&strength=100&size=320")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert image.width == 320
    r, _g, b = _mean_rgb(response.content)
    assert abs(r - b) < 6
    photo.refresh_from_db()
    assert photo.version == 1  # a preview changes nothing
    assert api.get(f"media/{photo.pk}/preview?size=77").status_code == 422


def test_filters_are_listed(api: ApiClient) -> None:
    catalogue = api.get("media/filters").json()
    assert len(catalogue) >= 30
    assert {"name", "label", "description"} <= set(catalogue[0])


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"alt_text": "mine now"}),
        ("delete", "", None),
        ("get", "/original", None),
        ("get", "/preview", None),
    ],
)
def test_a_stranger_gets_404_and_changes_nothing(
    photo: MediaItem, stranger: ApiClient, anon: ApiClient, method: str, suffix: str, body
) -> None:
    path = f"media/{photo.pk}{suffix}"
    missing = f"media/1{suffix}"
    call = getattr(stranger, method)
    args = (path, body) if body is not None else (path,)
    response = call(*args)
    assert response.status_code == 404
    assert response.json() == call(*((missing, body) if body is not None else (missing,))).json()
    anon_call = getattr(anon, method)
    assert anon_call(*args).status_code == 401
    photo.refresh_from_db()
    assert photo.alt_text == ""
    assert MediaItem.objects.filter(pk=photo.pk).exists()


def test_owner_deletes_an_item_and_its_files(
    api: ApiClient, photo: MediaItem, run_commit_hooks
) -> None:
    folder = settings.MEDIA_ROOT / "media" / photo.storage_key
    assert any(folder.rglob("*.webp"))
    response = run_commit_hooks(lambda: api.delete(f"media/{photo.pk}"))
    assert response.status_code == 204
    assert not MediaItem.objects.filter(pk=photo.pk).exists()
    assert not any(p.is_file() for p in folder.rglob("*"))


def test_own_uploads_are_listed_newest_first(api: ApiClient, upload, user: User) -> None:
    first = upload(api, jpeg_with_gps((64, 48))).json()["id"]
    second = upload(api, jpeg_with_gps((64, 48))).json()["id"]
    listed = api.get("media").json()
    assert [m["id"] for m in listed["items"]] == [second, first]


def test_preview_of_a_base_replaced_meanwhile_is_a_409(api: ApiClient, photo: MediaItem) -> None:
    base = next(r["path"] for r in photo.renditions if r["name"] == "base")
    default_storage.delete(base)  # as if a newer version had just replaced it
    response = api.get(f"media/{photo.pk}/preview?size=320")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"
