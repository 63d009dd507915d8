"""Videos: safe opening, probing against the limits, renditions and poster frames.

The one module the rest of Glimpse imports for video; the work is split between
``video_probe`` (opening and checking an upload) and ``video_transcode`` (writing files).
"""

from __future__ import annotations

from glimpse.media.video_probe import VIDEO_CONTAINERS, VideoInfo, video_open, video_probe
from glimpse.media.video_transcode import (
    VideoRendition,
    rendition_size,
    video_poster,
    video_rendition_heights,
    video_transcode,
)

__all__ = [
    "VIDEO_CONTAINERS",
    "VideoInfo",
    "VideoRendition",
    "rendition_size",
    "video_open",
    "video_poster",
    "video_probe",
    "video_rendition_heights",
    "video_transcode",
]
