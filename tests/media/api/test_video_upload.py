"""API: videos come out as H.264/AAC MP4 with a poster; what is not a video is refused."""

from __future__ import annotations

import io
from pathlib import Path

import av
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from glimpse.media.models import MediaItem
from tests.conftest import ApiClient
from tests.media.conftest import stored_files
from tests.media.videos import ffconcat_script, hls_playlist, make_audio_only, make_video

pytestmark = pytest.mark.django_db


def test_video_upload_gives_mp4_renditions_and_a_poster(
    api: ApiClient, upload, tmp_path: Path
) -> None:
    source = make_video(tmp_path / "clip.mov", container="mov", width=1280, height=720, seconds=1.0,
                        tags={"location": "+48.8584+002.2945/", "make": "Apple"})  # fmt: skip
    response = upload(api, source.read_bytes(), name="clip.mov")
    assert response.status_code == 202
    item = api.get(f"media/{response.json()['id']}").json()
    assert item["status"] == "ready", item["failure_reason"]
    assert item["kind"] == "video"
    assert (item["width"], item["height"]) == (1280, 720)
    assert item["duration"] == pytest.approx(1.0, abs=0.15)
    assert item["has_audio"] is True
    videos = [r for r in item["renditions"] if r["format"] == "mp4"]
    assert [(v["name"], v["width"], v["height"]) for v in videos] == [("720", 1280, 720)]
    posters = {(r["name"], r["format"]) for r in item["renditions"]}
    assert {("poster-1080", "webp"), ("poster-thumb", "jpeg")} <= posters
    record = MediaItem.objects.get(pk=item["id"]).rendition("720", "mp4")
    assert record is not None
    with default_storage.open(record["path"]) as stored:
        data = stored.read()
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"
        assert "location" not in container.metadata
    assert b"+48.8584" not in data
    # The raw upload, location and all, is gone.
    assert not any(b"+48.8584" in p.read_bytes() for p in stored_files(settings.MEDIA_ROOT))


def test_a_filter_on_a_video_changes_its_poster_only(
    api: ApiClient, upload, run_commit_hooks, tmp_path: Path
) -> None:
    source = make_video(tmp_path / "clip.mp4", width=320, height=180, seconds=1.0)
    media_id = upload(api, source.read_bytes(), name="clip.mp4").json()["id"]
    before = MediaItem.objects.get(pk=media_id)
    response = run_commit_hooks(lambda: api.patch(f"media/{media_id}", {"filter": "noir"}))
    assert response.status_code == 200
    after = MediaItem.objects.get(pk=media_id)
    assert after.status == "ready"
    assert after.rendition("720", "mp4") == before.rendition("720", "mp4")
    poster = after.rendition("poster-320", "jpeg")
    assert poster is not None
    with default_storage.open(poster["path"]) as stored:
        r, _g, b = Image.open(stored).convert("RGB").resize((1, 1)).tobytes()
    assert abs(r - b) < 6


def test_audio_only_is_refused(api: ApiClient, upload, tmp_path: Path) -> None:
    memo = make_audio_only(tmp_path / "memo.m4a")
    response = upload(api, memo.read_bytes(), name="memo.mp4")
    assert response.status_code == 415
    assert MediaItem.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("kind", ["hls", "concat"])
def test_playlists_renamed_mp4_are_refused(
    api: ApiClient, upload, tmp_path: Path, kind: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for you")
    text = hls_playlist(f"file:{secret}") if kind == "hls" else ffconcat_script(str(secret))
    response = upload(api, text.encode(), name="video.mp4")
    assert response.status_code == 415
    assert MediaItem.objects.count() == 0


def test_too_long_video_is_a_413(api: ApiClient, upload, tmp_path: Path, settings) -> None:
    settings.GLIMPSE_VIDEO_MAX_SECONDS = 5
    source = make_video(tmp_path / "long.mp4", frame_times=[0.0, 8.0], audio_codec=None)
    response = upload(api, source.read_bytes(), name="long.mp4")
    assert response.status_code == 413
    assert MediaItem.objects.count() == 0
