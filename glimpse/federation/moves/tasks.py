"""Moves' background job: a thin wrapper that takes ids and calls the service."""

from __future__ import annotations

from celery import shared_task

from glimpse.accounts.models import User
from glimpse.core.jobs import Job
from glimpse.federation.moves.carry import followers_move


@shared_task(name="federation.followers_move", base=Job, acks_late=True)
def federation_followers_move(old_id: int, new_id: int) -> int:
    """Carry the local followers, blocks and mutes of an account that moved to its new one."""
    accounts = User.objects.in_bulk([old_id, new_id])
    old, new = accounts.get(old_id), accounts.get(new_id)
    if old is None or new is None or old.moved_to_id != new.pk:
        return 0  # deleted since, or moved elsewhere since: that move carries them
    return followers_move(old=old, new=new)
