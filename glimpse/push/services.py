"""Every write to push subscriptions: a device subscribes, unsubscribes, or all are dropped.

A browser's subscription names the URL its push service gives it (``endpoint``) and the
keys pushes are encrypted to. The endpoint is a URL our workers will post to, so it must
belong to a known push service (``GLIMPSE_PUSH_SERVICES``); anything else is refused.
"""

from __future__ import annotations

import fnmatch
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.push.keys import b64url_decode, server_key
from glimpse.push.models import PushSubscription

MISSING_SUBSCRIPTION = "No push subscription with this id."
ENDPOINT_MAX = 1024
P256DH_BYTES = 65
AUTH_BYTES = 16


def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Record (or renew) a browser's subscription for the user; return it.

    An endpoint belongs to one browser: saved again, it gets the new keys, and the account
    signed in there now (a browser shared by two accounts pushes to the last one only).
    Past ``GLIMPSE_PUSH_DEVICES_MAX`` devices, the user's oldest are dropped.
    """
    fields = subscription_problems(endpoint=endpoint, p256dh=p256dh, auth=auth)
    if fields:
        raise InvalidInput(fields=fields)
    values = {
        "user": user,
        "p256dh": p256dh.rstrip("="),
        "auth": auth.rstrip("="),
        "server_key": server_key().public_key,
        "device": device_label(user_agent),
        "failures": 0,
    }
    with transaction.atomic():
        subscription, _ = PushSubscription.objects.select_for_update().update_or_create(
            endpoint=endpoint, defaults=values
        )
        kept = PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")
        extra = list(kept.values_list("pk", flat=True)[settings.GLIMPSE_PUSH_DEVICES_MAX :])
        PushSubscription.objects.filter(pk__in=extra).exclude(pk=subscription.pk).delete()
    return subscription


def push_subscription_delete(*, user: User, subscription_id: int) -> None:
    """Stop pushing to one of the user's devices (raise NotFound if it is not theirs)."""
    deleted, _ = PushSubscription.objects.filter(user=user, pk=subscription_id).delete()
    if not deleted:
        raise NotFound(MISSING_SUBSCRIPTION)


def push_subscription_forget(*, user: User, endpoint: str) -> int:
    """Stop pushing to the user's device of this endpoint, if any; count what was dropped.

    A browser unsubscribing knows its endpoint, not our id; forgetting twice is no error.
    """
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted


def push_subscriptions_delete_all(*, user: User) -> int:
    """Stop pushing to every device of the user; count them."""
    deleted, _ = PushSubscription.objects.filter(user=user).delete()
    return deleted


def endpoint_allowed(endpoint: str) -> bool:
    """Tell whether an endpoint is a URL of a known push service (``GLIMPSE_PUSH_SERVICES``).

    An entry names a scheme and a host, ``*.`` standing for any subdomain, and a port only
    if it must match (without one, the scheme's usual port or any other is taken).
    """
    try:
        url = urlsplit(endpoint)
        port = url.port
    except ValueError:
        return False
    if url.username or url.password or not url.hostname:
        return False
    for entry in settings.GLIMPSE_PUSH_SERVICES:
        allowed = urlsplit(entry)
        if allowed.scheme != url.scheme or not allowed.hostname:
            continue
        if allowed.port is not None and allowed.port != port:
            continue
        if fnmatch.fnmatchcase(url.hostname, allowed.hostname):
            return True
    return False


def device_label(user_agent: str) -> str:
    """Name a device from its User-Agent, as the settings list it: "Chrome on Android"."""
    browsers = (
        ("Edg/", "Edge"),
        ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    )
    systems = (
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    )
    browser = next((name for mark, name in browsers if mark in user_agent), "A browser")
    system = next((name for mark, name in systems if mark in user_agent), "")
    return f"{browser} on {system}" if system else browser


def subscription_problems(*, endpoint: str, p256dh: str, auth: str) -> dict[str, list[str]]:
    """Return what is wrong with a subscription, by field (nothing when it is right)."""
    fields: dict[str, list[str]] = {}
    if len(endpoint) > ENDPOINT_MAX or not endpoint_allowed(endpoint):
        fields["endpoint"] = ["Give the endpoint of a known push service."]
    try:
        point = b64url_decode(p256dh)
        if len(point) != P256DH_BYTES:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        fields["p256dh"] = ["Give the browser's P-256 public key (base64url, 65 bytes)."]
    try:
        if len(b64url_decode(auth)) != AUTH_BYTES:
            raise ValueError("not 16 bytes")
    except ValueError:
        fields["auth"] = ["Give the subscription's authentication secret (base64url, 16 bytes)."]
    return fields
