"""API: the viewer's own profile, avatar, password, deletion, and public profiles."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.services import token_create
from tests.accounts.images import GPS_IFD, MAKE, jpeg_with_gps, png_bomb
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db


def upload(api: ApiClient, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.client.post(
        "/api/glimpse/v1/accounts/me/avatar",
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )


def test_anonymous_access_to_me_is_a_401(anon: ApiClient) -> None:
    assert anon.get("accounts/me").status_code == 401
    assert anon.patch("accounts/me", {"bio": "hi"}).status_code == 401


def test_me_shows_private_settings(api: ApiClient, user: User) -> None:
    body = api.get("accounts/me").json()
    assert body["username"] == "ana"
    assert body["display_name"] == "Ana Lima"
    assert body["email"] == "ana@example.com"
    assert body["is_private"] is False


def test_profile_update_changes_only_the_given_fields(api: ApiClient, user: User) -> None:
    response = api.patch(
        "accounts/me", {"bio": "Photos of Lisbon", "website": "example.com/ana", "is_private": True}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "Photos of Lisbon"
    assert user.website == "https://example.com/ana"
    assert user.is_private is True
    assert user.display_name == "Ana Lima"


def test_overlong_bio_is_refused_and_nothing_changes(api: ApiClient, user: User) -> None:
    response = api.patch("accounts/me", {"bio": "x" * 151, "display_name": "Changed"})
    assert response.status_code == 422
    assert "150" in response.json()["error"]["fields"]["bio"][0]
    user.refresh_from_db()
    assert user.bio == ""
    assert user.display_name == "Ana Lima"


def test_bad_website_is_refused(api: ApiClient, user: User) -> None:
    response = api.patch("accounts/me", {"website": "javascript:alert(1)"})
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.website == ""


def test_public_profile_with_counts_and_relation(
    api: ApiClient, anon: ApiClient, make_user
) -> None:
    make_user("ben")
    nothing = {
        "is_self": False,
        "following": False,
        "requested": False,
        "followed_by": False,
        "blocking": False,
        "muting": False,
    }
    mine = api.get("accounts/ana").json()
    assert mine["viewer"] == {**nothing, "is_self": True}
    assert "email" not in mine
    other = api.get("accounts/BEN").json()
    assert other["username"] == "ben"
    assert other["viewer"] == nothing
    assert {"follower_count", "following_count", "post_count"} <= set(other)
    assert anon.get("accounts/ben").json()["viewer"] == nothing


def test_unknown_or_deactivated_profile_is_a_404(anon: ApiClient, make_user) -> None:
    make_user("gone", is_active=False)
    missing = anon.get("accounts/nobody")
    gone = anon.get("accounts/gone")
    assert missing.status_code == gone.status_code == 404
    assert missing.json() == gone.json()


def test_avatar_is_square_in_three_sizes_without_metadata(api: ApiClient, user: User) -> None:
    response = upload(api, jpeg_with_gps((900, 600)))
    assert response.status_code == 200
    avatar = response.json()["avatar"]
    assert set(avatar) == {"320", "150", "64"}
    user.refresh_from_db()
    for size in (320, 150, 64):
        path = f"avatars/{user.pk}/{user.avatar_version}-{size}.webp"
        with default_storage.open(path) as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP"
        assert image.size == (size, size)
        assert not image.getexif()
        assert GPS_IFD not in image.getexif()
        assert MAKE not in image.getexif()
        assert b"Exif" not in data
        assert b"TestCam" not in data
        assert "icc_profile" not in image.info
        assert "xmp" not in image.info


def test_avatar_follows_exif_orientation(api: ApiClient, user: User) -> None:
    # A 900x300 landscape stored with "rotate 90°" is a portrait; the centre crop changes.
    upload(api, jpeg_with_gps((900, 300), orientation=6))
    user.refresh_from_db()
    with default_storage.open(f"avatars/{user.pk}/{user.avatar_version}-64.webp") as f:
        assert Image.open(f).size == (64, 64)


def test_replacing_the_avatar_deletes_the_old_files(
    api: ApiClient, user: User, django_capture_on_commit_callbacks
) -> None:
    upload(api, jpeg_with_gps())
    user.refresh_from_db()
    old = user.avatar_version
    with django_capture_on_commit_callbacks(execute=True):
        upload(api, jpeg_with_gps())
    user.refresh_from_db()
    assert user.avatar_version != old
    assert not default_storage.exists(f"avatars/{user.pk}/{old}-320.webp")
    assert default_storage.exists(f"avatars/{user.pk}/{user.avatar_version}-320.webp")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "photo.jpg"),
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.png"),
    ],
)
def test_non_images_are_refused_whatever_their_name(
    api: ApiClient, user: User, data: bytes, name: str
) -> None:
    response = upload(api, data, name=name)
    assert response.status_code == 415
    user.refresh_from_db()
    assert user.avatar_version == ""


def test_tiff_is_refused_even_though_pillow_reads_it(api: ApiClient, user: User) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "TIFF")
    assert upload(api, buffer.getvalue(), name="x.jpg").status_code == 415


def test_pixel_bomb_is_refused_fast_without_decoding(api: ApiClient, user: User) -> None:
    bomb = png_bomb()
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    response = upload(api, bomb, name="bomb.png", content_type="image/png")
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 413
    user.refresh_from_db()
    assert user.avatar_version == ""


def test_truncated_image_is_a_clear_4xx(api: ApiClient, user: User) -> None:
    data = jpeg_with_gps()
    response = upload(api, data[: len(data) // 3])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "corrupt_image"
    user.refresh_from_db()
    assert user.avatar_version == ""


def test_avatar_removal(api: ApiClient, user: User) -> None:
    upload(api, jpeg_with_gps())
    response = api.delete("accounts/me/avatar")
    assert response.status_code == 200
    assert response.json()["avatar"] is None


def test_password_change_keeps_this_token_and_revokes_the_others(
    api: ApiClient, user: User
) -> None:
    _, other_secret = token_create(user=user, name="other")
    response = api.post(
        "accounts/me/password",
        {"current_password": PASSWORD, "new_password": "brand-new-passphrase"},
    )
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase")
    assert api.get("accounts/me").status_code == 200
    assert ApiClient(other_secret).get("accounts/me").status_code == 401


def test_password_change_with_a_wrong_current_password_changes_nothing(
    api: ApiClient, user: User
) -> None:
    response = api.post(
        "accounts/me/password",
        {"current_password": "not-it-at-all", "new_password": "brand-new-passphrase"},
    )
    assert response.status_code == 422
    assert "current_password" in response.json()["error"]["fields"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_to_a_weak_password_is_refused(api: ApiClient, user: User) -> None:
    response = api.post(
        "accounts/me/password", {"current_password": PASSWORD, "new_password": "123"}
    )
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_by_email(anon: ApiClient, user: User, mailoutbox, api: ApiClient) -> None:
    assert anon.post("auth/password-reset", {"email": "ANA@example.com"}).status_code == 202
    assert len(mailoutbox) == 1
    link = re.search(r"/accounts/reset/(?P<uid>[^/]+)/(?P<token>[^/]+)/", mailoutbox[0].body)
    assert link
    done = anon.post(
        "auth/password-reset/confirm",
        {"uid": link["uid"], "token": link["token"], "new_password": "reset-and-remembered"},
    )
    assert done.status_code == 204
    user.refresh_from_db()
    assert user.check_password("reset-and-remembered")
    # Every token was revoked, and the link works only once.
    assert api.get("accounts/me").status_code == 401
    again = anon.post(
        "auth/password-reset/confirm",
        {"uid": link["uid"], "token": link["token"], "new_password": "another-new-secret"},
    )
    assert again.status_code == 422


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(
    anon: ApiClient, mailoutbox
) -> None:
    assert anon.post("auth/password-reset", {"email": "nobody@example.com"}).status_code == 202
    assert mailoutbox == []


def test_account_deletion_needs_the_password(api: ApiClient, user: User) -> None:
    refused = api.post("accounts/me/delete", {"password": "wrong-password"})
    assert refused.status_code == 422
    assert User.objects.filter(pk=user.pk).exists()
    scheduled = api.post("accounts/me/delete", {"password": PASSWORD})
    assert scheduled.status_code == 202
    user.refresh_from_db()
    assert user.deletion_requested_at is not None
    assert user.is_active is False
    assert not ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).exists()
    assert api.get("accounts/me").status_code == 401


def test_session_login_works_for_the_api(user: User) -> None:
    client = Client()
    client.force_login(user)
    assert client.get("/api/glimpse/v1/accounts/me").json()["username"] == "ana"


@pytest.mark.parametrize("name", ["a%00b", "%00", "a" * 31, "no%20spaces", "%F0%9F%98%80"])
def test_impossible_usernames_are_a_404_not_a_500(anon: ApiClient, client, name: str) -> None:
    assert anon.get(f"accounts/{name}").status_code == 404
    assert client.get(f"/{name}/").status_code == 404
