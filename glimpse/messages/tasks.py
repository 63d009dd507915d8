"""Direct messages' jobs: they take ids; running one twice pushes the same message in place."""

from __future__ import annotations

from celery import shared_task

from glimpse.messages import push


@shared_task(name="messages.push")
def message_push_job(recipient_id: int, message_id: int) -> int:
    """Push a message to a member's devices when no page of theirs is open."""
    return push.message_push(recipient_id=recipient_id, message_id=message_id)
