"""Instance moderation's job: a thin wrapper that takes a domain and calls the service."""

from __future__ import annotations

from celery import shared_task

from glimpse.core.jobs import Job
from glimpse.federation.domain_blocks import services


@shared_task(name="federation.domain_block_apply", base=Job, acks_late=True)
def federation_domain_block_apply(domain: str) -> tuple[int, int, int]:
    """Bring a domain's accounts in line with its blocks (idempotent)."""
    return services.domain_block_apply(domain=domain)
