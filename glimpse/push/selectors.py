"""Every read of push subscriptions, scoped to their owner."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.push.models import PushSubscription


def push_subscriptions_of(*, user: User) -> list[PushSubscription]:
    """Return the user's devices that receive push notifications, the newest first."""
    return list(PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk"))
