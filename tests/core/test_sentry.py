"""Sentry: on only with SENTRY_DSN; errors of requests and jobs reported with their request id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from celery import shared_task
from django.conf import LazySettings
from django.test import Client
from sentry_sdk.envelope import Envelope
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport
from sentry_sdk.types import Event

from glimpse.core.request_id import REQUEST_ID
from glimpse.core.sentry import sentry_init

# Port 9 (discard) on this machine: even a stray event would go nowhere.
TEST_DSN = "http://public@127.0.0.1:9/1"


class CollectingTransport(Transport):
    """Keep every envelope instead of sending it."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[Event]:
        return [event for e in self.envelopes if (event := e.get_event()) is not None]


@shared_task(name="tests.sentry.fail")
def failing_job() -> None:
    """A job that fails the way a bug does."""
    raise ValueError("a deliberate job failure")


@pytest.fixture
def sentry(monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectingTransport]:
    """Start Sentry the way the settings do, with a transport that keeps the envelopes."""
    monkeypatch.setenv("SENTRY_DSN", TEST_DSN)
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "0.25")
    sentry_init(environment="staging")
    client = sentry_sdk.get_client()
    assert client.transport is not None
    client.transport.kill()
    transport = CollectingTransport(client.options)
    client.transport = transport
    yield transport
    # Back to no Sentry at all, for the tests that follow in this process.
    client.close()
    sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()


def exceptions_of(event: Event) -> list[str]:
    return [value["type"] for value in event.get("exception", {}).get("values", [])]


def test_sentry_stays_off_without_a_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    sentry_init(environment="production")
    assert not sentry_sdk.get_client().is_active()


def test_sentry_is_configured_from_the_environment(sentry: CollectingTransport) -> None:
    client = sentry_sdk.get_client()
    assert client.is_active()
    assert client.options["environment"] == "staging"
    assert client.should_send_default_pii() is False
    assert client.options["traces_sample_rate"] == 0.25
    assert client.get_integration(DjangoIntegration) is not None
    assert client.get_integration(CeleryIntegration) is not None


@pytest.mark.django_db
def test_a_server_error_is_reported_with_its_request_id(
    sentry: CollectingTransport, settings: LazySettings
) -> None:
    settings.ROOT_URLCONF = "tests.core.urls_for_errors"
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-secret-session"
    response = client.get("/fail/12", HTTP_X_REQUEST_ID="err-req-42")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "err-req-42"
    assert client.get("/healthz").status_code == 200  # a fine request reports nothing

    reported = [event for event in sentry.events() if "RuntimeError" in exceptions_of(event)]
    assert reported, "no error event was captured"
    for event in reported:
        assert event["tags"]["request_id"] == "err-req-42"
        assert event["environment"] == "staging"
        assert "cookies" not in event.get("request", {})  # no personal data sent
        assert event["exception"]["values"][-1]["value"] == "a deliberate failure"


@pytest.mark.django_db
def test_a_failing_job_is_reported_with_the_request_id_it_ran_under(
    sentry: CollectingTransport,
) -> None:
    token = REQUEST_ID.set("job-req-9")
    try:
        with pytest.raises(ValueError, match="deliberate"):
            failing_job.delay()
    finally:
        REQUEST_ID.reset(token)
    reported = [event for event in sentry.events() if "ValueError" in exceptions_of(event)]
    assert reported, "no error event was captured"
    assert all(event["tags"]["request_id"] == "job-req-9" for event in reported)
