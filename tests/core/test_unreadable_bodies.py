"""Request bodies Django cannot read are the client's fault: a 4xx in the error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["media", "accounts/me/avatar"])
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_multipart_without_a_boundary_is_a_400_in_the_error_shape(
    api: ApiClient, user: User, path: str, content_type: str
) -> None:
    response = api.client.post(
        f"/api/glimpse/v1/{path}",
        b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nabc\r\n--x--\r\n",
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_multipart"
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    user.refresh_from_db()
    assert user.avatar_version == ""
    assert MediaItem.objects.count() == 0


def test_multipart_without_a_boundary_on_a_web_form_is_a_400_page(client: Client, user: User):
    client.force_login(user)
    response = client.post("/accounts/edit/avatar/", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.avatar_version == ""


def test_a_json_body_over_the_memory_limit_is_a_413(api: ApiClient, user: User, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.patch("accounts/me", {"bio": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    user.refresh_from_db()
    assert user.bio == ""
