"""Reels: what a post must be to be published as one, and counting who played it."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.media.models import MediaItem
from glimpse.posts.models import Post, ReelView
from glimpse.posts.services.common import count_add, insert_once, visible_post
from glimpse.posts.services.specs import Problems

MISSING_REEL = "No reel with this id."
# The tallest shape a Reel may have: 9:16, less what rounding to even sides costs
# (a 406x720 rendition is 0.564, a 1080x1928 phone file 0.560).
TALLEST_RATIO = 9 / 16 * 0.98
# As the video limit does: phones stop a 180-second recording at 180.03 s.
DURATION_TOLERANCE = 0.5


def reel_media_check(*, owner: User, media_ids: Sequence[int], problems: Problems) -> None:
    """Check that the media of a post to publish as a Reel make one: a single video of at
    most GLIMPSE_REEL_MAX_SECONDS, no taller than 9:16 (square and landscape are fine).

    An item that is not the owner's is left to the publishing itself, which answers 404.
    """
    if len(media_ids) != 1:
        problems.add("media_ids", "A Reel is one video.")
        return
    item = MediaItem.objects.filter(owner=owner, pk=media_ids[0]).first()
    if item is None:
        return
    if item.kind != MediaItem.Kind.VIDEO:
        problems.add("media_ids", "A Reel is a video, not a photo.")
        return
    most = settings.GLIMPSE_REEL_MAX_SECONDS
    if item.duration is not None and item.duration > most + DURATION_TOLERANCE:
        problems.add(
            "media_ids",
            f"A Reel lasts at most {most} seconds; this video lasts {round(item.duration)}.",
        )
    if item.width and item.height and item.width / item.height < TALLEST_RATIO:
        problems.add(
            "media_ids",
            f"A Reel is at most as tall as 9:16; this video is {item.width}x{item.height}.",
        )


def reel_view_record(*, viewer: User, post_id: int) -> int:
    """Count the viewer's play of a Reel once, whatever its replays; return its view count.

    The author's own plays are not counted. A reel the viewer may not see, and a post that
    is not a reel, answer NotFound and change nothing.
    """
    with transaction.atomic():
        post = visible_post(viewer, post_id)
        if not post.is_reel:
            raise NotFound(MISSING_REEL)
        if post.author_id == viewer.pk or not insert_once(ReelView(post=post, viewer=viewer)):
            return post.view_count
        count_add(Post.objects.filter(pk=post.pk), "view_count", +1)
    return post.view_count + 1
