"""What a push notification says: made from the notification as its list would show it.

The message is the notification's own JSON (``notifications.selectors.notification_event``,
which applies the visibility policy) cut to what a phone shows: a title, the sentence, the
first actor's picture, the post's thumbnail and where a tap leads. Paths are relative: the
service worker resolves them against the site it was loaded from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import orjson
from django.templatetags.static import static
from django.urls import reverse

from glimpse.notifications.models import NOTICE_KINDS, Kind

TITLE = "Glimpse"
APP_ICON = "icons/icon-192.png"
BADGE = "icons/badge-96.png"
AVATAR_SIZE = "150"
_TO_PROFILE = frozenset({Kind.FOLLOW, Kind.REQUEST_APPROVED})
# A story's answer lands in the conversation with its actor (the messages' page, by name).
_TO_CONVERSATION = frozenset({Kind.STORY_REPLY, Kind.STORY_REACTION})


class PushMessage(TypedDict):
    """The JSON a device receives (the service worker's ``push`` handler reads it)."""

    title: str
    body: str
    url: str
    icon: str
    badge: str
    image: str | None
    tag: str
    timestamp: int  # milliseconds since the epoch, when the activity happened


def push_message(event: Mapping[str, Any], *, timestamp_ms: int) -> PushMessage:
    """Return the push message of a notification's JSON (as the live events carry it)."""
    actors = event.get("actors") or []
    avatars = (actors[0].get("avatar") or {}) if actors else {}
    post = event.get("post")
    return PushMessage(
        title=TITLE,
        body=str(event["text"]),
        url=_target(event),
        icon=avatars.get(AVATAR_SIZE) or static(APP_ICON),
        badge=static(BADGE),
        image=(post or {}).get("thumbnail") if event["kind"] not in NOTICE_KINDS else None,
        # One entry, one notification on the device: a bumped entry replaces its last push.
        tag=f"notification-{event['id']}",
        timestamp=timestamp_ms,
    )


def message_bytes(message: PushMessage) -> bytes:
    """Return the message as the bytes that are encrypted and sent."""
    return orjson.dumps(message)


def _target(event: Mapping[str, Any]) -> str:
    """Return where tapping the notification leads, as its list links it."""
    kind = event["kind"]
    actors = event.get("actors") or []
    if kind == Kind.FOLLOW_REQUEST:
        return reverse("graph:follow_requests")
    if kind in _TO_PROFILE and actors:
        return reverse("profile", args=[actors[0]["username"]])
    if kind in _TO_CONVERSATION and actors:
        return reverse("messages:with", args=[actors[0]["username"]])
    if kind == Kind.STORY_MENTION and actors and event.get("story"):
        # The author's stories, opened at this one (or a note that it is gone).
        viewer = reverse("stories:viewer", args=[actors[0]["username"]])
        return f"{viewer}?story={int(event['story']['id'])}"
    if event.get("post"):
        return reverse("posts:detail", args=[int(event["post"]["id"])])
    return reverse("notifications:list")
