"""Open an uploaded video safely and read what it is, refusing anything over the limits.

FFmpeg can do far more than read a file: a playlist (HLS, DASH), a concat script or an
image sequence makes it open other files or connect to other hosts, whatever the upload is
named. So an upload is only ever opened by :func:`video_open`, which checks the first bytes
ourselves, then lets FFmpeg pick a demuxer among the allow-list only, reading through the
``file`` protocol only. See docs/video.md for what each option blocks and how it is tested.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import av
import av.error
from av.container import InputContainer
from av.stream import Stream
from av.video.stream import VideoStream
from django.conf import settings

from glimpse.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

# Demuxer allow-list, in FFmpeg's names. FFmpeg compares each name here with the names of
# the demuxer it detected ("mov,mp4,m4a,3gp,3g2,mj2" and "matroska,webm"), so these are
# exactly the two demuxers that read MP4/MOV and Matroska/WebM; every other one (hls,
# dash, concat, image2, tty, ...) is refused before it reads a byte past the probe.
VIDEO_CONTAINERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm"

# Decoders we let near an upload: what phones, cameras, browsers and editors record.
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "prores"})

# ISO base media (MP4, MOV, 3GP) starts with one of these boxes; QuickTime files from old
# cameras may start with a free/wide/mdat box rather than ftyp.
_ISO_BOXES = frozenset({b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"})
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska and WebM
# HEIF/AVIF still images share the ISO box layout: they are photos, not videos.
_IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)

_DURATION_SLACK = 0.5  # seconds over the limit still accepted: phones stop at 180.03 s
_TAIL_SECONDS = 3.0  # how much of the end the truncation check reads (packets, not frames)

# Error codes, next to the photo pipeline's "unsupported_image" and "corrupt_image".
UNSUPPORTED = "unsupported_video"
NOT_A_VIDEO = "This file is not a supported video. Upload an MP4, MOV or WebM video."
CORRUPT = "The video could not be read: the file is damaged or incomplete."
INCOMPLETE = "The video is incomplete: the file ends before the video does."


@dataclass(frozen=True)
class VideoInfo:
    container: str  # FFmpeg's demuxer name
    duration: float  # seconds
    width: int  # display size, after the rotation and the pixel aspect ratio
    height: int
    fps: float
    rotation: int  # clockwise degrees a player turns the coded picture: 0, 90, 180, 270
    has_audio: bool
    video_codec: str
    coded_width: int = 0  # the size of the decoded frames, before rotation and aspect
    coded_height: int = 0

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


def open_options() -> dict[str, str]:
    """Return the FFmpeg options every upload is opened with."""
    side = settings.GLIMPSE_VIDEO_MAX_SIDE
    return {
        "format_whitelist": VIDEO_CONTAINERS,
        "protocol_whitelist": "file",
        # MOV data references may name other files; FFmpeg ignores them by default, and
        # pinning it here keeps a changed default from reopening that door.
        "enable_drefs": "0",
        # Reading stream parameters costs per stream; phones write 2 to 5.
        "max_streams": "32",
        # A codec option, applied by FFmpeg while it reads the stream parameters: a frame
        # over the limit is never allocated, not even for the few frames the probe decodes.
        "max_pixels": str((side + 64) * (side + 64)),
    }


def corrupt(message: str = CORRUPT) -> InvalidInput:
    """Return the error for a video that looks like one but cannot be read."""
    return InvalidInput(message, code="corrupt_video")


def video_open(path: Path) -> InputContainer:
    """Open an uploaded video by path, reading only allowed containers from the local file."""
    _sniff(path)
    try:
        # "file:" keeps a name like "http:x.mp4" or "concat:a|b" from choosing a protocol.
        return av.open("file:" + os.fspath(path.resolve()), "r", options=open_options())
    except av.error.ArgumentError as error:  # "Format ... not on whitelist"
        raise UnsupportedMediaType(NOT_A_VIDEO, code=UNSUPPORTED) from error
    except (av.error.FFmpegError, UnicodeDecodeError) as error:
        # The first bytes said MP4/MOV/Matroska, so a failure past them is damage.
        raise corrupt() from error


def video_probe(path: Path) -> VideoInfo:
    """Read an upload's headers, check the video limits, and describe the video."""
    with video_open(path) as container:
        stream = _video_stream(container)
        codec = stream.codec_context.codec.canonical_name
        if codec not in VIDEO_CODECS:
            raise UnsupportedMediaType(
                f"Videos encoded with {codec} are not supported; use H.264, HEVC, VP8, VP9 or AV1.",
                code=UNSUPPORTED,
            )
        coded_w, coded_h = stream.codec_context.width, stream.codec_context.height
        if coded_w <= 0 or coded_h <= 0:
            raise corrupt()
        _check_side(coded_w, coded_h)
        fps = float(stream.average_rate or stream.guessed_rate or 0)
        _check_fps(fps)
        header_duration = _header_duration(container)
        if header_duration is not None:
            _check_duration(header_duration)
        rotation = _first_frame_rotation(container, stream)
        measured = _measured_end(container, stream, header_duration)
        _check_duration(measured)
        width, height = _display_size(stream, coded_w, coded_h, rotation)
        return VideoInfo(
            container=container.format.name,
            duration=round(header_duration or measured, 3),
            width=width,
            height=height,
            fps=round(fps, 3),
            rotation=rotation,
            has_audio=any(s.codec_context is not None for s in container.streams.audio),
            video_codec=codec,
            coded_width=coded_w,
            coded_height=coded_h,
        )


