"""``POST /api/v1/statuses``: an account posts (a status with media is a post; a reply is a
comment; with ``scheduled_at``, a scheduled post); and what an author reads back about a
status: its source and its versions.

The edit and the delete take the status's own path, in ``routers.statuses``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.scheduled import scheduled_status_entity
from glimpse.mastodon.entities.statuses import status_edit_entity
from glimpse.mastodon.errors import record_id
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.posting import client_status_post, client_status_schedule
from glimpse.mastodon.routers.statuses import status, status_find
from glimpse.mastodon.schemas import StatusCreateIn
from glimpse.mastodon.shown import status_history_json
from glimpse.posts import selectors as post_selectors

router = Router(tags=["statuses"])


@router.post("/statuses", auth=TokenAuth("write:statuses"))
def status_post(request: HttpRequest) -> dict[str, Any]:
    """Post a status: media make a post, ``in_reply_to_id`` a comment; answer it."""
    fields = StatusCreateIn.model_validate(request_fields(request))
    if fields.scheduled_at is not None:
        # A ScheduledStatus, as Mastodon answers a status to publish later.
        draft = client_status_schedule(account=request_account(request), fields=fields)
        return scheduled_status_entity(draft)
    made = client_status_post(
        account=request_account(request),
        fields=fields,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return status(request, str(made))


@router.get("/statuses/{status_id}/source", auth=TokenAuth("read:statuses"))
def status_source(request: HttpRequest, status_id: str) -> dict[str, Any]:
    """Return the text a status was written with, for editing it."""
    post, comment = status_find(request, status_id)
    text = post.caption if comment is None else comment.text
    return {"id": status_id, "text": text, "spoiler_text": ""}


@router.get("/statuses/{status_id}/history", auth=TokenAuth("read:statuses"))
def status_history(request: HttpRequest, status_id: str) -> list[dict[str, Any]]:
    """Return a status's versions, oldest first: every one to its author, the current one
    to anyone else (Glimpse shows a post's edits to its author alone)."""
    post, comment = status_find(request, status_id)
    viewer = request_account(request)
    if comment is None and post.author.id == viewer.pk:
        edits = post_selectors.post_edit_history(viewer=viewer, post_id=record_id(status_id))
        if edits:
            return status_history_json(viewer, post, edits)
    shown = status(request, status_id)
    return [
        status_edit_entity(
            content=shown["content"],
            created_at=shown["edited_at"] or shown["created_at"],
            account=shown["account"],
            media_attachments=shown["media_attachments"],
        )
    ]
