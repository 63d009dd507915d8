"""Web Push in the API: the server's key, and the devices that receive the viewer's pushes.

The router is mounted at the API's root; every path is under ``push``. A browser subscribes
with the key of ``GET /push/key`` and posts its ``PushSubscription`` here; the web settings
page does just that with the session.
"""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson
from glimpse.push import selectors, services
from glimpse.push.keys import server_key
from glimpse.push.presenters import PushSubscriptionJson, push_subscription_json
from glimpse.push.schemas import (
    EndpointIn,
    ServerKeyOut,
    SubscriptionIn,
    SubscriptionListOut,
    SubscriptionOut,
)

router = Router(tags=["push"], auth=api_auth)


class ServerKeyJson(TypedDict):
    public_key: str


@router.get("/push/key", response={200: ServerKeyOut, **errors(401)}, url_name="push_key")
def key(request: HttpRequest) -> ServerKeyJson:
    """The server's VAPID public key, to subscribe a browser with."""
    request_user(request)
    return {"public_key": server_key().public_key}


@router.get(
    "/push/subscriptions",
    response={200: SubscriptionListOut, **errors(401)},
    url_name="push_subscriptions",
)
def subscriptions(request: HttpRequest) -> PageJson[PushSubscriptionJson]:
    """The viewer's devices that receive push notifications, newest first."""
    found = selectors.push_subscriptions_of(user=request_user(request))
    return {"items": [push_subscription_json(row) for row in found], "next_max_id": None}


@router.post(
    "/push/subscriptions",
    response={201: SubscriptionOut, **errors(401, 422)},
    url_name="push_subscribe",
)
def subscribe(request: HttpRequest, payload: SubscriptionIn) -> Status[PushSubscriptionJson]:
    """Push the viewer's notifications to this browser (saving it again renews its keys)."""
    subscription = services.push_subscription_save(
        user=request_user(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, push_subscription_json(subscription))


@router.delete(
    "/push/subscriptions/{subscription_id}",
    response={204: None, **errors(401, 404)},
    url_name="push_unsubscribe",
)
def unsubscribe(request: HttpRequest, subscription_id: int) -> Status[None]:
    """Stop pushing to one of the viewer's devices."""
    services.push_subscription_delete(user=request_user(request), subscription_id=subscription_id)
    return Status(204, None)


@router.post(
    "/push/unsubscribe",
    response={204: None, **errors(401, 422)},
    url_name="push_unsubscribe_endpoint",
)
def unsubscribe_endpoint(request: HttpRequest, payload: EndpointIn) -> Status[None]:
    """Stop pushing to the browser of this endpoint, if it is the viewer's (204 either way)."""
    services.push_subscription_forget(user=request_user(request), endpoint=payload.endpoint)
    return Status(204, None)
