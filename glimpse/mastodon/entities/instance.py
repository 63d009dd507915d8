"""Mastodon's Instance (v1 and v2) and nodeinfo: what the server is and its limits."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static

from glimpse.core.site import absolute_url, site_url
from glimpse.core.version import GLIMPSE_VERSION
from glimpse.push.keys import server_key

SOFTWARE = "glimpse"
# The Mastodon release whose client API this one follows; clients read features from it.
VERSION = f"4.5.0 (compatible; Glimpse {GLIMPSE_VERSION})"
# Mastodon numbers its API from 4.3 on; clients check the number before newer calls, so
# only the first, what is served here, is claimed.
API_VERSIONS = {"mastodon": 1}
TITLE = "Glimpse"
DESCRIPTION = "Photos and videos from the people you follow."
IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/avif", "image/gif"]
VIDEO_TYPES = ["video/mp4", "video/quicktime", "video/webm"]


def instance_v2(*, host: str, users_month: int) -> dict[str, Any]:
    """Return the Instance entity of ``/api/v2/instance``."""
    return {
        "domain": host,
        "title": TITLE,
        "version": VERSION,
        "source_url": site_url() + "/",
        "description": DESCRIPTION,
        "usage": {"users": {"active_month": users_month}},
        "thumbnail": {"url": _icon(), "blurhash": None, "versions": {}},
        "icon": [],
        "languages": ["en"],
        "configuration": {
            "urls": {"streaming": streaming_base(host), "status": None, "about": site_url() + "/"},
            "vapid": {"public_key": server_key().public_key},
            "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 3},
            **limits(),
            "translation": {"enabled": False},
        },
        "registrations": {"enabled": True, "approval_required": False, "message": None},
        "contact": {"email": "", "account": None},
        "rules": [],
        "api_versions": API_VERSIONS,
    }


def instance_v1(*, host: str, users: int, posts: int, domains: int) -> dict[str, Any]:
    """Return the older Instance entity of ``/api/v1/instance``."""
    return {
        "uri": host,
        "title": TITLE,
        "short_description": DESCRIPTION,
        "description": DESCRIPTION,
        "email": "",
        "version": VERSION,
        "urls": {"streaming_api": streaming_base(host)},
        "stats": {"user_count": users, "status_count": posts, "domain_count": domains},
        "thumbnail": _icon(),
        "languages": ["en"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": limits(),
        "contact_account": None,
        "rules": [],
    }


def limits() -> dict[str, Any]:
    """Return what a post may hold: its caption's length, its media, their sizes and types."""
    photo_side = settings.GLIMPSE_PHOTO_MAX_SIDE
    video_side = settings.GLIMPSE_VIDEO_MAX_SIDE
    return {
        "statuses": {
            "max_characters": settings.GLIMPSE_CAPTION_MAX,
            "max_media_attachments": settings.GLIMPSE_POST_ITEMS_MAX,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": IMAGE_TYPES + VIDEO_TYPES,
            "description_limit": settings.GLIMPSE_ALT_TEXT_MAX,
            "image_size_limit": settings.GLIMPSE_PHOTO_MAX_BYTES,
            "image_matrix_limit": min(settings.GLIMPSE_PHOTO_MAX_PIXELS, photo_side * photo_side),
            "video_size_limit": settings.GLIMPSE_VIDEO_MAX_BYTES,
            "video_frame_rate_limit": settings.GLIMPSE_VIDEO_MAX_FPS,
            # Glimpse limits a video's longer side: within it, no video has more pixels.
            "video_matrix_limit": video_side * video_side,
        },
        # Glimpse has no polls: none may be made.
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
    }


def nodeinfo(
    *, version: str, users: dict[str, int], posts: int, federating: bool
) -> dict[str, Any]:
    """Return the nodeinfo document (2.0 or 2.1, which adds the software's home page)."""
    software: dict[str, str] = {"name": SOFTWARE, "version": GLIMPSE_VERSION}
    if version == "2.1":
        software["homepage"] = site_url() + "/"
    return {
        "version": version,
        "software": software,
        "protocols": ["activitypub"] if federating else [],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": True,
        "usage": {
            "users": {
                "total": users["total"],
                "activeMonth": users["days_30"],
                "activeHalfyear": users["days_180"],
            },
            "localPosts": posts,
        },
        "metadata": {"nodeName": TITLE},
    }


def host_of(fallback: str) -> str:
    """Return the site's host name, from its configured address or the request's."""
    return urlsplit(site_url()).netloc or fallback


def streaming_base(host: str) -> str:
    """Return the address clients append ``/api/v1/streaming`` to: the websocket server's
    when pages are told one of their own (``GLIMPSE_WEBSOCKET_URL``, one machine without a
    proxy), else the site's host, where the proxy routes the streaming paths to it."""
    configured = urlsplit(settings.GLIMPSE_WEBSOCKET_URL)
    if configured.scheme in ("ws", "wss") and configured.netloc:
        return f"{configured.scheme}://{configured.netloc}"
    scheme = "wss" if site_url().startswith("https") else "ws"
    return f"{scheme}://{host}"


def _icon() -> str:
    return absolute_url(static("icons/icon-512.png"))
