"""The whole API session of docs/api.md, step by step, as a client would run it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.images import jpeg_with_gps
from tests.conftest import ApiClient


@pytest.mark.django_db
def test_the_documented_session(django_capture_on_commit_callbacks) -> None:
    signup = ApiClient().post(
        "auth/signup",
        {"username": "ana", "email": "ana@example.com", "password": "a-long-passphrase"},
    )
    ana = ApiClient(signup.json()["token"])
    ben = ApiClient(
        ApiClient()
        .post(
            "auth/signup",
            {"username": "ben", "email": "ben@example.com", "password": "another-passphrase"},
        )
        .json()["token"]
    )
    assert ana.patch("accounts/me", {"is_private": True}).json()["is_private"] is True

    file = SimpleUploadedFile("pier.jpg", jpeg_with_gps((1200, 900)), "image/jpeg")
    body = {"file": file, "filter": "coast", "filter_strength": "80", "alt_text": "A pier at dusk"}
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = ana.client.post(
            "/api/glimpse/v1/media", body, HTTP_AUTHORIZATION=f"Bearer {ana.token}"
        )
    assert uploaded.status_code == 202
    media_id = uploaded.json()["id"]
    assert ana.get(f"media/{media_id}").json()["status"] == "ready"

    post = ana.post(
        "posts",
        {
            "media_ids": [media_id],
            "caption": "Dusk #lisbon with @ben",
            "place": {"name": "Cais do Sodré", "lat": 38.706, "lng": -9.145},
        },
    )
    assert post.status_code == 201, post.content
    post_id = post.json()["id"]

    hidden = ben.get(f"posts/{post_id}")
    assert hidden.status_code == 404
    assert hidden.json() == ben.get("posts/1").json()

    assert ben.post("accounts/ana/follow").json() == {"state": "requested"}
    request_id = ana.get("follow-requests").json()["items"][0]["id"]
    assert ana.post(f"follow-requests/{request_id}/approve").status_code == 204

    liked = ben.post(f"posts/{post_id}/like")
    assert liked.json() == {"liked": True, "like_count": 1}
    comment = ben.post(f"posts/{post_id}/comments", {"text": "What a light!"})
    assert comment.status_code == 201
    reply = ana.post(
        f"posts/{post_id}/comments", {"text": "Thanks!", "parent_id": comment.json()["id"]}
    )
    assert reply.status_code == 201

    seen = ben.get(f"posts/{post_id}").json()
    assert seen["like_count"] == 1
    assert seen["comment_count"] == 2
    assert seen["viewer"]["liked"] is True
    assert seen["place"]["name"] == "Cais do Sodré"
