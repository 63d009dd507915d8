"""Notifications in the API: the viewer's activity, its unread count, read state, preferences.

The router is mounted at the API's root; every path is under ``notifications``.
"""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest
from ninja import Router

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson, cursor_json
from glimpse.notifications import selectors, services
from glimpse.notifications.badge import unread_badge
from glimpse.notifications.presenters import (
    NotificationJson,
    notification_json,
    notification_view,
)
from glimpse.notifications.schemas import (
    NotificationListOut,
    PreferencesIn,
    PreferencesOut,
    UnreadCountOut,
)

router = Router(tags=["notifications"], auth=api_auth)


class UnreadCountJson(TypedDict):
    count: int


@router.get("/notifications", response={200: NotificationListOut, **errors(401, 422)})
def notifications(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[NotificationJson]:
    """The viewer's notifications, latest activity first."""
    page = selectors.notifications_page(viewer=request_user(request), max_id=max_id, limit=limit)
    return {
        "items": [notification_json(notification_view(entry)) for entry in page.items],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.get("/notifications/unread-count", response={200: UnreadCountOut, **errors(401)})
def unread_count(request: HttpRequest) -> UnreadCountJson:
    """How many of the viewer's notifications are unread."""
    return {"count": unread_badge(viewer=request_user(request))}


@router.post("/notifications/read-all", response={200: UnreadCountOut, **errors(401)})
def read_all(request: HttpRequest) -> UnreadCountJson:
    """Mark every notification of the viewer read."""
    return {"count": services.notifications_mark_all_read(recipient=request_user(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: UnreadCountOut, **errors(401, 404, 422)},
)
def read(request: HttpRequest, notification_id: int) -> UnreadCountJson:
    """Mark one of the viewer's notifications read; answers the unread count."""
    count = services.notification_mark_read(
        recipient=request_user(request), notification_id=notification_id
    )
    return {"count": count}


@router.get("/notifications/preferences", response={200: PreferencesOut, **errors(401)})
def preferences(request: HttpRequest) -> dict[str, str]:
    """The viewer's level of each kind of notification."""
    return selectors.preferences_get(user=request_user(request))


@router.patch("/notifications/preferences", response={200: PreferencesOut, **errors(401, 422)})
def preferences_update(request: HttpRequest, payload: PreferencesIn) -> dict[str, str]:
    """Change the level of some kinds: off, following (people you follow) or everyone."""
    levels = {kind: level for kind, level in payload.dict().items() if level is not None}
    return services.notification_preferences_update(user=request_user(request), levels=levels)
