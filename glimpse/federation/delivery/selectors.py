"""Reads of delivery's rows: what waits, what is due, which servers are down."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from glimpse.federation.models import Delivery, DeliveryState, RemoteServer

WAITING = (DeliveryState.PENDING, DeliveryState.SENDING)


def deliveries_waiting_count() -> int:
    """Return how many deliveries wait to be sent or are being sent."""
    return Delivery.objects.filter(state__in=WAITING).count()


def servers_down_count() -> int:
    """Return how many remote servers are marked down."""
    return RemoteServer.objects.filter(down_since__isnull=False).count()


def deliveries_unattended(*, now: datetime) -> QuerySet[Delivery]:
    """Return the deliveries due by ``now`` that no job has in hand: their job never ran
    (lost with a worker, or never queued for a long wait) or died while sending."""
    return Delivery.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lte=now),
        state__in=WAITING,
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at")


def deliveries_waiting_for(*, domain: str) -> QuerySet[Delivery]:
    """Return the pending deliveries to one server."""
    return Delivery.objects.filter(domain=domain, state=DeliveryState.PENDING)
