"""Mastodon's entities made from Glimpse's records: the one place their JSON is shaped."""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import Application

from glimpse.accounts.models import User
from glimpse.mastodon.models import ClientPushSubscription
from glimpse.mastodon.notification_types import ALERTS
from glimpse.push.keys import server_key


def application_json(
    application: Application, *, client_secret: str | None = None
) -> dict[str, Any]:
    """Return the Application entity; with the secret only in the answer that made it."""
    details = getattr(application, "glimpse_app", None)
    uris = application.redirect_uris.split()
    body: dict[str, Any] = {
        "id": str(application.pk),
        "name": application.name,
        "website": (details.website or None) if details is not None else None,
        "scopes": details.scope_list if details is not None else [],
        # Mastodon's older single field: every URI, one a line.
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": server_key().public_key,
    }
    if client_secret is not None:
        body["client_id"] = application.client_id
        body["client_secret"] = client_secret
        body["client_secret_expires_at"] = 0  # the secret does not expire
    return body


def preferences_json(user: User) -> dict[str, Any]:
    """Return the Preferences entity: a private account posts to its followers by default."""
    return {
        "posting:default:visibility": "private" if user.is_private else "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }


def push_subscription_json(subscription: ClientPushSubscription) -> dict[str, Any]:
    """Return the WebPushSubscription entity: where pushes go, which types, whose."""
    return {
        "id": str(subscription.pk),
        "endpoint": subscription.endpoint,
        "standard": subscription.standard,
        "alerts": {name: bool(subscription.alerts.get(name)) for name in ALERTS},
        "policy": subscription.policy,
        "server_key": subscription.server_key,
    }
