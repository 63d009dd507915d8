"""Lasting addresses for the media of posts anyone may see, as Notes name them.

Storage URLs are signed and expire (``GLIMPSE_MEDIA_URL_SECONDS``), but other servers fetch
an attachment when they please, sometimes long after the Note arrived. A Note therefore
names ``/federation/media/<media id>/<rendition>.<ext>``, which answers a short-lived
redirect to a freshly signed URL of that rendition, as long as the post is one the public
may see (the posts' one visibility policy, with no viewer); otherwise it is a 404, like a
media id that does not exist. Only the public renditions in the formats Notes name (JPEG
pictures, MP4 videos) are served, never the private original or the unfiltered base.
"""

from __future__ import annotations

from django.urls import reverse

from glimpse.core.errors import NotFound
from glimpse.core.site import absolute_url
from glimpse.media.presenters import MediaView
from glimpse.media.selectors import Rendition
from glimpse.posts.models import PostItem
from glimpse.posts.shown import post_shown

# Pixelfed refuses an attachment wider or taller than this; the largest below it is sent.
MAX_SIDE = 5000
EXTENSIONS = {"jpeg": "jpg", "mp4": "mp4"}
_FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}
_PREVIEWS = ("thumb", "poster-thumb")  # squares cut from the middle: never the picture itself
MISSING_MEDIA = "No media file with this address."


def federated_rendition(media: MediaView, *, poster: bool = False) -> Rendition | None:
    """Return the rendition a Note names for an item: the largest JPEG picture (a video's
    largest MP4, or with ``poster`` its poster's JPEG) no larger than ``MAX_SIDE``."""
    fmt = "mp4" if media.is_video and not poster else "jpeg"
    prefix = "poster-" if media.is_video and poster else ""
    fitting = [
        r
        for r in media.renditions
        if r["format"] == fmt
        and r["name"].startswith(prefix)
        and r["name"] not in _PREVIEWS
        and max(r["width"], r["height"]) <= MAX_SIDE
    ]
    return max(fitting, key=lambda r: r["width"] * r["height"], default=None)


def rendition_url(media_id: int, rendition: Rendition) -> str:
    """Return the lasting absolute address of a rendition of a posted media item."""
    path = reverse(
        "federation:media",
        kwargs={
            "media_id": media_id,
            "name": rendition["name"],
            "ext": EXTENSIONS[rendition["format"]],
        },
    )
    return absolute_url(path)


def public_rendition(*, media_id: int, name: str, ext: str) -> Rendition:
    """Return the rendition of an item of a post the public may see, its URL signed and
    valid for a while yet, or raise NotFound."""
    fmt = _FORMATS.get(ext)
    post_id = PostItem.objects.filter(media_id=media_id).values_list("post_id", flat=True).first()
    if fmt is None or post_id is None:
        raise NotFound(MISSING_MEDIA)
    view = post_shown(viewer=None, post_id=post_id)  # NotFound when not public
    media = next((item.media for item in view.items if item.media.id == media_id), None)
    rendition = media.rendition(name, fmt) if media is not None else None
    if rendition is None:
        raise NotFound(MISSING_MEDIA)
    return rendition
