"""Videos: what is accepted, what is refused and why, and what the renditions look like."""

from __future__ import annotations

import errno
import os
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from glimpse.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from glimpse.media import video_probe as probe_module
from glimpse.media import video_transcode as transcode_module
from glimpse.media.video import (
    VIDEO_CONTAINERS,
    VideoInfo,
    rendition_size,
    video_open,
    video_poster,
    video_probe,
    video_rendition_heights,
    video_transcode,
)
from tests.media.videos import (
    BLUE,
    GREEN,
    RED,
    SOURCE_STREAM_TAGS,
    SOURCE_TAGS,
    WHITE,
    ffconcat_script,
    hls_playlist,
    make_audio_only,
    make_video,
    pdf_bytes,
    truncate,
)


def close_to(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=False))


def corners(image: Image.Image) -> tuple[Any, Any, Any, Any]:
    """Return the colours at the centres of the four quadrants: TL, TR, BL, BR."""
    w, h = image.size
    return tuple(
        image.getpixel(p)
        for p in (
            (w // 4, h // 4),
            (3 * w // 4, h // 4),
            (w // 4, 3 * h // 4),
            (3 * w // 4, 3 * h // 4),
        )
    )  # type: ignore[return-value]


def top_level_boxes(path: Path) -> list[bytes]:
    data, boxes, at = path.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        boxes.append(kind)
        at += size if size else len(data)
    return boxes


# --- what is accepted ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options", "codec", "has_audio"),
    [
        ("clip.mp4", {}, "h264", True),
        ("clip.mov", {"container": "mov"}, "h264", True),
        ("clip.3gp", {"container": "3gp"}, "h264", True),
        ("clip.mkv", {"container": "matroska", "audio_codec": None}, "h264", False),
        (
            "clip.webm",
            {"container": "webm", "video_codec": "libvpx-vp9", "audio_codec": "libopus"},
            "vp9",
            True,
        ),
        (
            "clip.webm",
            {"container": "webm", "video_codec": "libvpx", "audio_codec": None},
            "vp8",
            False,
        ),
    ],
)
def test_probe_reads_each_accepted_kind(
    tmp_path: Path, name: str, options: dict[str, Any], codec: str, has_audio: bool
) -> None:
    info = video_probe(make_video(tmp_path / name, **options))

    assert (info.width, info.height, info.rotation) == (320, 180, 0)
    assert info.video_codec == codec
    assert info.has_audio is has_audio
    assert info.fps == pytest.approx(30, abs=0.1)
    assert info.duration == pytest.approx(1.0, abs=0.05)
    assert info.container in ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm")


def test_the_allow_list_names_only_the_mp4_and_matroska_demuxers() -> None:
    # A misspelt name would silently allow nothing; another demuxer would widen the door.
    demuxers = {
        av.format.ContainerFormat(name, "r").long_name for name in VIDEO_CONTAINERS.split(",")
    }
    assert demuxers == {"QuickTime / MOV", "Matroska / WebM"}


def test_the_name_does_not_matter(tmp_path: Path) -> None:
    path = make_video(tmp_path / "holiday.webm")  # an MP4 with the wrong extension

    assert video_probe(path).container.startswith("mov")


@pytest.mark.parametrize(
    ("rotation", "size"), [(90, (180, 320)), (180, (320, 180)), (270, (180, 320))]
)
def test_probe_applies_the_rotation_to_the_display_size(
    tmp_path: Path, rotation: int, size: tuple[int, int]
) -> None:
    info = video_probe(make_video(tmp_path / "phone.mov", container="mov", rotation=rotation))

    assert info.rotation == rotation
    assert (info.width, info.height) == size
    assert (info.coded_width, info.coded_height) == (320, 180)


def test_probe_accepts_exactly_the_limits(tmp_path: Path) -> None:
    wide = make_video(tmp_path / "wide.mp4", width=4096, height=64, seconds=0.1, audio_codec=None)
    fast = make_video(
        tmp_path / "fast.mp4", width=64, height=64, fps=60, seconds=0.1, audio_codec=None
    )

    assert video_probe(wide).width == 4096
    assert video_probe(fast).fps == 60


# --- limits ----------------------------------------------------------------------------


def test_a_video_over_the_duration_limit_is_refused(tmp_path: Path) -> None:
    # Two frames 181 s apart: a three-minute video in a few kilobytes.
    path = make_video(
        tmp_path / "long.mp4", width=64, height=64, frame_times=[0, 181], audio_codec=None
    )

    with pytest.raises(PayloadTooLarge, match="181 seconds; the limit is 180 seconds") as caught:
        video_probe(path)
    assert caught.value.code == "too_long"
    assert caught.value.status == 413


def test_the_duration_limit_comes_from_settings(tmp_path: Path, settings: Any) -> None:
    settings.GLIMPSE_VIDEO_MAX_SECONDS = 1
    path = make_video(tmp_path / "two.mp4", width=64, height=64, seconds=2, audio_codec=None)

    with pytest.raises(PayloadTooLarge, match="the limit is 1 seconds"):
        video_probe(path)


@pytest.mark.parametrize(("width", "height"), [(4160, 96), (96, 4160)])
def test_a_video_over_the_resolution_limit_is_refused(
    tmp_path: Path, width: int, height: int
) -> None:
    path = make_video(
        tmp_path / "big.mp4", width=width, height=height, seconds=0.07, audio_codec=None
    )

    with pytest.raises(
        PayloadTooLarge, match=f"{width}x{height} pixels; the limit is 4096"
    ) as caught:
        video_probe(path)
    assert caught.value.code == "too_large_dimensions"


def test_a_video_over_the_frame_rate_limit_is_refused(tmp_path: Path) -> None:
    path = make_video(
        tmp_path / "fast.mp4", width=64, height=64, fps=120, seconds=0.05, audio_codec=None
    )

    with pytest.raises(PayloadTooLarge, match="120 frames per second; the limit is 60") as caught:
        video_probe(path)
    assert caught.value.code == "too_high_frame_rate"


def test_an_audio_only_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedMediaType, match="no video stream") as caught:
        video_probe(make_audio_only(tmp_path / "memo.m4a"))
    assert caught.value.code == "unsupported_video"


def test_a_codec_outside_the_allow_list_is_refused(tmp_path: Path) -> None:
    path = make_video(
        tmp_path / "old.mov", container="mov", video_codec="mjpeg", audio_codec=None, seconds=0.1
    )

    with pytest.raises(UnsupportedMediaType, match="mjpeg are not supported"):
        video_probe(path)


# --- damaged and foreign files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("container", "options"),
    [
        ("mp4", {}),  # the index (moov) at the end: the cut loses it
        ("mp4", {"faststart": True}),  # the index first: the cut loses the media it lists
        ("webm", {"video_codec": "libvpx-vp9", "audio_codec": "libopus"}),
    ],
)
def test_a_truncated_video_is_refused_as_corrupt(
    tmp_path: Path, container: str, options: dict[str, Any]
) -> None:
    whole = make_video(tmp_path / f"whole.{container}", container=container, seconds=3, **options)
    cut = truncate(whole, tmp_path / f"cut.{container}", 0.6)

    with pytest.raises(InvalidInput) as caught:
        video_probe(cut)
    assert caught.value.code == "corrupt_video"
    assert caught.value.status == 422


def test_an_empty_file_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")

    with pytest.raises(InvalidInput, match="empty") as caught:
        video_probe(path)
    assert caught.value.code == "corrupt_video"


def test_garbage_behind_an_mp4_header_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + os.urandom(4000))

    with pytest.raises(InvalidInput) as caught:
        video_probe(path)
    assert caught.value.code == "corrupt_video"


