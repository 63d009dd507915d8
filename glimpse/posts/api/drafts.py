"""Drafts and scheduled posts in the API: save, list, read, edit, delete, publish now.

A scheduled post is a draft with ``publish_at`` set: ``POST posts`` with ``publish_at``
makes one, ``GET posts/scheduled`` lists them, and ``drafts/{id}`` edits, reschedules
(``publish_at``), unschedules (``publish_at: null``), publishes or cancels either.
Only the author sees them: anyone else's answers 404 like a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.core.pagination import Page, PageJson, cursor_json
from glimpse.media.schemas import MediaOut
from glimpse.posts import selectors, services
from glimpse.posts.api.answers import written_post_json
from glimpse.posts.api.inputs import item_specs, place_input
from glimpse.posts.models import Draft, DraftItem, Place
from glimpse.posts.presenters import PostJson
from glimpse.posts.schemas import Id, ItemIn, PlaceIn, PlaceOut, PostOut
from glimpse.posts.services import UNSET

router = Router(tags=["drafts"])

WRITE = errors(401, 403, 404, 409, 422)

SCHEDULE_HELP = (
    "Publish at this time instead of now: ISO 8601 with its offset (2030-05-01T09:30:00+02:00 "
    "or ...Z), 10 minutes to 75 days ahead. A time without an offset is refused (400)."
)
TIME_ZONE_HELP = "The IANA name of the author's time zone (Europe/Paris), to show the time in."


class DraftIn(Schema):
    """A draft: every field may be left out, and it may have no items yet."""

    media_ids: list[Id] = Field([], max_length=200, description="Up to 20 of your items.")
    caption: str = Field("", max_length=50_000)
    items: list[ItemIn] | None = Field(None, max_length=200)
    place: PlaceIn | None = None
    place_id: Id | None = None
    comments_enabled: bool = True
    hide_like_count: bool = False
    kind: Literal["post", "reel"] = "post"
    publish_at: datetime | None = Field(None, description=SCHEDULE_HELP)
    time_zone: str = Field("UTC", max_length=64, description=TIME_ZONE_HELP)


class DraftPatch(Schema):
    """A change: fields left out keep their value; `publish_at: null` unschedules."""

    media_ids: list[Id] | None = Field(
        None, max_length=200, description="New items in order; items left out are released."
    )
    caption: str | None = Field(None, max_length=50_000)
    items: list[ItemIn] | None = Field(None, max_length=200)
    place: PlaceIn | None = None
    place_id: Id | None = None
    comments_enabled: bool | None = None
    hide_like_count: bool | None = None
    kind: Literal["post", "reel"] | None = None
    publish_at: datetime | None = Field(None, description=SCHEDULE_HELP)
    time_zone: str | None = Field(None, max_length=64, description=TIME_ZONE_HELP)


class DraftPeopleTagOut(Schema):
    username: str
    x: float
    y: float


class DraftItemOut(Schema):
    media: MediaOut
    alt_text: str
    people_tags: list[DraftPeopleTagOut]


class DraftOut(Schema):
    """A draft or a scheduled post, as its author sees it."""

    id: str
    kind: Literal["post", "reel"]
    caption: str
    items: list[DraftItemOut]
    place: PlaceOut | None
    comments_enabled: bool
    hide_like_count: bool
    publish_at: datetime | None = Field(description="Set for a scheduled post.")
    time_zone: str
    failure: str = Field(description="Why publishing it failed; empty when it did not.")
    failed_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_id(obj: Draft) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_items(obj: Draft) -> list[DraftItem]:
        return list(obj.items.all())

    @staticmethod
    def resolve_place(obj: Draft) -> dict[str, object] | None:
        place: Place | None = obj.place
        if place is None:
            return None
        return {
            "id": str(place.pk),
            "name": place.name,
            "address": place.address,
            "lat": place.lat,
            "lng": place.lng,
            "post_count": None,
        }


class DraftListOut(Schema):
    items: list[DraftOut]
    next_max_id: str | None


@router.get("/drafts", auth=api_auth, response={200: DraftListOut, **errors(401, 422)})
def drafts_list(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[Draft]:
    """Your drafts (not scheduled), newest first."""
    page = selectors.drafts_list(
        viewer=request_user(request), scheduled=False, max_id=max_id, limit=limit
    )
    return _page(page)


@router.get("/posts/scheduled", auth=api_auth, response={200: DraftListOut, **errors(401, 422)})
def scheduled_list(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[Draft]:
    """Your scheduled posts, newest first (edit them as drafts: `drafts/{id}`)."""
    page = selectors.drafts_list(
        viewer=request_user(request), scheduled=True, max_id=max_id, limit=limit
    )
    return _page(page)


@router.post("/drafts", auth=api_auth, response={201: DraftOut, **WRITE})
def draft_create(request: HttpRequest, payload: DraftIn) -> Status[Draft]:
    """Save a draft (or, with `publish_at`, a scheduled post); 409 beyond 100 of them."""
    return Status(201, draft_save(request, payload))


@router.get("/drafts/{draft_id}", auth=api_auth, response={200: DraftOut, **errors(401, 404, 422)})
def draft_get(request: HttpRequest, draft_id: Id) -> Draft:
    """One of your drafts or scheduled posts."""
    return selectors.draft_get(viewer=request_user(request), draft_id=draft_id)


@router.patch("/drafts/{draft_id}", auth=api_auth, response={200: DraftOut, **WRITE})
def draft_update(request: HttpRequest, draft_id: Id, payload: DraftPatch) -> Draft:
    """Change a draft; reschedule it (`publish_at`) or unschedule it (`publish_at: null`)."""
    viewer = request_user(request)
    given = payload.dict(exclude_unset=True)
    specs = item_specs(payload.items)
    services.draft_update(
        actor=viewer,
        draft_id=draft_id,
        media_ids=UNSET if payload.media_ids is None else payload.media_ids,
        caption=UNSET if payload.caption is None else payload.caption,
        items=UNSET if specs is None else specs,
        place=place_input(given, payload.place, payload.place_id),
        comments_enabled=UNSET if payload.comments_enabled is None else payload.comments_enabled,
        hide_like_count=UNSET if payload.hide_like_count is None else payload.hide_like_count,
        kind=UNSET if payload.kind is None else payload.kind,
        publish_at=payload.publish_at if "publish_at" in given else UNSET,
        time_zone=UNSET if payload.time_zone is None else payload.time_zone,
    )
    return selectors.draft_get(viewer=viewer, draft_id=draft_id)


@router.delete(
    "/drafts/{draft_id}", auth=api_auth, response={204: None, **errors(401, 403, 404, 422)}
)
def draft_delete(request: HttpRequest, draft_id: Id) -> Status[None]:
    """Delete a draft or cancel a scheduled post, with the media items it held."""
    services.draft_delete(actor=request_user(request), draft_id=draft_id)
    return Status(204, None)


@router.post("/drafts/{draft_id}/publish", auth=api_auth, response={201: PostOut, **WRITE})
def draft_publish(request: HttpRequest, draft_id: Id) -> Status[PostJson]:
    """Publish a draft or a scheduled post now; a refusal (422, 409) keeps the draft."""
    viewer = request_user(request)
    post = services.draft_publish(actor=viewer, draft_id=draft_id)
    return Status(201, written_post_json(viewer, post.pk))


def draft_save(request: HttpRequest, payload: DraftIn) -> Draft:
    """Save a payload of `POST drafts` or of `POST posts` with `publish_at` as a draft."""
    viewer = request_user(request)
    place = place_input(payload.dict(exclude_unset=True), payload.place, payload.place_id)
    draft = services.draft_create(
        author=viewer,
        media_ids=payload.media_ids,
        caption=payload.caption,
        items=item_specs(payload.items),
        place=None if place is UNSET else place,
        comments_enabled=payload.comments_enabled,
        hide_like_count=payload.hide_like_count,
        kind=payload.kind,
        publish_at=payload.publish_at,
        time_zone=payload.time_zone,
    )
    return selectors.draft_get(viewer=viewer, draft_id=draft.pk)


def _page(page: Page[Draft]) -> PageJson[Draft]:
    return {"items": list(page.items), "next_max_id": cursor_json(page.next_max_id)}
