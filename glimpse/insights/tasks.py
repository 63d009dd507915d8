"""Insights jobs: thin wrappers that call the services; each is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from glimpse.insights import rollup, services


@shared_task(name="insights.flush")
def impressions_flush_job() -> int:
    """Count the buffered impressions into the database, then roll up a finished day if due.

    Beat runs it every minute; between runs it is queued when the buffer fills, at most one
    at a time. Without Celery beat (the embedded default) this job is also what rolls the
    days up; with beat the hourly job does it too.
    """
    counted = services.impressions_flush()
    if rollup.rollups_due():
        rollup.insights_rollup()
    return counted


@shared_task(name="insights.rollup")
def insights_rollup_job() -> int:
    """Roll up the finished days not rolled up yet (runs hourly; works once a night)."""
    return len(rollup.insights_rollup())