def _sniff(path: Path) -> None:
    """Refuse a file whose first bytes are not MP4/MOV or Matroska/WebM."""
    with path.open("rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # a FIFO is never an upload
            raise UnsupportedMediaType(NOT_A_VIDEO, code=UNSUPPORTED)
        head = file.read(16)
    if not head:
        raise corrupt("The file is empty.")
    if head.startswith(_EBML_MAGIC):
        return
    if len(head) >= 12 and head[4:8] in _ISO_BOXES:
        if head[4:8] == b"ftyp" and head[8:12] in _IMAGE_BRANDS:
            raise UnsupportedMediaType(
                "This is a still image (HEIF/AVIF), not a video.", code=UNSUPPORTED
            )
        return
    raise UnsupportedMediaType(NOT_A_VIDEO, code=UNSUPPORTED)


def _video_stream(container: InputContainer) -> VideoStream:
    for stream in container.streams.video:
        # Cover art in an M4A is a "video" stream of one picture: not a video.
        if stream.disposition & av.stream.Disposition.attached_pic:
            continue
        if stream.codec_context is not None:
            return stream
    raise UnsupportedMediaType(
        "This file has no video stream; audio-only files are refused.", code=UNSUPPORTED
    )


def _check_side(width: int, height: int) -> None:
    limit = settings.GLIMPSE_VIDEO_MAX_SIDE
    if max(width, height) > limit:
        raise PayloadTooLarge(
            f"The video is {width}x{height} pixels; the limit is {limit} pixels on the long side.",
            code="too_large_dimensions",
        )


def _check_fps(fps: float) -> None:
    limit = settings.GLIMPSE_VIDEO_MAX_FPS
    if round(fps) > limit:  # 59.94 and 60.02 are both "60"
        raise PayloadTooLarge(
            f"The video has {fps:.0f} frames per second; the limit is {limit}.",
            code="too_high_frame_rate",
        )


def _check_duration(seconds: float) -> None:
    limit = settings.GLIMPSE_VIDEO_MAX_SECONDS
    if seconds > limit + _DURATION_SLACK:
        raise PayloadTooLarge(
            f"The video lasts {seconds:.0f} seconds; the limit is {limit} seconds.",
            code="too_long",
        )


def _header_duration(container: InputContainer) -> float | None:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    return None


def _first_frame_rotation(container: InputContainer, stream: VideoStream) -> int:
    """Decode the first frame: it proves the stream decodes, and carries the rotation."""
    try:
        for frame in container.decode(stream):
            # FFmpeg's angle is counter-clockwise; a player turns the picture clockwise.
            return (-round(frame.rotation / 90) * 90) % 360
    except (av.error.FFmpegError, ValueError) as error:
        raise corrupt() from error
    raise corrupt()


def _measured_end(
    container: InputContainer, stream: VideoStream, header_duration: float | None
) -> float:
    """Return where the video's packets really end, reading only the tail when we can.

    A truncated upload keeps a header that promises the whole duration, so the packets of
    the last seconds of every stream are read (not decoded) and each stream must reach
    the duration its header states. A header without a duration (a browser recording) is
    measured from all its packets instead.
    """
    streams = [stream, *(s for s in container.streams.audio if s.codec_context is not None)]
    start = (container.start_time or 0) / av.time_base
    promised = {s.index: _stream_duration(s) for s in streams}
    expected = promised[stream.index] or header_duration
    ends: dict[int, float] = {}
    try:
        if expected is not None:
            seek_to = max(0.0, start + expected - _TAIL_SECONDS)
            container.seek(int(seek_to * av.time_base), backward=True)
        else:
            container.seek(0, backward=True)
        for packet in container.demux(streams):
            if packet.size == 0:
                continue  # the empty packet PyAV yields at the end of the file
            if packet.is_corrupt:  # FFmpeg marks a packet the file ends in the middle of
                raise corrupt(INCOMPLETE)
            pts = packet.pts if packet.pts is not None else packet.dts
            if pts is not None and packet.time_base is not None:
                end = float((pts + (packet.duration or 0)) * packet.time_base) - start
                ends[packet.stream.index] = max(end, ends.get(packet.stream.index, end))
    except (av.error.FFmpegError, ValueError) as error:
        raise corrupt() from error
    if stream.index not in ends:
        raise corrupt()
    for index, duration in promised.items():
        # Each stream against its own duration; the container's duration is the longest
        # stream's, so the video alone may legitimately stop a little before it.
        slack, wanted = (0.5, duration) if duration else (1.5, header_duration)
        if index == stream.index and wanted is not None and ends[index] < wanted - slack:
            raise corrupt(INCOMPLETE)
        if index != stream.index and duration and ends.get(index, 0.0) < duration - slack:
            raise corrupt(INCOMPLETE)
    return ends[stream.index]


_MKV_DURATION = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


def _stream_duration(stream: Stream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    # The Matroska muxer writes each track's duration as a tag instead.
    match = _MKV_DURATION.match(stream.metadata.get("DURATION", ""))
    if match:
        hours, minutes, seconds = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    return None


def _display_size(stream: VideoStream, width: int, height: int, rotation: int) -> tuple[int, int]:
    sar = stream.sample_aspect_ratio
    if sar and sar > 0 and sar != 1:
        width = round(width * sar)
    return (height, width) if rotation in (90, 270) else (width, height)
