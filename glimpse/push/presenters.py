"""A push subscription as the API and the settings page show it (no query is made here)."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from urllib.parse import urlsplit

from glimpse.push.models import PushSubscription


class PushSubscriptionJson(TypedDict):
    id: str
    endpoint: str
    service: str
    device: str
    created_at: datetime
    last_success_at: datetime | None
    last_failure_at: datetime | None


def push_subscription_json(subscription: PushSubscription) -> PushSubscriptionJson:
    """Return one of the viewer's devices as the API shows it."""
    return PushSubscriptionJson(
        id=str(subscription.pk),
        endpoint=subscription.endpoint,
        service=urlsplit(subscription.endpoint).hostname or "",
        device=subscription.device,
        created_at=subscription.created_at,
        last_success_at=subscription.last_success_at,
        last_failure_at=subscription.last_failure_at,
    )
