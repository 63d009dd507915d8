"""The profile photo's crop: a square chosen (and turned) in the browser is cut on the server,
from the web form and from the API; a crop that does not fit changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from glimpse.accounts.models import User
from tests.conftest import ApiClient
from tests.media import corpus
from tests.media.corpus import BLUE, GREEN, RED, YELLOW, distance

pytestmark = pytest.mark.django_db


def quadrants_jpeg(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """Red, green over blue, yellow."""
    return corpus.jpeg(corpus.quadrants(size))


def avatar_pixels(user: User, size: int = 320) -> Image.Image:
    user.refresh_from_db()
    assert user.avatar_version
    path = Path(django_settings.MEDIA_ROOT) / "avatars" / str(user.pk)
    with Image.open(path / f"{user.avatar_version}-{size}.webp") as image:
        return image.convert("RGB")


def spots(image: Image.Image) -> list[tuple[int, ...]]:
    """The colour near each corner and at the centre."""
    w, h = image.size
    points = [(w // 10, h // 10), (w - w // 10, h // 10), (w // 10, h - h // 10)]
    points += [(w - w // 10, h - h // 10), (w // 2, h // 2)]
    return [image.getpixel(p) for p in points]  # type: ignore[misc]


def post_avatar(client: Client, data: bytes, crop: Any) -> Any:
    upload = SimpleUploadedFile("me.jpg", data, content_type="image/jpeg")
    body: dict[str, Any] = {"avatar": upload}
    if crop is not None:
        body["crop"] = crop if isinstance(crop, str) else json.dumps(crop)
    return client.post(reverse("accounts:avatar_upload"), body)


@pytest.mark.parametrize(
    ("crop", "colour"),
    [
        # The top-right 600 x 600 of the upright picture.
        ({"x": 0.625, "y": 0, "width": 0.375, "height": 0.5, "rotation": 0}, GREEN),
        # Turned a quarter clockwise (1200 x 1600): its top-right square was the top-left.
        ({"x": 0.5, "y": 0, "width": 0.5, "height": 0.375, "rotation": 90}, RED),
        # Upside down: the top-left square was the bottom-right.
        ({"x": 0, "y": 0, "width": 0.375, "height": 0.5, "rotation": 180}, YELLOW),
        # A quarter anticlockwise: the bottom squares were the left column.
        ({"x": 0, "y": 0.625, "width": 0.5, "height": 0.375, "rotation": 270}, RED),
        ({"x": 0.5, "y": 0.625, "width": 0.5, "height": 0.375, "rotation": 270}, BLUE),
    ],
)
def test_the_chosen_square_becomes_the_avatar(
    client: Client, user: User, crop: dict[str, Any], colour: tuple[int, int, int]
) -> None:
    client.force_login(user)
    response = post_avatar(client, quadrants_jpeg(), crop)
    assert response.status_code == 302
    for size in django_settings.GLIMPSE_AVATAR_SIZES:
        image = avatar_pixels(user, size)
        assert image.size == (size, size)
        for spot in spots(image):
            assert distance(spot, colour) < 24, (size, spot)


def test_a_zoomed_square_keeps_its_detail(client: Client, user: User) -> None:
    # 4000 x 3000: the square is 500 pixels of the original, so no 1/8 shrink-on-load.
    picture = corpus.quadrants((4000, 3000))
    picture.paste((255, 255, 255), (1900, 1400, 2100, 1600))  # a white dot at the centre
    data = corpus.jpeg(picture)
    client.force_login(user)
    crop = {"x": 0.4375, "y": 0.41667, "width": 0.125, "height": 0.16667, "rotation": 0}
    assert post_avatar(client, data, crop).status_code == 302
    image = avatar_pixels(user)
    # The dot is 200 of the 500 pixels: 128 of the 320, sharp-edged.
    assert distance(image.getpixel((160, 160)), (255, 255, 255)) < 16
    assert distance(image.getpixel((10, 10)), RED) < 24
    assert distance(image.getpixel((310, 310)), YELLOW) < 24


def test_a_crop_of_a_photo_taken_sideways_is_of_the_upright_photo(
    client: Client, user: User
) -> None:
    # Stored turned, shown upright as quadrants (300 x 200) by its EXIF orientation 6.
    client.force_login(user)
    crop = {"x": 0, "y": 0, "width": 1 / 3, "height": 0.5, "rotation": 180}
    assert post_avatar(client, corpus.orientation_jpeg(6), crop).status_code == 302
    for spot in spots(avatar_pixels(user)):
        assert distance(spot, YELLOW) < 24, spot


def test_without_a_crop_the_centred_square_is_taken(client: Client, user: User) -> None:
    client.force_login(user)
    assert post_avatar(client, quadrants_jpeg(), None).status_code == 302
    image = avatar_pixels(user)
    left, right = image.getpixel((20, 20)), image.getpixel((300, 20))
    assert distance(left, RED) < 24
    assert distance(right, GREEN) < 24


BAD = [
    {"x": 0.625, "y": 0, "width": 0.375, "height": 0.5, "rotation": 45},
    {"x": 0.625, "y": 0, "width": 0.375, "height": 0.5, "rotation": "90"},
    {"x": 0, "y": 0, "width": 1, "height": 1, "rotation": 0},  # 4:3, not a square
    {"x": 0.8, "y": 0, "width": 0.375, "height": 0.5, "rotation": 0},  # past the edge
    {"x": -0.1, "y": 0, "width": 0.375, "height": 0.5},
    {"x": 0.625, "y": 0, "width": 0.375},
    {"x": 0.5, "y": 0, "width": 0.375, "height": 0.5, "rotation": 90},  # not square turned
    "{not json",
    "[1, 2]",
]


@pytest.mark.parametrize("crop", BAD)
def test_a_crop_that_does_not_fit_is_refused_and_keeps_the_avatar(
    client: Client, user: User, crop: Any
) -> None:
    client.force_login(user)
    assert post_avatar(client, quadrants_jpeg(), None).status_code == 302
    user.refresh_from_db()
    version = user.avatar_version
    files = sorted((Path(django_settings.MEDIA_ROOT) / "avatars" / str(user.pk)).iterdir())
    response = post_avatar(client, quadrants_jpeg(), crop)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    user.refresh_from_db()
    assert user.avatar_version == version
    assert sorted((Path(django_settings.MEDIA_ROOT) / "avatars" / str(user.pk)).iterdir()) == files


def test_the_api_takes_the_same_crop(api: ApiClient, user: User) -> None:
    crop = {"x": 0.5, "y": 0, "width": 0.5, "height": 0.375, "rotation": 90}
    body = {
        "file": SimpleUploadedFile("me.jpg", quadrants_jpeg(), content_type="image/jpeg"),
        "crop": json.dumps(crop),
    }
    response = api.client.post(
        "/api/glimpse/v1/accounts/me/avatar", body, HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert response.status_code == 200
    assert response.json()["avatar"]
    for spot in spots(avatar_pixels(user)):
        assert distance(spot, RED) < 24, spot


@pytest.mark.parametrize("crop", BAD)
def test_the_api_refuses_a_bad_crop_with_nothing_written(
    api: ApiClient, user: User, crop: Any
) -> None:
    body = {
        "file": SimpleUploadedFile("me.jpg", quadrants_jpeg(), content_type="image/jpeg"),
        "crop": crop if isinstance(crop, str) else json.dumps(crop),
    }
    response = api.client.post(
        "/api/glimpse/v1/accounts/me/avatar", body, HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert response.status_code == 422
    assert "crop" in response.json()["error"]["fields"]
    user.refresh_from_db()
    assert user.avatar_version == ""
    assert not (Path(django_settings.MEDIA_ROOT) / "avatars" / str(user.pk)).exists()


def test_anonymous_callers_set_no_avatar(client: Client, anon: ApiClient, user: User) -> None:
    crop = json.dumps({"x": 0.625, "y": 0, "width": 0.375, "height": 0.5})
    response = post_avatar(client, quadrants_jpeg(), crop)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    body = {
        "file": SimpleUploadedFile("me.jpg", quadrants_jpeg(), content_type="image/jpeg"),
        "crop": crop,
    }
    assert anon.client.post("/api/glimpse/v1/accounts/me/avatar", body).status_code == 401
    user.refresh_from_db()
    assert user.avatar_version == ""
