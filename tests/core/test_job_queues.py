"""Jobs are routed by name: what a person waits for never queues behind bulk work."""

from __future__ import annotations

import pytest
from django.conf import settings

from config.celery import app

# Jobs a person is waiting on: a new post in followers' feeds, a notification, a story in
# the tray, a push to a phone, an account back after its suspension, a scheduled post due.
INTERACTIVE = {
    "feeds.fan_out",
    "feeds.rebuild",
    "notifications.sync",
    "push.send",
    "mastodon.push_send",
    "mastodon.stream_post",
    "messages.push",
    "stories.announce",
    "moderation.end_suspensions",
    "posts.publish_scheduled",
}
BULK = {
    "feeds.explore_refresh",
    "feeds.explore_prepare",
    "insights.flush",
    "insights.rollup",
    "media.requeue_stuck",
    "media.delete_unattached",
    "stories.expire",
    "privacy.export_build",
    "privacy.exports_expire",
    "privacy.accounts_purge",
    "imports.run",
    "imports.sweep",
    "federation.deliveries_due",
}
# Delivery to other servers waits on their network: a queue of its own, so that it never
# holds up fan-out and bulk work never holds it up.
FEDERATION = {
    "federation.deliver",
    "federation.domain_block_apply",
    "federation.follow_send",
    "federation.followers_move",
    "federation.inbox_process",
    "federation.remote_avatar",
    "federation.reports_forward",
    "federation.send",
}


def project_tasks() -> set[str]:
    """Return the names of every job the project defines (Celery's and the tests' left out)."""
    app.loader.import_default_modules()
    return {name for name, task in app.tasks.items() if task.__module__.startswith("glimpse.")}


def queue_of(name: str) -> str:
    """Return the queue the router sends a job to, as a publisher would."""
    return str(app.amqp.router.route({}, name)["queue"].name)


def test_every_job_is_routed_by_name() -> None:
    tasks = project_tasks()
    assert tasks == INTERACTIVE | BULK | FEDERATION | {"media.process"}  # a new job: route it
    assert tasks <= set(settings.CELERY_TASK_ROUTES)


@pytest.mark.parametrize("name", sorted(INTERACTIVE))
def test_jobs_a_person_waits_for_go_to_the_interactive_queue(name: str) -> None:
    assert queue_of(name) == settings.GLIMPSE_CELERY_INTERACTIVE_QUEUE


@pytest.mark.parametrize("name", sorted(BULK))
def test_bulk_jobs_never_go_to_the_interactive_queue(name: str) -> None:
    assert queue_of(name) == settings.CELERY_TASK_DEFAULT_QUEUE


def test_media_processing_has_a_queue_of_its_own() -> None:
    assert queue_of("media.process") == settings.GLIMPSE_CELERY_MEDIA_QUEUE
    assert queue_of("some.unknown_job") == settings.CELERY_TASK_DEFAULT_QUEUE  # never interactive


@pytest.mark.parametrize("name", sorted(FEDERATION))
def test_delivery_has_a_queue_of_its_own(name: str) -> None:
    assert queue_of(name) == settings.GLIMPSE_CELERY_FEDERATION_QUEUE


def test_the_periodic_delivery_job_is_scheduled() -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "federation.deliveries_due" in tasks


def test_a_worker_started_without_queues_consumes_them_all() -> None:
    assert set(app.amqp.queues) == {
        settings.CELERY_TASK_DEFAULT_QUEUE,
        settings.GLIMPSE_CELERY_INTERACTIVE_QUEUE,
        settings.GLIMPSE_CELERY_MEDIA_QUEUE,
        settings.GLIMPSE_CELERY_FEDERATION_QUEUE,
    }
