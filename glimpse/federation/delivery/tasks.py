"""Delivery's background jobs: thin wrappers that take ids and call the services."""

from __future__ import annotations

from celery import shared_task

from glimpse.federation.delivery import services


@shared_task(name="federation.deliver", acks_late=True)
def federation_deliver(delivery_id: int) -> str:
    """Try one delivery if it is due (idempotent: a duplicate finds it sent or in hand)."""
    return services.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="federation.deliveries_due")
def federation_deliveries_due() -> int:
    """Queue again the deliveries due whose job was lost; count what waits."""
    return services.deliveries_requeue_due()
