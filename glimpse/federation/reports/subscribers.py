"""Hear of reports their reporters asked to send to another server, and queue the ``Flag``."""

from __future__ import annotations

from glimpse.core import event_bus, events
from glimpse.core.jobs import enqueue
from glimpse.federation.reports.tasks import federation_reports_forward
from glimpse.federation.switch import federation_enabled


def subscribe_reports() -> None:
    """Subscribe to forwarded reports (called from the app's ``ready``)."""
    event_bus.subscribe(events.ReportsForwarded, reports_forwarded)


def reports_forwarded(event: events.ReportsForwarded) -> None:
    """Queue the ``Flag`` of reports of an account of another server."""
    if federation_enabled():
        enqueue(federation_reports_forward, list(event.report_ids))
