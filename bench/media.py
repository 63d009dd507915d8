"""The media pipeline's benchmark: photos, videos and filter previews against baselines."""

from __future__ import annotations

from bench import media_filters, media_photos, media_video
from bench.harness import Result, report


def run() -> list[Result]:
    """Run the photo, video and filter-preview cases and record them together."""
    results = [*media_photos.cases(), *media_video.cases(), *media_filters.cases()]
    report(results, suite="media")
    return results
