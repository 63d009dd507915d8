"""``/api/v2/media`` and ``/api/v1/media``: an account uploads a photo or video for a status,
reads it back while it is processed, and changes its alt text and focal point.

An upload is one of Glimpse's media items, checked and processed by Glimpse's pipeline. Only
the account's items not yet part of a post are found here, as Mastodon finds only the
attachments not yet part of a status: any other id answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glimpse.core.api import json_response
from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.media import upload_attachment
from glimpse.mastodon.errors import MastodonError, record_id
from glimpse.mastodon.params import request_fields, request_form_load
from glimpse.mastodon.posting import client_media_update, client_media_upload
from glimpse.media import selectors
from glimpse.media.models import MediaItem

router = Router(tags=["media"])
router_v2 = Router(tags=["media"])

WRITE_MEDIA = TokenAuth("write:media")


@router_v2.post("/media", auth=WRITE_MEDIA)
def media_upload(request: HttpRequest) -> HttpResponse:
    """Upload a photo or video: 202 while it is processed (``url`` null), 200 once done."""
    item = _upload(request)
    ready = item.status == MediaItem.Status.READY
    return json_response(upload_attachment(item), status=200 if ready else 202)


@router.post("/media", auth=WRITE_MEDIA)
def media_upload_v1(request: HttpRequest) -> dict[str, Any]:
    """Upload a photo or video (Mastodon's first form: always 200, processed or not)."""
    return upload_attachment(_upload(request))


@router.get("/media/{media_id}", auth=WRITE_MEDIA)
def media_get(request: HttpRequest, media_id: str) -> HttpResponse:
    """Return an upload: 206 while it is processed, 200 once done, 422 if it failed."""
    item = selectors.media_get_own_unattached(
        viewer=request_account(request), media_id=record_id(media_id)
    )
    if item.status == MediaItem.Status.FAILED:
        reason = item.failure_reason or "the file could not be read"
        raise MastodonError(422, f"Error processing the uploaded media: {reason}")
    ready = item.status == MediaItem.Status.READY
    return json_response(upload_attachment(item), status=200 if ready else 206)


@router.put("/media/{media_id}", auth=WRITE_MEDIA)
def media_update(request: HttpRequest, media_id: str) -> dict[str, Any]:
    """Change an upload's alt text (``description``) or focal point (``focus``, "x,y")."""
    fields = request_fields(request)
    item = client_media_update(
        account=request_account(request),
        media_id=record_id(media_id),
        description=_text(fields, "description"),
        focus=_text(fields, "focus"),
    )
    return upload_attachment(item)


def _upload(request: HttpRequest) -> MediaItem:
    request_form_load(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise MastodonError(422, "Validation failed: file: attach a photo or video as `file`")
    fields = request_fields(request)
    return client_media_upload(
        account=request_account(request),
        upload=upload,
        size_bytes=upload.size or 0,
        description=_text(fields, "description") or "",
        focus=_text(fields, "focus"),
    )


def _text(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return value
    raise MastodonError(422, f"Validation failed: {name}: give one text value")
