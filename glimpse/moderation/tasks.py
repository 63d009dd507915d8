"""Moderation jobs: thin wrappers, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from glimpse.moderation import services


@shared_task(name="moderation.end_suspensions")
def end_suspensions() -> int:
    """Make active again the accounts whose suspension has ended (run every minute by beat)."""
    return services.suspensions_end()
