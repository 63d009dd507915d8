"""The flush job is queued at most once at a time, however many pages fill the buffer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from config.celery import app
from glimpse.accounts.models import User
from glimpse.insights import services
from glimpse.insights.buffer import SCHEDULED, MemoryBuffer, RedisBuffer, get_buffer
from glimpse.insights.models import ImpressionTally
from glimpse.insights.tasks import impressions_flush_job
from glimpse.posts.models import Post
from tests.insights.conftest import Run

pytestmark = pytest.mark.django_db

Queued = Callable[[], dict[str, list[str]]]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Iterator[Queued]:
    """Send jobs through Celery's routing but keep them here; return a reader of what was sent.

    Jobs stop where Celery hands a routed message to the broker, so this test's jobs never
    mix with another test worker's on a shared broker, and none of them ever runs: the
    reader takes what was sent (as a worker, or a broker that loses them, would) and returns
    the task names by queue.
    """
    sent: list[tuple[str, str]] = []

    def keep(producer: Any, name: str, message: Any, **options: Any) -> None:
        queue = options.get("queue")
        sent.append((queue.name if queue is not None else options["routing_key"], name))

    monkeypatch.setattr(app.amqp, "send_task_message", keep)

    def take() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for queue, name in sent:
            found.setdefault(queue, []).append(name)
        sent.clear()
        return found

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield take
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture
def post(ana: User, publish: Callable[..., Post]) -> Post:
    return publish(ana)


def record(run: Run, viewer: User, post: Post, pages: int) -> None:
    """Record ``pages`` page views of one post, each in a request of its own."""
    for _ in range(pages):
        run(lambda: services.impressions_record(viewer=viewer, post_ids=[post.pk], source="feed"))


def counted(post: Post) -> int:
    return sum(ImpressionTally.objects.filter(post=post).values_list("count", flat=True))


def test_a_thousand_impressions_queue_one_flush_job_on_the_bulk_queue(
    post: Post, bo: User, run: Run, queued: Queued, settings: Any
) -> None:
    settings.GLIMPSE_INSIGHTS_FLUSH_AT = 10
    record(run, bo, post, 1000)  # the buffer is full from the 10th on
    assert queued() == {settings.CELERY_TASK_DEFAULT_QUEUE: ["insights.flush"]}

    assert impressions_flush_job.apply().get() == 1000  # the worker runs the job
    assert counted(post) == 1000
    assert get_buffer().size() == 0

    record(run, bo, post, 30)  # the flush ran: the next full buffer queues one again
    assert queued() == {settings.CELERY_TASK_DEFAULT_QUEUE: ["insights.flush"]}


def test_a_lost_flush_job_is_made_up_for_by_the_periodic_flush(
    post: Post, bo: User, run: Run, queued: Queued, settings: Any
) -> None:
    settings.GLIMPSE_INSIGHTS_FLUSH_AT = 10
    record(run, bo, post, 10)
    assert queued() == {settings.CELERY_TASK_DEFAULT_QUEUE: ["insights.flush"]}  # then lost
    record(run, bo, post, 500)
    assert queued() == {}  # one is marked as queued: none more until it runs or the mark ends
    assert counted(post) == 0

    schedule = django_settings.CELERY_BEAT_SCHEDULE["insights-flush"]
    assert (schedule["task"], schedule["schedule"]) == ("insights.flush", 60.0)
    impressions_flush_job.apply()  # beat's run, a minute later at most
    assert counted(post) == 510
    record(run, bo, post, 10)
    assert queued() == {settings.CELERY_TASK_DEFAULT_QUEUE: ["insights.flush"]}


def test_the_mark_of_a_lost_job_expires() -> None:
    now = [100.0]
    buffer = MemoryBuffer(clock=lambda: now[0])
    assert buffer.flush_mark(300)
    now[0] += 299
    assert not buffer.flush_mark(300)
    now[0] += 1
    assert buffer.flush_mark(300)  # the job was lost: the next full buffer queues another
    buffer.flush_unmark()  # the job started
    assert buffer.flush_mark(300)


def test_the_redis_mark_is_set_once_and_expires(redis_url: str) -> None:
    buffer = RedisBuffer(redis_url)
    buffer.flush_unmark()
    try:
        assert buffer.flush_mark(300)
        assert not buffer.flush_mark(300)
        assert 0 < buffer.client.ttl(SCHEDULED) <= 300
        buffer.flush_unmark()
        assert buffer.flush_mark(300)
    finally:
        buffer.flush_unmark()


def test_in_process_every_full_buffer_is_flushed_in_turn(
    post: Post, bo: User, run: Run, settings: Any
) -> None:
    settings.GLIMPSE_INSIGHTS_FLUSH_AT = 5  # jobs run in-process, as on the embedded default
    record(run, bo, post, 5)
    assert counted(post) == 5
    record(run, bo, post, 5)  # the first flush cleared the mark: this one runs too
    assert counted(post) == 10
    assert get_buffer().size() == 0


def test_a_rolled_back_request_leaves_no_mark_behind(
    post: Post, bo: User, run: Run, queued: Queued, settings: Any
) -> None:
    settings.GLIMPSE_INSIGHTS_FLUSH_AT = 10

    def rolled_back() -> None:
        with transaction.atomic():
            services.impressions_record(viewer=bo, post_ids=[post.pk] * 10, source="feed")
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError):
        run(rolled_back)
    assert queued() == {}
    record(run, bo, post, 1)  # the views stay buffered; the next page queues the flush
    assert queued() == {settings.CELERY_TASK_DEFAULT_QUEUE: ["insights.flush"]}