@pytest.mark.parametrize(
    "content",
    [
        b"just some text, not a video\n",
        b"<!DOCTYPE html><html><body><video src=x></video></body></html>",
        pdf_bytes(),
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64),  # a JPEG
        b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heic" + bytes(64),  # an iPhone photo
    ],
    ids=["text", "html", "pdf", "jpeg", "heic"],
)
def test_a_file_that_is_not_a_video_is_refused_whatever_its_name(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "video.mp4"
    path.write_bytes(content)

    with pytest.raises(UnsupportedMediaType) as caught:
        video_probe(path)
    assert caught.value.status == 415
    assert caught.value.code == "unsupported_video"


# --- hostile files: playlists and scripts that point elsewhere ------------------------


class Listener:
    """A TCP socket on 127.0.0.1 that accepts, records and hangs up every connection."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.02)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()  # FFmpeg sees EOF at once instead of waiting for an answer

    def close(self) -> int:
        """Wait a moment for late connections, stop, and return how many were made."""
        self.stop.wait(0.1)
        self.stop.set()
        self.thread.join()
        self.server.close()
        return self.connections


class FifoWatch:
    """A FIFO that tells whether anything opened it for reading.

    Opening a FIFO for writing with O_NONBLOCK fails with ENXIO exactly while no reader has
    it open. FFmpeg opens files blocking, so a reader waits inside open() until a writer
    comes: the watcher's next poll finds it, records it, and closes (the reader gets EOF).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO:
                    raise
                self.stop.wait(0.002)
                continue
            self.opened += 1
            os.close(fd)

    def close(self) -> int:
        """Stop watching and return how many times a reader had the FIFO open."""
        self.stop.wait(0.1)
        self.stop.set()
        self.thread.join()
        return self.opened


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[FifoWatch]:
    watch = FifoWatch(tmp_path / "segment.ts")
    yield watch
    watch.close()


HOSTILE = ["hls-file", "hls-http", "concat-file", "concat-http"]
NAMES = ["upload.mp4", "upload.m3u8", "upload"]


def hostile_file(tmp_path: Path, kind: str, name: str, fifo: FifoWatch, listener: Listener) -> Path:
    url = f"http://127.0.0.1:{listener.port}/segment.ts"
    body = {
        "hls-file": hls_playlist(fifo.path.name),
        "hls-http": hls_playlist(url),
        "concat-file": ffconcat_script(fifo.path.name),
        "concat-http": ffconcat_script(url),
    }[kind]
    path = tmp_path / name
    path.write_text(body)
    return path


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_file_is_refused_and_reaches_nothing(
    tmp_path: Path, kind: str, name: str, fifo: FifoWatch, listener: Listener
) -> None:
    path = hostile_file(tmp_path, kind, name, fifo, listener)

    with pytest.raises(UnsupportedMediaType):
        video_probe(path)
    assert listener.close() == 0
    assert fifo.close() == 0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", HOSTILE)
def test_ffmpegs_options_alone_refuse_a_hostile_file(
    tmp_path: Path,
    kind: str,
    name: str,
    fifo: FifoWatch,
    listener: Listener,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Our own first-bytes check stops these files before FFmpeg sees them; switch it off to
    # prove the second wall (the demuxer and protocol allow-lists) holds on its own.
    monkeypatch.setattr(probe_module, "_sniff", lambda path: None)
    path = hostile_file(tmp_path, kind, name, fifo, listener)

    # Refused one way or another: "not on the whitelist", or the MP4 demuxer (chosen by
    # the name alone, as the playlist demuxer is refused) finding no MP4 in it.
    with pytest.raises((UnsupportedMediaType, InvalidInput)):
        video_open(path)
    assert listener.close() == 0
    assert fifo.close() == 0


def test_the_watchers_do_see_an_unsafe_open(
    tmp_path: Path, fifo: FifoWatch, listener: Listener
) -> None:
    # The control: without the allow-lists, FFmpeg does read the FIFO a concat script names,
    # and a playlist read through a file object does connect. So the zeros above mean
    # something.
    script = tmp_path / "script.mp4"
    script.write_text(ffconcat_script(fifo.path.name))
    playlist = tmp_path / "playlist.m3u8"
    playlist.write_text(hls_playlist(f"http://127.0.0.1:{listener.port}/segment.ts"))

    with pytest.raises(av.error.FFmpegError):
        av.open(str(script), timeout=5)
    with pytest.raises(av.error.FFmpegError), playlist.open("rb") as file:
        av.open(file, timeout=5)
    assert fifo.close() > 0
    assert listener.close() > 0


# --- renditions ------------------------------------------------------------------------


def info_of(width: int, height: int) -> VideoInfo:
    return VideoInfo("mov", 1.0, width, height, 30.0, 0, True, "h264")


@pytest.mark.parametrize(
    ("size", "heights"),
    [
        ((1920, 1080), [720, 1080]),
        ((1080, 1920), [720, 1080]),
        ((1280, 720), [720]),
        ((640, 360), [720]),
        ((3840, 2160), [720, 1080]),
        ((722, 1280), [720, 1080]),
    ],
)
def test_rendition_heights(size: tuple[int, int], heights: list[int]) -> None:
    assert video_rendition_heights(info_of(*size)) == heights


@pytest.mark.parametrize(
    ("size", "height", "expected"),
    [
        ((3840, 2160), 1080, (1920, 1080)),
        ((3840, 2160), 720, (1280, 720)),
        ((1080, 1920), 720, (720, 1280)),  # portrait: 720 is the short side
        ((854, 480), 720, (854, 480)),  # never upscaled
        ((4096, 2160), 720, (1366, 720)),  # aspect kept, sides even
        ((641, 361), 720, (640, 360)),  # odd source: even output
        ((900, 900), 1080, (900, 900)),
    ],
)
def test_rendition_size(size: tuple[int, int], height: int, expected: tuple[int, int]) -> None:
    assert rendition_size(info_of(*size), height) == expected


@pytest.fixture(scope="module")
def full_hd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(
        tmp_path_factory.mktemp("src") / "fullhd.mp4", width=1920, height=1080, seconds=0.5
    )


def streams_of(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as out:
        video, audio = out.streams.video[0], out.streams.audio
        first = next(out.decode(video))
        return {
            "format": out.format.name,
            "video": video.codec_context.codec.canonical_name,
            "audio": [a.codec_context.codec.canonical_name for a in audio],
            "size": (video.codec_context.width, video.codec_context.height),
            "pix_fmt": video.codec_context.pix_fmt,
            "duration": (out.duration or 0) / av.time_base,
            "rotation": first.rotation,
            "picture": first.to_image(),
            "metadata": dict(out.metadata),
            "stream_metadata": [dict(s.metadata) for s in out.streams],
        }


@pytest.mark.parametrize(("height", "size"), [(720, (1280, 720)), (1080, (1920, 1080))])
def test_transcode_makes_h264_aac_mp4_at_the_rendition_size(
    tmp_path: Path, full_hd: Path, height: int, size: tuple[int, int]
) -> None:
    target = tmp_path / f"{height}.mp4"

    rendition = video_transcode(full_hd, target, height=height)

    got = streams_of(target)
    assert (rendition.width, rendition.height) == size == got["size"]
    assert got["video"] == "h264"
    assert got["audio"] == ["aac"]
    assert got["pix_fmt"] == "yuv420p"
    assert rendition.duration == pytest.approx(video_probe(full_hd).duration, abs=0.1)
    assert got["duration"] == pytest.approx(rendition.duration, abs=0.01)
    assert rendition.size_bytes == target.stat().st_size
    # moov before mdat: playback starts before the download ends.
    boxes = top_level_boxes(target)
    assert boxes.index(b"moov") < boxes.index(b"mdat")


def test_transcode_never_upscales(tmp_path: Path) -> None:
    source = make_video(
        tmp_path / "small.webm",
        container="webm",
        width=854,
        height=480,
        seconds=0.3,
        video_codec="libvpx-vp9",
        audio_codec=None,
    )

    rendition = video_transcode(source, tmp_path / "720.mp4", height=720)

    assert (rendition.width, rendition.height) == (854, 480)
    assert streams_of(tmp_path / "720.mp4")["audio"] == []  # no audio in, none out


def test_transcode_turns_a_phone_video_upright(tmp_path: Path) -> None:
    source = make_video(tmp_path / "phone.mov", container="mov", rotation=90)

    rendition = video_transcode(source, tmp_path / "720.mp4", height=720)

    got = streams_of(tmp_path / "720.mp4")
    assert (rendition.width, rendition.height) == got["size"] == (180, 320)
    assert got["rotation"] == 0  # the pixels are turned; no player-side rotation left
    # The quadrants as `ffmpeg -i phone.mov` (which applies the rotation) shows them.
    expected = (BLUE, RED, WHITE, GREEN)
    found = corners(got["picture"].convert("RGB"))
    assert all(close_to(c, e) for c, e in zip(found, expected, strict=True)), found


def test_transcode_strips_the_sources_metadata(tmp_path: Path) -> None:
    source = make_video(
        tmp_path / "tagged.mov", container="mov", tags=SOURCE_TAGS, stream_tags=SOURCE_STREAM_TAGS
    )
    assert video_probe(source)  # the source really carries them:
    with av.open(str(source)) as src:
        assert {"location", "com.apple.quicktime.location.ISO6709"} <= set(src.metadata)

    video_transcode(source, tmp_path / "out.mp4", height=720)

    got = streams_of(tmp_path / "out.mp4")
    assert set(got["metadata"]) <= {"major_brand", "minor_version", "compatible_brands", "encoder"}
    for tags in got["stream_metadata"]:
        assert set(tags) <= {"language", "handler_name", "vendor_id"}
        assert tags.get("handler_name") in ("VideoHandler", "SoundHandler")
    data = (tmp_path / "out.mp4").read_bytes()
    for value in [*SOURCE_TAGS.values(), *SOURCE_STREAM_TAGS.values(), "com.apple", "2024-05"]:
        assert value.encode() not in data, value


def test_transcode_twice_gives_a_valid_file_and_leaves_no_temp_file(
    tmp_path: Path, full_hd: Path
) -> None:
    target = tmp_path / "out" / "720.mp4"
    target.parent.mkdir()

    first = video_transcode(full_hd, target, height=720)
    second = video_transcode(full_hd, target, height=720)

    assert first == second
    assert streams_of(target)["size"] == (1280, 720)
    assert os.listdir(target.parent) == ["720.mp4"]


def test_a_failed_transcode_leaves_the_previous_file_and_no_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_video(tmp_path / "clip.mp4", seconds=0.5)
    target = tmp_path / "out" / "720.mp4"
    target.parent.mkdir()
    video_transcode(source, target, height=720)
    before = target.read_bytes()
    real, calls = transcode_module._encode_video, []

    def dies_halfway(*args: Any) -> int:
        calls.append(1)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args)

    monkeypatch.setattr(transcode_module, "_encode_video", dies_halfway)

    with pytest.raises(OSError, match="No space"):
        video_transcode(source, target, height=720)
    assert target.read_bytes() == before
    assert os.listdir(target.parent) == ["720.mp4"]


def test_transcode_refuses_a_corrupt_source_and_writes_nothing(tmp_path: Path) -> None:
    cut = truncate(make_video(tmp_path / "whole.mp4", seconds=2), tmp_path / "cut.mp4", 0.5)
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(InvalidInput):
        video_transcode(cut, out / "720.mp4", height=720)
    assert os.listdir(out) == []


# --- poster ----------------------------------------------------------------------------


def red_then_green(t: float) -> Image.Image:
    return Image.new("RGB", (320, 180), RED if t < 0.9 else GREEN)


def test_poster_is_an_upright_rgb_frame(tmp_path: Path) -> None:
    poster = video_poster(make_video(tmp_path / "phone.mov", container="mov", rotation=90))

    assert poster.mode == "RGB"
    assert poster.size == (180, 320)
    found = corners(poster)
    assert all(close_to(c, e) for c, e in zip(found, (BLUE, RED, WHITE, GREEN), strict=True))


def test_poster_is_taken_about_one_second_in(tmp_path: Path) -> None:
    poster = video_poster(make_video(tmp_path / "clip.mp4", seconds=2, picture=red_then_green))

    assert close_to(poster.getpixel((160, 90)), GREEN)  # type: ignore[arg-type]


def test_poster_of_a_short_clip_is_its_first_frame(tmp_path: Path) -> None:
    def green_later(t: float) -> Image.Image:
        return Image.new("RGB", (320, 180), RED if t < 0.1 else GREEN)

    poster = video_poster(make_video(tmp_path / "short.mp4", seconds=0.5, picture=green_later))

    assert close_to(poster.getpixel((160, 90)), RED)  # type: ignore[arg-type]
