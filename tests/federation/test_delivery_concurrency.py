"""Two periodic delivery jobs running at the same moment, on PostgreSQL (whose row locks they
rely on): each lost delivery is queued again by exactly one of them, never by both."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.core import clock
from glimpse.federation.delivery import services
from glimpse.federation.models import Delivery, DeliveryState, OutgoingActivity
from tests.threads import run_at_once, skip_locked_only, writable_by_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    skip_locked_only,
]

RUNS = 4
LOST = 120


def test_runs_at_once_queue_each_lost_delivery_once(
    make_user: Callable[..., User],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    settings.GLIMPSE_FEDERATION = True
    settings.GLIMPSE_SITE_URL = "https://alpha.test"
    ana = make_user("ana")
    now = datetime.fromtimestamp(clock.now(), tz=UTC)
    activity = OutgoingActivity.objects.create(actor=ana, body="{}", created_at=now)
    # Deliveries whose jobs were lost: due a while ago, in no job's hands.
    Delivery.objects.bulk_create(
        Delivery(
            activity=activity,
            inbox=f"https://server{n}.test/inbox",
            domain=f"server{n}.test",
            state=DeliveryState.PENDING,
            next_attempt_at=now - timedelta(minutes=10),
            created_at=now - timedelta(minutes=20),
        )
        for n in range(LOST)
    )
    queued: list[int] = []
    lock = threading.Lock()

    def record(task: Any, delivery_id: int) -> None:
        with lock:
            queued.append(delivery_id)

    monkeypatch.setattr(services, "enqueue", record)
    # Each run holds its rows a moment before it commits, so that the runs overlap.
    wake = services._wake_on_commit

    def slow_wake(delivery_id: int | None, *, countdown: float) -> None:
        time.sleep(0.01)
        wake(delivery_id, countdown=countdown)

    monkeypatch.setattr(services, "_wake_on_commit", slow_wake)
    with writable_by_threads(tmp_path) as use:
        counts = run_at_once([services.deliveries_requeue_due] * RUNS, use=use)
    assert sum(counts) == LOST
    assert sorted(queued) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(set(queued)) == LOST
    # Every one is leased now: a run after them finds nothing more to queue.
    assert services.deliveries_requeue_due() == 0
