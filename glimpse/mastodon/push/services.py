"""Every write to the client apps' push subscriptions: one per token, replaced, updated or
ended by the app that holds the token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from glimpse.accounts.oauth.credentials import Credential
from glimpse.core.errors import InvalidInput
from glimpse.mastodon.models import ClientPushSubscription, Policy
from glimpse.mastodon.notification_types import ALERTS
from glimpse.mastodon.push.selectors import client_pushes_of
from glimpse.push.keys import server_key
from glimpse.push.services import subscription_problems


def client_push_subscribe(
    *,
    credential: Credential,
    endpoint: str,
    p256dh: str,
    auth: str,
    standard: bool,
    alerts: Mapping[str, Any],
    policy: str,
) -> ClientPushSubscription:
    """Subscribe the token's app to pushes, replacing the token's earlier subscription."""
    keys = {"p256dh": _base64url(p256dh), "auth": _base64url(auth)}
    fields = subscription_problems(endpoint=endpoint, **keys)
    if policy not in Policy.values:
        fields["policy"] = [f"Choose one of: {', '.join(Policy.values)}."]
    if fields:
        raise InvalidInput(fields=fields)
    assert credential.user is not None, "an app's own token has no account to push for"
    with transaction.atomic():
        client_pushes_of(credential).delete()
        return ClientPushSubscription.objects.create(
            user=credential.user,
            access_token=credential.access_token,
            api_token=credential.api_token,
            endpoint=endpoint,
            server_key=server_key().public_key,
            standard=standard,
            alerts=alerts_from(alerts),
            policy=policy,
            **keys,
        )


def client_push_update(
    *,
    subscription: ClientPushSubscription,
    alerts: Mapping[str, Any] | None,
    policy: str | None,
) -> ClientPushSubscription:
    """Change which notifications are pushed (the alerts given, the others kept) and whose."""
    if policy is not None and policy not in Policy.values:
        raise InvalidInput(fields={"policy": [f"Choose one of: {', '.join(Policy.values)}."]})
    if alerts is not None:
        subscription.alerts = {**subscription.alerts, **alerts_from(alerts, partial=True)}
    if policy is not None:
        subscription.policy = policy
    subscription.save(update_fields=["alerts", "policy"])
    return subscription


def client_push_unsubscribe(*, credential: Credential) -> None:
    """End the token's subscription, if it has one (ending it twice is no error)."""
    client_pushes_of(credential).delete()


def alerts_from(given: Mapping[str, Any], *, partial: bool = False) -> dict[str, bool]:
    """Return Mastodon's alerts from what an app sent (``"true"``, ``"1"`` or true are on);
    every type an app did not name is off, unless ``partial``."""
    found = {name: _truthy(given[name]) for name in ALERTS if name in given}
    if partial:
        return found
    return {name: found.get(name, False) for name in ALERTS}


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "on", "yes")
    return bool(value)


def _base64url(value: str) -> str:
    # Apps send the keys in base64 or base64url, padded or not; they are kept in base64url.
    return value.strip().replace("+", "-").replace("/", "_").rstrip("=")
