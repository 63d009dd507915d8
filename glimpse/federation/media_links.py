"""Lasting addresses for the media of posts, as Notes name them.

Storage URLs are signed and expire (``GLIMPSE_MEDIA_URL_SECONDS``), but other servers fetch
an attachment when they please, sometimes long after the Note arrived. A Note therefore
names ``/federation/media/<media id>/<rendition>.<ext>?key=<key>``, which answers a
short-lived redirect to a freshly signed URL of that rendition. The key is a keyed hash of
the address, known only to those the Note was sent to: with it, the file is served while
the post is one its followers may see (a private account's post included); without it,
only while the public may see it. Otherwise it is a 404, like a media id that does not
exist. Both are decided by the posts' one visibility policy. Only the public renditions in
the formats Notes name (JPEG pictures, MP4 videos) are served, never the private original
or the unfiltered base.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.site import absolute_url
from glimpse.graph.models import Follow
from glimpse.media.presenters import MediaView
from glimpse.media.selectors import Rendition
from glimpse.posts.models import PostItem
from glimpse.posts.shown import posts_shown

# Pixelfed refuses an attachment wider or taller than this; the largest below it is sent.
MAX_SIDE = 5000
EXTENSIONS = {"jpeg": "jpg", "mp4": "mp4"}
_FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}
_PREVIEWS = ("thumb", "poster-thumb")  # squares cut from the middle: never the picture itself
MISSING_MEDIA = "No media file with this address."
_KEY_SALT = "glimpse.federation.media_links"


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
    """Return the lasting absolute address of a rendition of a posted media item, keyed."""
    name, ext = rendition["name"], EXTENSIONS[rendition["format"]]
    # The route "federation:media", written out: a Note names one per item, and reversing
    # the route costs more than the rest of the attachment together.
    path = f"/federation/media/{media_id}/{name}.{ext}"
    return absolute_url(path) + "?key=" + media_key(media_id, name, ext)


def media_key(media_id: int, name: str, ext: str) -> str:
    """Return the key of one rendition's lasting address (a keyed hash, never stored)."""
    message = f"{media_id}/{name}.{ext}".encode()
    return hmac.new(_signing_key(settings.SECRET_KEY), message, hashlib.sha256).hexdigest()[:32]


@lru_cache(maxsize=4)
def _signing_key(secret: str) -> bytes:
    """Return the key the media keys are made with, derived from the site's secret once."""
    return hashlib.sha256(f"{_KEY_SALT}{secret}".encode()).digest()


def shared_rendition(*, media_id: int, name: str, ext: str, key: str = "") -> Rendition:
    """Return the rendition of an item of a post the public may see (or, with the address's
    key, its author's followers), its URL signed and valid for a while yet, or raise
    NotFound."""
    fmt = _FORMATS.get(ext)
    post = (
        PostItem.objects.filter(media_id=media_id).values_list("post_id", "post__author_id").first()
    )
    if fmt is None or post is None:
        raise NotFound(MISSING_MEDIA)
    post_id, author_id = post
    shown = posts_shown(viewer=None, post_ids=[post_id])
    if not shown and hmac.compare_digest(key, media_key(media_id, name, ext)):
        shown = posts_shown(viewer=_a_follower(author_id), post_ids=[post_id])
    media = next((i.media for view in shown for i in view.items if i.media.id == media_id), None)
    rendition = media.rendition(name, fmt) if media is not None else None
    if rendition is None:
        raise NotFound(MISSING_MEDIA)
    return rendition


def _a_follower(author_id: int) -> User | None:
    """Return one follower of an account: what it is shown, every follower is."""
    follow = Follow.objects.filter(followee_id=author_id).select_related("follower").first()
    return follow.follower if follow is not None else None
