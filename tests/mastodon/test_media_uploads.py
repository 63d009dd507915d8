"""Uploads through the client API: ``POST /api/v2/media`` (and v1), then ``GET`` and ``PUT``
``/api/v1/media/:id``, with real images through Glimpse's real media pipeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.posts import services
from tests.mastodon.conftest import bearer_of
from tests.mastodon.entities import MediaAttachment
from tests.oauth_flow import bearer, register_app, user_token
from tests.posts.conftest import small_jpeg

pytestmark = pytest.mark.django_db


def _send(
    auth: dict[str, Any], data: bytes | None, *, path: str = "/api/v2/media", **fields: str
) -> Any:
    body: dict[str, Any] = dict(fields)
    if data is not None:
        body["file"] = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
    return Client().post(path, body, **auth)


def _state() -> list[tuple[Any, ...]]:
    return list(
        MediaItem.objects.order_by("pk").values_list(
            "pk", "owner_id", "alt_text", "focus_x", "focus_y", "attached_at"
        )
    )


def test_an_upload_answers_202_while_processing_then_reads_200_with_its_pictures(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    ana = bearer_of(make_user("ana"))
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(ana, small_jpeg(1, (800, 600)), description="A red door", focus="-0.5,0.25")
    assert sent.status_code == 202, sent.content
    body = sent.json()
    assert (body["type"], body["url"], body["preview_url"]) == ("image", None, None)
    assert body["description"] == "A red door"
    assert body["meta"]["focus"] == {"x": -0.5, "y": 0.25}
    item = MediaItem.objects.get(pk=int(body["id"]))
    assert (item.focus_x, item.focus_y, item.alt_text) == (-0.5, 0.25, "A red door")

    done = Client().get(f"/api/v1/media/{body['id']}", **ana)
    assert done.status_code == 200, done.content
    attachment = MediaAttachment.model_validate(done.json())
    assert attachment.url
    assert attachment.preview_url
    assert attachment.meta.original.width == 800
    assert done.json()["meta"]["focus"] == {"x": -0.5, "y": 0.25}


def test_an_upload_still_processing_reads_206(make_user: Callable[..., User]) -> None:
    ana = bearer_of(make_user("ana"))
    sent = _send(ana, small_jpeg(2))  # its processing job is never run here
    assert sent.status_code == 202
    pending = Client().get(f"/api/v1/media/{sent.json()['id']}", **ana)
    assert pending.status_code == 206
    assert pending.json()["url"] is None


def test_the_first_form_of_upload_answers_200(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    ana = bearer_of(make_user("ana"))
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(ana, small_jpeg(3), path="/api/v1/media", description="sea")
    assert sent.status_code == 200, sent.content
    assert sent.json()["description"] == "sea"
    assert MediaItem.objects.filter(pk=int(sent.json()["id"])).exists()


@pytest.mark.parametrize(
    ("data", "fields", "words"),
    [
        (None, {}, "file: attach a photo or video"),
        (b"just some words, not a picture", {}, "This kind of file is not supported"),
        (small_jpeg(4), {"focus": "2,0"}, "focus"),
        (small_jpeg(4), {"focus": "left"}, "focus: give two numbers between -1 and 1"),
        (small_jpeg(4), {"description": "x" * 1501}, "Alt text has at most 1500 characters"),
    ],
)
def test_a_bad_upload_is_a_422_and_stores_nothing(
    make_user: Callable[..., User], data: bytes | None, fields: dict[str, str], words: str
) -> None:
    ana = bearer_of(make_user("ana"))
    refused = _send(ana, data, **fields)
    assert refused.status_code == 422, refused.content
    assert words in refused.json()["error"]
    assert refused.json()["error"].startswith("Validation failed")
    assert MediaItem.objects.count() == 0


def test_a_photo_over_glimpse_s_size_limit_is_a_422(make_user: Callable[..., User]) -> None:
    ana = bearer_of(make_user("ana"))
    with override_settings(GLIMPSE_PHOTO_MAX_BYTES=1024 * 1024):
        refused = _send(ana, small_jpeg(5) + b"\0" * (1024 * 1024))
    assert refused.status_code == 422
    assert refused.json() == {"error": "Validation failed: A photo can be at most 1 MB."}
    assert MediaItem.objects.count() == 0


def test_a_file_that_fails_processing_reads_422(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    ana = bearer_of(make_user("ana"))
    whole = small_jpeg(6, (1200, 900))
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(ana, whole[: len(whole) // 2])
    assert sent.status_code == 202
    failed = Client().get(f"/api/v1/media/{sent.json()['id']}", **ana)
    assert failed.status_code == 422
    assert failed.json()["error"].startswith("Error processing the uploaded media")


@pytest.mark.parametrize("encoding", ["form", "json"])
def test_the_owner_changes_alt_text_and_focal_point(
    make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]], encoding: str
) -> None:
    user = make_user("ana")
    [item] = media_for(user)
    fields = {"description": "Two cats on a wall", "focus": "0.1,-0.9"}
    if encoding == "form":
        body, kind = urlencode(fields), "application/x-www-form-urlencoded"
    else:
        body, kind = json.dumps(fields), "application/json"
    changed = Client().put(f"/api/v1/media/{item.pk}", body, content_type=kind, **bearer_of(user))
    assert changed.status_code == 200, changed.content
    assert changed.json()["description"] == "Two cats on a wall"
    assert changed.json()["meta"]["focus"] == {"x": 0.1, "y": -0.9}
    item.refresh_from_db()
    assert (item.alt_text, item.focus_x, item.focus_y) == ("Two cats on a wall", 0.1, -0.9)


def test_a_focal_point_out_of_range_is_a_422_and_changes_nothing(
    make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]]
) -> None:
    user = make_user("ana")
    [item] = media_for(user)
    before = _state()
    refused = Client().put(
        f"/api/v1/media/{item.pk}",
        urlencode({"focus": "0.5,1.5", "description": "new"}),
        content_type="application/x-www-form-urlencoded",
        **bearer_of(user),
    )
    assert refused.status_code == 422
    assert "focus" in refused.json()["error"]
    assert _state() == before


def test_another_account_neither_reads_nor_changes_an_upload(
    make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]]
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    [item] = media_for(ana)
    before = _state()
    stranger = bearer_of(bob)
    assert Client().get(f"/api/v1/media/{item.pk}", **stranger).status_code == 404
    changed = Client().put(
        f"/api/v1/media/{item.pk}",
        urlencode({"description": "mine now"}),
        content_type="application/x-www-form-urlencoded",
        **stranger,
    )
    assert changed.status_code == 404
    assert changed.json() == {"error": "Record not found"}
    assert _state() == before
    assert Client().get("/api/v1/media/not-a-number", **stranger).status_code == 404


def test_media_part_of_a_post_is_no_longer_found_here(
    make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]]
) -> None:
    user = make_user("ana")
    [item] = media_for(user)
    services.post_create(author=user, media_ids=[item.pk])
    before = _state()
    auth = bearer_of(user)
    assert Client().get(f"/api/v1/media/{item.pk}", **auth).status_code == 404
    changed = Client().put(
        f"/api/v1/media/{item.pk}",
        '{"description": "late"}',
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 404
    assert _state() == before


def test_a_read_only_token_cannot_upload_nor_read_uploads(
    make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]]
) -> None:
    user = make_user("ana")
    [item] = media_for(user)
    browser = Client()
    browser.force_login(user)
    reader = bearer(user_token(browser, register_app("read write"), scope="read"))
    before = _state()
    for response in (
        _send(reader, small_jpeg(7)),
        _send(reader, small_jpeg(7), path="/api/v1/media"),
        Client().get(f"/api/v1/media/{item.pk}", **reader),
    ):
        assert response.status_code == 403
        assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert _state() == before
