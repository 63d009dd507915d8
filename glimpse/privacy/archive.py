"""Write an account's data archive: a zip streamed to a temporary file, never held in memory."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO

import orjson
from django.core.files.storage import default_storage

from glimpse.accounts.models import User
from glimpse.privacy.archive_data import archive_contents

CHUNK = 1024 * 1024
# Share of the progress bar the JSON documents take; the files fill the rest.
DOCUMENTS_SHARE = 10

Progress = Callable[[int], None]

README = """Your Glimpse data
=================

profile.json     your profile as it was when this archive was made
posts.json       your posts: captions, hashtags, place, dates, and each photo or video with
                 its filter settings and alt text; "file" names its original under media/
comments.json    the comments you wrote
likes.json       the posts you liked
saves.json       the posts you saved
followers.json   the accounts that follow you
following.json   the accounts you follow
stories.json     your stories, with their originals under media/stories/
highlights.json  your highlights and the stories in them
messages.json    your conversations (kind, group name, the other members) and the messages
                 you sent: text, what you shared, replies, dates, and your photos and videos
                 under media/messages/ (the others' messages are theirs, not in here)
push_devices.json  the browsers that get your push notifications: their name, their push
                 service, since when and when one last arrived
"""


def archive_write(*, user: User, target: IO[bytes], progress: Progress) -> None:
    """Write the account's archive as a zip into ``target``, reporting progress (0 to 99)."""
    contents = archive_contents(user=user)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for name, document in contents.documents.items():
            archive.writestr(name, orjson.dumps(document, option=orjson.OPT_INDENT_2))
        progress(DOCUMENTS_SHARE)
        total = len(contents.files)
        for done, (name, source) in enumerate(sorted(contents.files.items()), start=1):
            # Photos and videos are compressed already: stored as they are, copied in chunks.
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_STORED
            with (
                default_storage.open(source, "rb") as src,
                archive.open(info, "w", force_zip64=True) as dst,
            ):
                shutil.copyfileobj(src, dst, CHUNK)
            progress(DOCUMENTS_SHARE + (99 - DOCUMENTS_SHARE) * done // total)


def archive_temporary() -> IO[bytes]:
    """Return a temporary file on disk for an archive in the making (deleted on close)."""
    return tempfile.TemporaryFile(prefix="glimpse-export-")
