"""Media processing runs from a queue of its own, which a plain worker also consumes."""

from __future__ import annotations

from django.conf import settings

from config.celery import app


def test_media_processing_is_routed_to_its_own_queue() -> None:
    route = app.amqp.router.route({}, "media.process")
    assert route["queue"].name == settings.GLIMPSE_CELERY_MEDIA_QUEUE
    assert (
        app.amqp.router.route({}, "feeds.fan_out")["queue"].name
        == settings.CELERY_TASK_DEFAULT_QUEUE
    )


def test_a_worker_started_without_queues_consumes_both() -> None:
    assert set(app.amqp.queues) == {
        settings.CELERY_TASK_DEFAULT_QUEUE,
        settings.GLIMPSE_CELERY_MEDIA_QUEUE,
    }
