"""``/api/v1/scheduled_statuses``: an account's scheduled posts (docs/drafts.md), listed,
read, rescheduled and cancelled as Mastodon's ScheduledStatus. A status is scheduled with
``scheduled_at`` on ``POST /api/v1/statuses`` (``routers.posting``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.scheduled import scheduled_status_entity
from glimpse.mastodon.errors import NOT_FOUND, MastodonError, record_id
from glimpse.mastodon.pagination import PageQuery, page_response
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.posting import scheduled_at_parse
from glimpse.posts import selectors as post_selectors
from glimpse.posts import services as post_services
from glimpse.posts.models import Draft

router = Router(tags=["scheduled statuses"])

READ = TokenAuth("read:statuses")
WRITE = TokenAuth("write:statuses")


@router.get("/scheduled_statuses", auth=READ)
def scheduled_statuses(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the account's scheduled posts, newest first."""
    found = post_selectors.drafts_list(
        viewer=request_account(request), scheduled=True, max_id=page.max_id, limit=page.size
    )
    entities = [scheduled_status_entity(draft) for draft in found.items]
    return page_response(request, entities, [draft.pk for draft in found.items])


@router.get("/scheduled_statuses/{scheduled_id}", auth=READ)
def scheduled_status(request: HttpRequest, scheduled_id: str) -> dict[str, Any]:
    """Return one of the account's scheduled posts."""
    return scheduled_status_entity(_own(request, scheduled_id))


@router.put("/scheduled_statuses/{scheduled_id}", auth=WRITE)
def scheduled_status_move(request: HttpRequest, scheduled_id: str) -> dict[str, Any]:
    """Move a scheduled post to another time."""
    draft = _own(request, scheduled_id)
    raw = request_fields(request).get("scheduled_at")
    if not raw:
        raise MastodonError(422, "Validation failed: scheduled_at: give the new time")
    post_services.draft_update(
        actor=request_account(request), draft_id=draft.pk, publish_at=scheduled_at_parse(raw)
    )
    return scheduled_status_entity(_own(request, scheduled_id))


@router.delete("/scheduled_statuses/{scheduled_id}", auth=WRITE)
def scheduled_status_cancel(request: HttpRequest, scheduled_id: str) -> dict[str, Any]:
    """Cancel a scheduled post (its media go with it)."""
    draft = _own(request, scheduled_id)
    post_services.draft_delete(actor=request_account(request), draft_id=draft.pk)
    return {}


def _own(request: HttpRequest, scheduled_id: str) -> Draft:
    """Return one of the account's scheduled posts; anything else is Mastodon's 404."""
    draft = post_selectors.draft_get(
        viewer=request_account(request), draft_id=record_id(scheduled_id)
    )
    if not draft.is_scheduled:
        raise MastodonError(404, NOT_FOUND)
    return draft
