"""Media in the API: upload, read, edit, preview, download the original, delete."""

from __future__ import annotations

import mimetypes
from typing import Any, Literal

import orjson
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Status, UploadedFile

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.core.errors import Conflict, InvalidInput
from glimpse.core.files import file_response
from glimpse.core.pagination import PageJson, cursor_json, paginate
from glimpse.core.ratelimit import upload_rate_hit
from glimpse.media import previews, selectors, services
from glimpse.media.filters import Edit, filter_catalogue
from glimpse.media.models import MediaItem
from glimpse.media.schemas import FilterOut, MediaListOut, MediaOut, MediaPatch

router = Router(tags=["media"], auth=api_auth)


@router.post("", response={202: MediaOut, **errors(401, 403, 413, 415, 422, 429)})
def media_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    filter: Form[str | None] = None,
    filter_strength: Form[int | None] = None,
    adjustments: Form[str | None] = None,
    crop: Form[str | None] = None,
    alt_text: Form[str] = "",
    shape: Form[Literal["post", "story"]] = "post",
) -> Status[MediaItem]:
    """Upload a photo or video; it answers at once and processing finishes in the background.

    `shape=story` keeps a photo's shape up to 9:16 (a post's default crop keeps 4:5 to 1.91:1).
    """
    user = request_user(request)
    upload_rate_hit(account_id=user.pk)
    edit = _edit_fields({}, filter, filter_strength, _json_field("adjustments", adjustments))
    item = services.media_upload(
        owner=user,
        upload=file,
        size_bytes=file.size or 0,
        edit=edit,
        crop=_json_field("crop", crop),
        alt_text=alt_text,
        shape=shape,
    )
    item.refresh_from_db()
    return Status(202, item)


@router.get("", response={200: MediaListOut, **errors(401, 422)})
def media_list(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[MediaItem]:
    """The viewer's uploads not yet attached to a post or story, newest first."""
    page = paginate(
        selectors.media_list_own(viewer=request_user(request)), max_id=max_id, limit=limit
    )
    # The rows themselves: MediaOut reads the fields it shows from them.
    return {"items": list(page.items), "next_max_id": cursor_json(page.next_max_id)}


@router.get("/filters", response={200: list[FilterOut], **errors(401)})
def filters(request: HttpRequest) -> list[dict[str, str]]:
    """The named filters, in display order."""
    return filter_catalogue()


@router.get("/{media_id}", response={200: MediaOut, **errors(401, 404, 422)})
def media_get(request: HttpRequest, media_id: int) -> MediaItem:
    """One of the viewer's media items, with its status and renditions."""
    return selectors.media_get_own(viewer=request_user(request), media_id=media_id)


@router.patch("/{media_id}", response={200: MediaOut, **errors(401, 403, 404, 409, 422)})
def media_update(request: HttpRequest, media_id: int, payload: MediaPatch) -> MediaItem:
    """Change the filter, adjustments, crop, alt text or camera display; the look re-renders."""
    given = payload.dict(exclude_unset=True)
    edit = None
    if {"filter", "filter_strength", "adjustments"} & set(given):
        edit = _edit_fields(
            {}, given.get("filter"), given.get("filter_strength"), given.get("adjustments")
        )
    return services.media_update(
        owner=request_user(request),
        media_id=media_id,
        edit=edit,
        crop=given.get("crop"),
        alt_text=given.get("alt_text"),
        show_camera=given.get("show_camera"),
    )


@router.delete("/{media_id}", response={204: None, **errors(401, 403, 404, 409, 422)})
def media_delete(request: HttpRequest, media_id: int) -> Status[None]:
    """Delete an item that is not part of a post or story."""
    services.media_delete(owner=request_user(request), media_id=media_id)
    return Status(204, None)


@router.get(
    "/{media_id}/original",
    response={200: None, 206: None, 416: None, **errors(401, 404, 409, 422)},
)
def media_original(request: HttpRequest, media_id: int) -> HttpResponseBase:
    """Download the original, with its metadata removed (the owner only; byte ranges too)."""
    item = selectors.media_get_own(viewer=request_user(request), media_id=media_id)
    name = selectors.media_original_path(item)
    if name is None:
        raise Conflict("This item is still processing; try again in a moment.", code="not_ready")
    filename = f"glimpse-{item.pk}.{name.rsplit('.', 1)[-1]}"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    size = default_storage.size(name)
    response = file_response(
        request, default_storage.open(name, "rb"), size=size, content_type=content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@router.get("/{media_id}/preview", response={200: None, **errors(401, 404, 409, 422)})
def media_preview(
    request: HttpRequest,
    media_id: int,
    filter: str | None = None,
    strength: int | None = None,
    adjustments: str | None = None,
    size: int = 540,
) -> HttpResponse:
    """A quick JPEG of the item with the given edit, for live previews in the composer."""
    if size not in previews.PREVIEW_SIZES:
        raise InvalidInput(
            fields={"size": [f"Use one of {', '.join(map(str, previews.PREVIEW_SIZES))}."]}
        )
    item = selectors.media_get_own(viewer=request_user(request), media_id=media_id)
    edit = Edit.from_dict(
        _edit_fields({}, filter, strength, _json_field("adjustments", adjustments))
    )
    data = previews.media_preview(item=item, edit=edit, size=size)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _edit_fields(
    current: dict[str, Any], name: str | None, strength: int | None, adjustments: Any
) -> dict[str, Any]:
    """Merge the edit fields a request gave into the current edit."""
    edit = dict(current)
    if name is not None:
        edit["filter"] = None if name in ("", "normal") else name
    if strength is not None:
        edit["strength"] = strength
    if adjustments is not None:
        edit["adjustments"] = adjustments
    return edit


def _json_field(field: str, raw: str | None) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidInput(fields={field: ["This is not valid JSON."]}) from None
