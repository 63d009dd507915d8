"""Error reporting to Sentry, on when ``SENTRY_DSN`` is set (the settings call it last)."""

from __future__ import annotations

import os

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

from glimpse.core.request_id import REQUEST_ID


def sentry_init(*, environment: str) -> None:
    """Start reporting errors of requests and jobs to Sentry when SENTRY_DSN is set."""
    dsn = os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No personal data (user ids, addresses, cookies): that is the SDK's behaviour when
        # send_default_pii is left unset; setting it, even to False, is deprecated in 2.7x.
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        before_send=tag_request_id,
    )


def tag_request_id(event: Event, hint: Hint) -> Event:
    """Tag an error event with the id of the request (or the job's request) it happened in."""
    request_id = REQUEST_ID.get()
    if request_id is not None:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
