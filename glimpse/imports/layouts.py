"""Tell an archive's layout by the documents it holds (never by fixed paths), and read it.

Glimpse's own archive is recognised by its ``profile.json`` and ``posts.json``; Instagram's
by its ``posts_N.json``, ``stories.json`` or ``personal_information.json`` wherever they sit
(the older layout under ``content/``, the newer under ``your_instagram_activity/``).
"""

from __future__ import annotations

from glimpse.imports import glimpse_data, instagram
from glimpse.imports.contents import Contents, Problem
from glimpse.imports.zipreader import ArchiveRefused, SafeZip

NO_LAYOUT = (
    "This archive is neither Instagram's \u201cDownload your information\u201d (JSON format) "
    "nor Glimpse's \u201cDownload your data\u201d. Upload the zip file as you received it."
)


def contents_read(archive: SafeZip) -> Contents:
    """Read an archive's documents by their layout; refuse one of no known layout."""
    names = archive.names()
    if glimpse_data.recognised(names):
        contents = glimpse_data.read(archive)
    elif instagram.recognised(names):
        contents = instagram.read(archive)
    else:
        raise ArchiveRefused(NO_LAYOUT, code="unknown_layout")
    contents.problems[:0] = [
        Problem(item=name, reason="A file name that leaves the archive was ignored.")
        for name in archive.refused
    ]
    contents.posts.sort(key=lambda post: post.created_at)
    contents.stories.sort(key=lambda story: story.created_at)
    return contents
