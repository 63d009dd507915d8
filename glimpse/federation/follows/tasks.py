"""Follows' background job: a thin wrapper that takes ids and calls the services."""

from __future__ import annotations

from celery import shared_task

from glimpse.accounts.models import User
from glimpse.core.jobs import Job
from glimpse.federation.follows import services


@shared_task(name="federation.follow_send", base=Job, acks_late=True)
def federation_follow_send(kind: str, follower_id: int, followee_id: int) -> None:
    """Send a follow's activity: ``follow``, ``undo``, ``accept`` or ``reject``."""
    accounts = User.objects.in_bulk([follower_id, followee_id])
    follower, followee = accounts.get(follower_id), accounts.get(followee_id)
    if follower is None or followee is None:
        return  # an account was deleted since: its deletion tells its followers
    if kind == "follow":
        services.follow_send(follower=follower, followee=followee)
    elif kind == "undo":
        services.follow_undo_send(follower=follower, followee=followee)
    else:
        services.follow_answer_send(follower=follower, followee=followee, accepted=kind == "accept")
