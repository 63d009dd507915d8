"""Send one encrypted, signed push to one browser's push service (RFC 8030, 8291, 8292).

pywebpush encrypts the message to the browser's keys (aes128gcm) and signs a VAPID token
with the server's key; this module adds what a server posting to URLs given by its users
needs: only known push services (checked again here, the settings may have changed since
the subscription was saved), no redirects followed, a timeout, and an outcome instead of
an exception.
"""

from __future__ import annotations

import enum
import logging
from email.utils import parseaddr
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from glimpse.push.keys import ServerKey
from glimpse.push.services import endpoint_allowed

logger = logging.getLogger(__name__)

GONE_STATUSES = frozenset({404, 410})  # the browser unsubscribed, or the service forgot it


# The standard encryption of RFC 8291, and the draft one older clients of the Mastodon API ask for.
Encoding = Literal["aes128gcm", "aesgcm"]


class PushTarget(Protocol):
    """Where a push goes: a push service's URL and the keys of the device behind it."""

    endpoint: str
    p256dh: str
    auth: str


class Outcome(enum.Enum):
    """What became of one push."""

    DELIVERED = "delivered"  # the push service took it
    GONE = "gone"  # the subscription is no more: forget it
    FAILED = "failed"  # refused or unreachable this time


class _NoRedirects(requests.Session):
    """A session that never follows a redirect: a push service answers, it never sends on."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


def push_send(
    *,
    subscription: PushTarget,
    data: bytes,
    key: ServerKey,
    topic: str = "",
    encoding: Encoding = "aes128gcm",
) -> Outcome:
    """Send ``data`` to one subscription, encrypted with ``encoding``; return what became of
    it."""
    if not endpoint_allowed(subscription.endpoint):
        return Outcome.GONE
    headers = {"Urgency": "normal"}
    if topic:
        headers["Topic"] = topic  # an undelivered push of the same topic is replaced
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    with _NoRedirects() as session:
        try:
            webpush(
                info,
                data=data.decode(),
                vapid_private_key=Vapid02(private_key=key.private),
                vapid_claims={"sub": vapid_contact()},
                content_encoding=encoding,
                ttl=settings.GLIMPSE_PUSH_TTL,
                timeout=settings.GLIMPSE_PUSH_TIMEOUT,
                headers=headers,
                requests_session=session,
            )
        except WebPushException as error:
            status = error.status_code
            if status in GONE_STATUSES:
                return Outcome.GONE
            logger.warning("push to %s refused: %s", _host(subscription.endpoint), status)
            return Outcome.FAILED
        except requests.RequestException as error:
            logger.warning("push to %s failed: %s", _host(subscription.endpoint), error)
            return Outcome.FAILED
    return Outcome.DELIVERED


def vapid_contact() -> str:
    """Return the contact push services are given (the VAPID ``sub`` claim).

    ``GLIMPSE_PUSH_CONTACT`` when set; else the site's address when it is https (push
    services refuse plain http); else the address the site's mail is sent from.
    """
    if settings.GLIMPSE_PUSH_CONTACT:
        return settings.GLIMPSE_PUSH_CONTACT
    site = urlsplit(settings.GLIMPSE_SITE_URL)
    if site.scheme == "https" and site.hostname:
        return f"https://{site.netloc}"
    return f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


def _host(endpoint: str) -> str:
    """Return the host of an endpoint: logs name the push service, never the device's URL."""
    return urlsplit(endpoint).hostname or "?"
