"""The background job of remote accounts: a thin wrapper that takes an id."""

from __future__ import annotations

from celery import shared_task

from glimpse.core.jobs import Job
from glimpse.federation.remote.avatars import remote_avatar_refresh


@shared_task(name="federation.remote_avatar", base=Job, acks_late=True)
def federation_remote_avatar(user_id: int) -> str:
    """Bring a remote account's avatar in line with its actor's icon (idempotent)."""
    return remote_avatar_refresh(user_id=user_id)
