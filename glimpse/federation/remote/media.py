"""The photos and videos of a remote Note, fetched once and put through the media pipeline
exactly as an upload (sniffed by content, checked against the limits, metadata stripped,
rendered), owned by the remote account. Pages show these copies: remote media are never
linked from them.

Each item is rendered here, in the inbox's job, before the post is written: a post is
published only once its media are ready. An item that cannot be fetched for good, is not a
photo or video, is too large, or fails to render is left out; a failure that may pass
(the server did not answer) gives up the whole Note for now, its items deleted, so that the
job tries again later.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.federation.domain_policy import media_rejected
from glimpse.federation.fetch import FetchRefused, fetch_media
from glimpse.federation.remote.notes import Attachment
from glimpse.federation.signatures.common import authority
from glimpse.media.models import MediaItem
from glimpse.media.services import media_delete, media_upload

logger = logging.getLogger(__name__)

PHOTO_TYPES: tuple[str, ...] = ("image/*",)
VIDEO_TYPES: tuple[str, ...] = ("video/*",)


def attachments_store(*, owner: User, domain: str, attachments: Sequence[Attachment]) -> list[int]:
    """Fetch and process a Note's photos and videos; return the ready items' ids, in order.

    Only the first ``GLIMPSE_POST_ITEMS_MAX`` attachments are read. Raises ``FetchRefused``
    (transient) when a server did not answer, after deleting the items made so far.
    """
    ready: list[int] = []
    try:
        for attachment in attachments[: settings.GLIMPSE_POST_ITEMS_MAX]:
            item = _store_one(owner, domain, attachment)
            if item is not None:
                ready.append(item.pk)
    except FetchRefused:
        media_forget(owner=owner, media_ids=ready)
        raise
    return ready


def media_forget(*, owner: User, media_ids: Sequence[int]) -> None:
    """Delete media items made for a Note that became no post."""
    for media_id in media_ids:
        # Already attached or gone: nothing of ours is left to clean.
        with contextlib.suppress(GlimpseError):
            media_delete(owner=owner, media_id=media_id)


def media_refused(*, author_domain: str, url: str) -> bool:
    """Tell whether media from this server (or this media host) are refused here.

    The one place where the moderators' domain policy (rejecting a domain's media, or
    suspending it) is applied to incoming media: the author's server's, and the host the
    file is on (a server may keep its files elsewhere).
    """
    return media_rejected(author_domain) or media_rejected(urlsplit(url).hostname or "")


def _store_one(owner: User, domain: str, attachment: Attachment) -> MediaItem | None:
    """Fetch one attachment and render it as an upload; None when it is left out."""
    kind = attachment.media_type.split("/", 1)[0]
    if media_refused(author_domain=domain, url=attachment.url):
        return None
    if kind == "image":
        allowed, limit = PHOTO_TYPES, settings.GLIMPSE_PHOTO_MAX_BYTES
    elif kind == "video":
        allowed, limit = VIDEO_TYPES, settings.GLIMPSE_VIDEO_MAX_BYTES
    else:  # not said: either, the pipeline tells them apart by their content
        allowed = PHOTO_TYPES + VIDEO_TYPES
        limit = max(settings.GLIMPSE_PHOTO_MAX_BYTES, settings.GLIMPSE_VIDEO_MAX_BYTES)
    try:
        fetched = fetch_media(attachment.url, max_bytes=limit, allowed_types=allowed)
    except FetchRefused as error:
        if error.transient:
            raise
        logger.info("left out %s of %s: %s", attachment.url, authority(attachment.url), error)
        return None
    try:
        item = media_upload(
            owner=owner,
            upload=io.BytesIO(fetched.body),
            size_bytes=len(fetched.body),
            alt_text=attachment.alt_text,
            focus=attachment.focus,
            process_inline=True,
        )
    except GlimpseError as error:
        logger.info("left out %s: %s", attachment.url, error.message)
        return None
    if item.status != MediaItem.Status.READY:
        media_forget(owner=owner, media_ids=[item.pk])
        return None
    return item
