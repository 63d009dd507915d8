"""Real video files for tests, made with PyAV: small and fast, with real headers.

Over-limit files are made cheaply: a few tiny frames whose timestamps, frame rate or
dimensions are what the limit looks at, so no test ever encodes a long or 4K video.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)

# Tags a phone or an editor leaves in a file; none may survive into a rendition.
SOURCE_TAGS = {
    "title": "secret title",
    "comment": "shot at home",
    "location": "+48.8584+002.2945/",
    "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": "iPhone 15 Pro",
    "creation_time": "2024-05-01T10:20:30.000000Z",
}
SOURCE_STREAM_TAGS = {"handler_name": "Core Media Video", "creation_time": "2024-05-01T10:20:30Z"}


def quadrants(width: int, height: int) -> Image.Image:
    """Return a picture with red, green, blue and white quadrants (top-left, clockwise)."""
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    half_w, half_h = width // 2, height // 2
    draw.rectangle((0, 0, half_w - 1, half_h - 1), fill=RED)
    draw.rectangle((half_w, 0, width - 1, half_h - 1), fill=GREEN)
    draw.rectangle((0, half_h, half_w - 1, height - 1), fill=BLUE)
    return image


def make_video(
    path: Path,
    *,
    container: str = "mp4",
    width: int = 320,
    height: int = 180,
    seconds: float = 1.0,
    fps: int = 30,
    video_codec: str = "libx264",
    audio_codec: str | None = "aac",
    rotation: int = 0,
    tags: dict[str, str] | None = None,
    stream_tags: dict[str, str] | None = None,
    faststart: bool = False,
    frame_times: list[float] | None = None,
    picture: Callable[[float], Image.Image] | None = None,
) -> Path:
    """Write a video of coloured quadrants (and a tone) and return its path.

    ``rotation`` is the clockwise turn a player applies (a phone held upright records
    landscape frames with rotation 90). ``frame_times`` places a few frames at exact
    times instead of ``seconds * fps`` regular ones: two frames 200 s apart make a
    200-second video in a few kilobytes. ``picture(t)`` draws the frame at ``t`` seconds.
    """
    options = {}
    if container in ("mp4", "mov", "3gp", "3g2", "ipod"):
        # Write every tag, Apple's com.apple.quicktime.* keys included, as an iPhone does.
        options = {"movflags": "+use_metadata_tags" + ("+faststart" if faststart else "")}
    with av.open(str(path), "w", format=container, options=options) as out:
        out.metadata.update(tags or {})
        video = out.add_stream(video_codec, rate=fps)
        assert isinstance(video, av.VideoStream)
        video.width, video.height = width, height
        video.pix_fmt = "yuvj420p" if video_codec == "mjpeg" else "yuv420p"
        video.metadata.update(stream_tags or {})
        if video_codec == "libx264":
            video.options = {"preset": "ultrafast"}
        elif video_codec.startswith("libvpx"):
            video.options = {"deadline": "realtime", "cpu-used": "8"}
        if rotation:
            video.set_display_rotation(-rotation)  # PyAV takes counter-clockwise degrees
        times = frame_times
        if times is not None:
            video.codec_context.time_base = Fraction(1, 1000)
        else:
            times = [i / fps for i in range(max(1, round(seconds * fps)))]
        audio = out.add_stream(audio_codec, rate=48000) if audio_codec else None
        if audio is not None:
            assert isinstance(audio, av.AudioStream)
            audio.layout = "stereo"
        still = quadrants(width, height)
        for t in times:
            frame = av.VideoFrame.from_image(picture(t) if picture else still)
            frame.pts = round(t * 1000) if frame_times is not None else round(t * fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if audio is not None:
            _write_tone(out, audio, times[-1] + 1 / fps)
    return path


def make_audio_only(path: Path, *, seconds: float = 1.0) -> Path:
    """Write an AAC-only M4A (what a voice memo looks like)."""
    with av.open(str(path), "w", format="ipod") as out:
        audio = out.add_stream("aac", rate=48000)
        audio.layout = "stereo"
        _write_tone(out, audio, seconds)
    return path


def _write_tone(out: av.container.OutputContainer, audio: av.AudioStream, seconds: float) -> None:
    rate = 48000
    chunk = audio.codec_context.frame_size or 960
    total = round(seconds * rate)
    for start in range(0, total, chunk):
        frame = av.AudioFrame(format="s16", layout="stereo", samples=chunk)
        samples = (
            int(6000 * math.sin(2 * math.pi * 440 * (start + i) / rate)) for i in range(chunk)
        )
        frame.planes[0].update(b"".join(struct.pack("<hh", s, s) for s in samples))
        frame.sample_rate, frame.pts = rate, start
        out.mux(audio.encode(frame))
    out.mux(audio.encode(None))


def truncate(source: Path, target: Path, fraction: float) -> Path:
    """Write the first ``fraction`` of ``source`` to ``target`` (an interrupted upload)."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def hls_playlist(segment_url: str) -> str:
    """Return an HLS playlist whose one segment is ``segment_url``."""
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
        f"#EXTINF:10.0,\n{segment_url}\n#EXT-X-ENDLIST\n"
    )


def ffconcat_script(target: str) -> str:
    """Return an FFmpeg concat script that reads ``target``."""
    return f"ffconcat version 1.0\nfile '{target}'\n"


def pdf_bytes() -> bytes:
    """Return a minimal one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
