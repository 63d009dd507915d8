"""Reports' background job: a thin wrapper that takes ids and calls the service."""

from __future__ import annotations

from celery import shared_task

from glimpse.core.jobs import Job
from glimpse.federation.reports import services


@shared_task(name="federation.reports_forward", base=Job, acks_late=True)
def federation_reports_forward(report_ids: list[int]) -> None:
    """Send reports of an account of another server to its server, as one ``Flag``."""
    services.reports_forward(report_ids=report_ids)
