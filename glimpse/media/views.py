"""Web pages of the media pipeline: the composer and the viewer's uploads.

Both pages only render. Every change (upload, edit, delete) is made by the page's script
through the JSON API, so that the web and the apps share one write path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import NotFound
from glimpse.core.pagination import paginate
from glimpse.media import selectors
from glimpse.media.crops import ASPECTS
from glimpse.media.filters import ADJUSTMENTS, filter_catalogue
from glimpse.media.models import MediaItem
from glimpse.media.previews import PREVIEW_SIZES

UPLOADS_PAGE_SIZE = 30

# "Original" keeps the photo's own shape (within the feed's limits), then the fixed ones.
CROP_ASPECTS = (("original", "Original"), *((aspect, aspect) for aspect in ASPECTS))


@dataclass(frozen=True)
class Tile:
    """What the uploads grid draws for one item."""

    item: MediaItem
    thumb_url: str | None


@login_required
@require_safe
def composer(request: HttpRequest) -> HttpResponse:
    """Show the composer: select photos and videos, edit and crop each, then share them."""
    viewer = request_viewer(request)
    media_id = ""
    raw = request.GET.get("media", "")
    if raw:
        # Reopening an upload: the viewer's own, or a 404 like any other missing page.
        try:
            media_id = str(selectors.media_get_own(viewer=viewer, media_id=int(raw)).pk)
        except (ValueError, NotFound) as error:
            raise Http404("No media item with this id.") from error
    config: dict[str, Any] = {
        "api": reverse("api:media_upload"),
        "mediaId": media_id,
        "previewSizes": list(PREVIEW_SIZES),
        "photoMaxBytes": settings.GLIMPSE_PHOTO_MAX_BYTES,
        "videoMaxBytes": settings.GLIMPSE_VIDEO_MAX_BYTES,
    }
    context = {
        "filters": filter_catalogue(),
        "adjustments": [
            {"name": name, "label": name.capitalize(), "min": low, "max": high}
            for name, (low, high) in ADJUSTMENTS.items()
        ],
        "aspects": CROP_ASPECTS,
        "config": config,
        "alt_text_max": settings.GLIMPSE_ALT_TEXT_MAX,
        "photo_max_mb": settings.GLIMPSE_PHOTO_MAX_BYTES // (1024 * 1024),
        "video_max_mb": settings.GLIMPSE_VIDEO_MAX_BYTES // (1024 * 1024),
        "video_max_minutes": settings.GLIMPSE_VIDEO_MAX_SECONDS // 60,
        "schedule_min_minutes": settings.GLIMPSE_SCHEDULE_MIN_MINUTES,
        "schedule_max_days": settings.GLIMPSE_SCHEDULE_MAX_DAYS,
    }
    return render(request, "media/composer.html", context)


@login_required
@require_safe
def uploads(request: HttpRequest) -> HttpResponse:
    """List the viewer's uploads not yet posted, newest first, with their status."""
    try:
        max_id = int(request.GET["max_id"]) if request.GET.get("max_id") else None
    except ValueError as error:
        raise Http404("No such page.") from error
    page = paginate(
        selectors.media_list_own(viewer=request_viewer(request)),
        max_id=max_id,
        limit=UPLOADS_PAGE_SIZE,
    )
    context = {
        "tiles": [
            Tile(item=item, thumb_url=selectors.media_thumb_url(item)) for item in page.items
        ],
        "next_max_id": page.next_max_id,
        "api": reverse("api:media_upload"),
        "unattached_hours": settings.GLIMPSE_MEDIA_UNATTACHED_HOURS,
    }
    return render(request, "media/uploads.html", context)
