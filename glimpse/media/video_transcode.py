"""Make the served renditions of a video (H.264/AAC MP4) and its poster frame."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
import av.filter
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from django.conf import settings
from PIL import Image

from glimpse.core.errors import PayloadTooLarge
from glimpse.media.video_probe import (
    VideoInfo,
    corrupt,
    open_options,
    video_open,
    video_probe,
)

RENDITION_HEIGHTS = (720, 1080)

# libx264 settings, chosen by measuring (docs/video.md): "veryfast" costs under half the
# CPU of "medium" for almost the same SSIM at CRF 23, x264's own default quality.
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}
AAC_BIT_RATE = 128_000
# Sample rates the AAC encoder takes as they are; anything else is resampled to 48 kHz.
_AAC_RATES = frozenset({8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000})
_POSTER_SECONDS = 1.0
# Pillow's ROTATE_n turns counter-clockwise; VideoInfo.rotation is clockwise.
_TURNS = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class VideoRendition:
    height: int
    width: int
    duration: float
    size_bytes: int


def video_rendition_heights(info: VideoInfo) -> list[int]:
    """Return the renditions to make: 720p always, 1080p when the short side is over 720."""
    return [h for h in RENDITION_HEIGHTS if h == RENDITION_HEIGHTS[0] or info.short_side > 720]


def rendition_size(info: VideoInfo, height: int) -> tuple[int, int]:
    """Return the upright (width, height) of the ``height``p rendition of a video.

    ``height`` is the short side, so a portrait 720p rendition is 720 wide; a video is
    never upscaled (a 480p source keeps 480), and both sides are even, as yuv420p needs.
    """
    short = max(2, min(height, info.short_side) // 2 * 2)
    long = max(2, round(short * max(info.width, info.height) / info.short_side / 2) * 2)
    return (long, short) if info.width >= info.height else (short, long)


def video_transcode(source: Path, target: Path, *, height: int) -> VideoRendition:
    """Write the ``height``p H.264/AAC MP4 rendition of ``source`` to ``target``, atomically."""
    info = video_probe(source)  # the limits hold however the job was reached
    width, out_height = rendition_size(info, height)
    # A temp name next to the target, then a rename: a reader sees the old file or the
    # whole new one, and a failure leaves nothing behind. Random, so two runs never share.
    partial = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        with video_open(source) as src, _output(partial) as out:
            _transcode(src, out, info, width, out_height)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        duration = _duration_of(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return VideoRendition(
        height=out_height, width=width, duration=duration, size_bytes=target.stat().st_size
    )


def video_poster(source: Path) -> Image.Image:
    """Return an upright RGB frame of the video, about 1 s in (the first for short clips)."""
    info = video_probe(source)
    at = _POSTER_SECONDS if info.duration > _POSTER_SECONDS else 0.0
    with video_open(source) as src:
        stream = _first_video(src)
        _limit_decoder(stream)
        start = (src.start_time or 0) / av.time_base
        chosen: VideoFrame | None = None
        if at:
            src.seek(int((start + at) * av.time_base), backward=True)
        try:
            for frame in src.decode(stream):
                chosen = frame
                if frame.time is None or frame.time - start >= at - 0.02:
                    break
        except av.error.InvalidDataError as error:
            if chosen is None:
                raise corrupt() from error
        if chosen is None:
            raise corrupt()
        image = chosen.to_image()  # RGB
    # Non-square pixels first (in the coded orientation), then the turn a player applies.
    coded_display = (
        (info.height, info.width) if info.rotation in (90, 270) else (info.width, info.height)
    )
    if image.size != coded_display:
        image = image.resize(coded_display, Image.Resampling.BICUBIC)
    return image.transpose(_TURNS[info.rotation]) if info.rotation else image


def _output(path: Path) -> OutputContainer:
    # "faststart" moves the index (moov) before the media so playback starts before the
    # download ends. Nothing from the source's tags is ever set on the output.
    return av.open(
        "file:" + os.fspath(path.resolve()), "w", format="mp4", options={"movflags": "+faststart"}
    )


def _first_video(container: InputContainer) -> VideoStream:
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    raise corrupt()


def _limit_decoder(stream: VideoStream) -> None:
    # The probe checked the header; a stream that changes size midway is held to the limit
    # by the decoder itself, which then refuses to allocate the frame.
    stream.codec_context.options = {"max_pixels": open_options()["max_pixels"]}


def _transcode(
    src: InputContainer, out: OutputContainer, info: VideoInfo, width: int, height: int
) -> None:
    vin = _first_video(src)
    _limit_decoder(vin)
    # Frame and slice threads for the decoder (PyAV's default is slice threads only).
    vin.codec_context.thread_type = "AUTO"
    ain = next((s for s in src.streams.audio if s.codec_context is not None), None)

    vout = out.add_stream("libx264", rate=vin.average_rate or vin.guessed_rate or 30)
    vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
    vout.codec_context.time_base = vin.time_base or Fraction(1, 90_000)
    vout.options = dict(X264_OPTIONS)
    # PyAV defaults to slice threads, which makes x264 cut every frame into slices (worse
    # compression, less parallel); "AUTO" gives x264 its frame threads, as ffmpeg does.
    vout.codec_context.thread_type = "AUTO"
    aout = _audio_output(out, ain) if ain is not None else None

    # Timestamps start at zero, as the ffmpeg command line does without -copyts.
    start = (src.start_time or 0) / av.time_base
    limit = settings.GLIMPSE_VIDEO_MAX_SECONDS + 2
    scaler = _Scaler(width, height, info.rotation)
    last_pts = None
    streams = [vin] if ain is None else [vin, ain]
    try:
        for packet in src.demux(streams):
            for frame in packet.decode():
                if isinstance(frame, av.AudioFrame) and aout is not None:
                    if frame.pts is not None and frame.time_base is not None:
                        frame.pts -= round(start / frame.time_base)
                    out.mux(aout.encode(frame))
                elif isinstance(frame, VideoFrame):
                    for scaled in scaler.run(frame):
                        last_pts = _encode_video(out, vout, scaled, start, last_pts, limit)
        for scaled in scaler.run(None):
            last_pts = _encode_video(out, vout, scaled, start, last_pts, limit)
    except av.error.InvalidDataError as error:
        raise corrupt() from error
    if last_pts is None:
        raise corrupt()
    out.mux(vout.encode(None))
    if aout is not None:
        out.mux(aout.encode(None))


def _encode_video(
    out: OutputContainer,
    vout: VideoStream,
    frame: VideoFrame,
    start: float,
    last_pts: int | None,
    limit: float,
) -> int:
    time_base: Fraction = frame.time_base or vout.codec_context.time_base or Fraction(1, 1000)
    pts = (frame.pts or 0) - round(start / time_base)
    if last_pts is not None and pts <= last_pts:
        pts = last_pts + 1  # x264 and the MP4 muxer need strictly increasing timestamps
    if pts * time_base > limit:  # a header that lied about the duration
        raise PayloadTooLarge(
            "The video is longer than its header says, and over the limit.", code="too_long"
        )
    frame.pts = pts
    out.mux(vout.encode(frame))
    return pts


def _audio_output(out: OutputContainer, ain: AudioStream) -> AudioStream:
    rate = ain.codec_context.sample_rate
    aout = out.add_stream("aac", rate=rate if rate in _AAC_RATES else 48000)
    aout.layout = "mono" if ain.codec_context.layout.nb_channels == 1 else "stereo"
    aout.bit_rate = AAC_BIT_RATE
    return aout


class _Scaler:
    """Scale, turn upright and convert frames to yuv420p through one FFmpeg filter graph.

    The graph is rebuilt when the input changes size or format mid-stream (browsers and
    video calls adapt their resolution); the output size never changes.
    """

    def __init__(self, width: int, height: int, rotation: int) -> None:
        self.rotation = rotation
        # Scale in the coded orientation, then turn: turning the small frame is cheaper.
        self.coded_size = (height, width) if rotation in (90, 270) else (width, height)
        self.graph: av.filter.Graph | None = None
        self.key: tuple[int, int, str] | None = None

    def run(self, frame: VideoFrame | None) -> Iterator[VideoFrame]:
        """Push a frame (None at the end) and yield the frames the graph has ready."""
        key = None if frame is None else (frame.width, frame.height, frame.format.name)
        if self.graph is not None and (frame is None or key != self.key):
            self.graph.vpush(None)  # flush what the old graph holds
            yield from self._pull()
            self.graph = None
        if frame is None:
            return
        if self.graph is None:
            self.graph, self.key = self._build(frame), key
        self.graph.vpush(frame)
        yield from self._pull()

    def _pull(self) -> Iterator[VideoFrame]:
        assert self.graph is not None
        while True:
            try:
                yield self.graph.vpull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return

    def _build(self, frame: VideoFrame) -> av.filter.Graph:
        graph = av.filter.Graph()
        nodes = [
            graph.add_buffer(
                width=frame.width,
                height=frame.height,
                format=frame.format,
                time_base=frame.time_base or Fraction(1, 1000),
            ),
            graph.add("scale", f"{self.coded_size[0]}:{self.coded_size[1]}"),
        ]
        if self.rotation == 90:
            nodes.append(graph.add("transpose", "clock"))
        elif self.rotation == 270:
            nodes.append(graph.add("transpose", "cclock"))
        elif self.rotation == 180:
            nodes += [graph.add("hflip"), graph.add("vflip")]
        nodes += [graph.add("format", "yuv420p"), graph.add("setsar", "1"), graph.add("buffersink")]
        graph.link_nodes(*nodes).configure()
        return graph


def _duration_of(path: Path) -> float:
    # Our own fresh output, but opened the safe way all the same.
    with av.open("file:" + os.fspath(path.resolve()), "r", options=open_options()) as out:
        return round((out.duration or 0) / av.time_base, 3)
