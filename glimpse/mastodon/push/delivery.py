"""Push a notification to the client apps of its recipient, in Mastodon's words.

What is pushed is what the recipient's notification list would show now (the visibility
policy of ``notifications.selectors.notification_event``), unread, of a kind the account has
not turned off, of a type the app asked for (``alerts``), from an account its ``policy``
lets through. The message is Mastodon's push payload, encrypted as the app asked (RFC 8291,
or the draft encoding older apps decrypt) and signed with the server's key, through the
web app's own sender: known push services only, no redirects, a timeout.

Tokens are stored only as digests, so the payload's ``access_token`` is empty: apps tell
their accounts apart by the endpoint each subscribed with.
"""

from __future__ import annotations

from typing import Any

import orjson

from glimpse.accounts.models import User
from glimpse.graph.visibility import relation_to
from glimpse.mastodon.models import ClientPushSubscription, Policy
from glimpse.mastodon.notification_types import mastodon_type
from glimpse.notifications import selectors as notifications
from glimpse.notifications.models import Level
from glimpse.push.delivery import devices_push
from glimpse.push.sender import Encoding

LOCALE = "en"


def client_notification_push(*, recipient_id: int, notification_id: int) -> int:
    """Push one notification to the recipient's client apps; return how many took it."""
    apps = list(ClientPushSubscription.objects.filter(user_id=recipient_id).order_by("pk"))
    if not apps:
        return 0  # most accounts: one query and done
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return 0
    event = notifications.notification_event(viewer=recipient, notification_id=notification_id)
    kind = mastodon_type(event["kind"]) if event is not None else None
    if event is None or kind is None or event["is_read"]:
        return 0
    if notifications.preferences_get(user=recipient).get(event["kind"]) == Level.OFF:
        return 0
    actors = event.get("actors") or []
    actor_id = int(actors[0]["id"]) if actors else None
    wanted = [app for app in apps if app.alerts.get(kind) and _allowed(app, recipient, actor_id)]
    data = orjson.dumps(push_payload(event, kind))
    delivered = 0
    for standard in (True, False):
        same = [app for app in wanted if app.standard is standard]
        if same:
            encoding: Encoding = "aes128gcm" if standard else "aesgcm"
            topic = f"n{notification_id}"
            delivered += devices_push(devices=same, data=data, topic=topic, encoding=encoding)
    return delivered


def push_payload(event: dict[str, Any], kind: str) -> dict[str, Any]:
    """Return Mastodon's push payload of a notification's JSON."""
    actors = event.get("actors") or []
    avatar = (actors[0].get("avatar") or {}).get("150") if actors else None
    comment = event.get("comment") or {}
    return {
        "access_token": "",
        "preferred_locale": LOCALE,
        "notification_id": str(event["id"]),
        "notification_type": kind,
        "icon": avatar or "",
        "title": str(event["text"]),
        "body": str(comment.get("text") or ""),
    }


def _allowed(app: ClientPushSubscription, recipient: User, actor_id: int | None) -> bool:
    """Tell whether the app's policy lets a notification of this actor through."""
    if app.policy == Policy.ALL:
        return True
    if app.policy == Policy.NONE or actor_id is None:
        return False
    relation = relation_to(recipient, actor_id)
    if app.policy == Policy.FOLLOWED:
        return relation["following"]
    return relation["followed_by"]
