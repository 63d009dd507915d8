"""The JSON shapes of Web Push in the API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class ServerKeyOut(Schema):
    public_key: str = Field(
        description="The VAPID public key (base64url): `applicationServerKey` for "
        "`PushManager.subscribe()`."
    )


class SubscriptionKeysIn(Schema):
    p256dh: str = Field(max_length=200, description="The browser's P-256 public key, base64url.")
    auth: str = Field(max_length=100, description="The authentication secret, base64url.")


class SubscriptionIn(Schema):
    """A browser's `PushSubscription.toJSON()` (its `expirationTime` is not needed)."""

    endpoint: str = Field(max_length=2048, description="The push service's URL for this browser.")
    keys: SubscriptionKeysIn


class EndpointIn(Schema):
    endpoint: str = Field(max_length=2048)


class SubscriptionOut(Schema):
    """One device that receives the viewer's push notifications."""

    id: str
    endpoint: str
    service: str = Field(description="The push service's host.")
    device: str = Field(description='The browser and system it was made on: "Chrome on Android".')
    created_at: datetime
    last_success_at: datetime | None = Field(description="When a push last reached its service.")
    last_failure_at: datetime | None = Field(description="When a push last failed.")


class SubscriptionListOut(Schema):
    items: list[SubscriptionOut]
    next_max_id: str | None = Field(description="Always null: every device is on one page.")
