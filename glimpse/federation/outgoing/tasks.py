"""Outgoing's background job: a thin wrapper that takes a sender's name and ids."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from glimpse.core.jobs import Job
from glimpse.federation.outgoing.senders import SENDERS


@shared_task(name="federation.send", base=Job, acks_late=True)
def federation_send(sender: str, fields: dict[str, Any]) -> int:
    """Build one activity and record its deliveries; return how many inboxes it goes to.

    Run twice, it records the same activity twice: the second copy carries the same id,
    which servers act on once.
    """
    return SENDERS[sender](**fields)
