"""``/api/v1/push/subscription``: an app's token subscribes to pushes of its notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.mastodon.auth import TokenAuth, request_credential
from glimpse.mastodon.errors import MastodonError
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.presenters import push_subscription_json
from glimpse.mastodon.push import selectors, services
from glimpse.mastodon.schemas import PushCreateIn, PushSubscriptionOut, PushUpdateIn

router = Router(tags=["push"])
PATH = "/push/subscription"
MISSING = "Record not found"


@router.post(PATH, response=PushSubscriptionOut, auth=TokenAuth("push"))
def push_subscribe(request: HttpRequest) -> dict[str, Any]:
    """Subscribe the token to pushes (replacing its earlier subscription)."""
    data = PushCreateIn.model_validate(request_fields(request))
    subscription = services.client_push_subscribe(
        credential=request_credential(request),
        endpoint=data.subscription.endpoint,
        p256dh=data.subscription.keys.p256dh,
        auth=data.subscription.keys.auth,
        standard=data.subscription.standard,
        alerts=data.data.alerts or {},
        policy=data.data.policy or "all",
    )
    return push_subscription_json(subscription)


@router.get(PATH, response=PushSubscriptionOut, auth=TokenAuth("push"))
def push_subscription(request: HttpRequest) -> dict[str, Any]:
    """Return the token's push subscription (404 when it has none)."""
    return push_subscription_json(_current(request))


@router.put(PATH, response=PushSubscriptionOut, auth=TokenAuth("push"))
def push_update(request: HttpRequest) -> dict[str, Any]:
    """Change which notification types are pushed, and whose."""
    data = PushUpdateIn.model_validate(request_fields(request))
    subscription = services.client_push_update(
        subscription=_current(request),
        alerts=data.data.alerts,
        policy=data.data.policy or data.policy,
    )
    return push_subscription_json(subscription)


@router.delete(PATH, auth=TokenAuth("push"))
def push_unsubscribe(request: HttpRequest) -> dict[str, Any]:
    """End the token's push subscription."""
    services.client_push_unsubscribe(credential=request_credential(request))
    return {}


def _current(request: HttpRequest) -> Any:
    found = selectors.client_push_get(credential=request_credential(request))
    if found is None:
        raise MastodonError(404, MISSING)
    return found
