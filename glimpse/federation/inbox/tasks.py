"""The inbox's background job: a thin wrapper that takes an id and calls the service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from glimpse.core.jobs import Job
from glimpse.federation.inbox import process

# A failure that may pass is tried again after 1, 2, 4, 8, 16 and 32 minutes, then given up.
RETRIES = 6


@shared_task(name="federation.inbox_process", base=Job, bind=True, acks_late=True)
def federation_inbox_process(self: Any, inbox_activity_id: int) -> str:
    """Act on one received activity (idempotent: a processed one is left as it is)."""
    try:
        return process.inbox_activity_process(inbox_activity_id=inbox_activity_id)
    except process.TryLater as error:
        if self.request.retries >= RETRIES or self.request.is_eager:
            process.inbox_activity_give_up(inbox_activity_id=inbox_activity_id, reason=str(error))
            return "failed"
        raise self.retry(countdown=60 * 2**self.request.retries) from error
