"""A story keeps its shape up to 9:16, end to end: upload, renditions, API and viewer.

Each test uploads through the API as an app does, posts the story, and measures the file
the story's own URL serves (not what the database says about it).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import av
import pytest
from django.test import Client
from PIL import Image

from glimpse.accounts.models import User
from glimpse.media.crops import crop_default
from tests.media.videos import make_video
from tests.stories.conftest import api_as, web_as

pytestmark = pytest.mark.django_db


def jpeg(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (30, 90, 160))
    image.paste((240, 200, 40), (0, 0, width, height // 10))  # a band at the very top
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def upload(author: User, data: bytes, name: str, capture: Any, **form: str) -> str:
    """Upload a file through the API, run its processing, and return its id."""
    client = Client()
    client.force_login(author)
    with capture(execute=True):
        response = client.post(
            "/api/glimpse/v1/media",
            {"file": io_named(data, name), **form},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 202, response.content
    return str(response.json()["id"])


def io_named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def served(client: Client, url: str) -> bytes:
    response: Any = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def rendition(story: dict[str, Any], name: str, fmt: str) -> dict[str, Any]:
    return next(r for r in story["media"]["renditions"] if r["name"] == name and r["format"] == fmt)


def test_crop_default_for_a_story_keeps_up_to_9_16() -> None:
    assert crop_default(1080, 1920, shape="story")["aspect"] == "original"
    assert crop_default(1920, 1080, shape="story")["aspect"] == "original"  # letterboxed
    taller = crop_default(1000, 2400, shape="story")
    assert taller["aspect"] == "9:16"
    assert abs(taller["height"] * 2400 - 1000 * 16 / 9) < 1
    # A post keeps cutting a tall photo to 4:5, as before.
    assert crop_default(1080, 1920)["aspect"] == "4:5"


def test_a_9_16_photo_story_is_served_at_9_16(
    make_user, django_capture_on_commit_callbacks
) -> None:
    author, fan = make_user("olive"), make_user("fern")
    media_id = upload(
        author, jpeg(1080, 1920), "tall.jpg", django_capture_on_commit_callbacks, shape="story"
    )
    story = api_as(author).post("stories", {"media_id": media_id}).json()
    assert (story["media"]["width"], story["media"]["height"]) == (1080, 1920)
    # The file the story's URL serves is 1080 x 1920: nothing of the picture was cut.
    seen = api_as(fan).get(f"stories/{story['id']}").json()
    for fmt in ("webp", "jpeg"):
        data = served(web_as(fan), rendition(seen, "1080", fmt)["url"])
        assert Image.open(io.BytesIO(data)).size == (1080, 1920)
    # The viewer draws that same rendition in a 9:16 frame.
    page = web_as(fan).get("/stories/olive/").content.decode()
    assert rendition(seen, "1080", "webp")["url"].split("?")[0] in page


def test_a_landscape_photo_story_is_kept_whole(
    make_user, django_capture_on_commit_callbacks
) -> None:
    author = make_user("olive")
    media_id = upload(
        author, jpeg(1600, 900), "wide.jpg", django_capture_on_commit_callbacks, shape="story"
    )
    story = api_as(author).post("stories", {"media_id": media_id}).json()
    data = served(web_as(author), rendition(story, "1080", "jpeg")["url"])
    assert Image.open(io.BytesIO(data)).size == (1080, 608)


def test_a_photo_uploaded_for_a_post_still_gets_4_5(
    make_user, django_capture_on_commit_callbacks
) -> None:
    author = make_user("olive")
    media_id = upload(author, jpeg(1080, 1920), "tall.jpg", django_capture_on_commit_callbacks)
    item = api_as(author).get(f"media/{media_id}").json()
    large = next(r for r in item["renditions"] if r["name"] == "1080")
    assert (large["width"], large["height"]) == (1080, 1350)


def test_an_unknown_shape_is_refused(make_user, django_capture_on_commit_callbacks) -> None:
    author = make_user("olive")
    client = Client()
    client.force_login(author)
    response = client.post(
        "/api/glimpse/v1/media", {"file": io_named(jpeg(90, 160), "a.jpg"), "shape": "reel"}
    )
    assert response.status_code == 422


def test_a_9_16_video_story_is_served_at_9_16(
    make_user, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    author, fan = make_user("olive"), make_user("fern")
    clip = make_video(tmp_path / "tall.mp4", width=1080, height=1920, seconds=0.4, fps=10)
    media_id = upload(
        author, clip.read_bytes(), "tall.mp4", django_capture_on_commit_callbacks, shape="story"
    )
    story = api_as(author).post("stories", {"media_id": media_id}).json()
    seen = api_as(fan).get(f"stories/{story['id']}").json()
    videos = [r for r in seen["media"]["renditions"] if r["format"] == "mp4"]
    assert videos
    for video in videos:
        target = tmp_path / f"served-{video['name']}.mp4"
        target.write_bytes(served(web_as(fan), video["url"]))
        with av.open(str(target)) as container:
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
        assert width * 16 == height * 9, (width, height)
    poster = served(web_as(fan), rendition(seen, "poster-1080", "jpeg")["url"])
    assert Image.open(io.BytesIO(poster)).size == (1080, 1920)
