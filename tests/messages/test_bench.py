"""The benchmark of direct messages, run tiny so that it cannot rot: 20 sockets for 2 seconds
on the ASGI application served by uvicorn on 127.0.0.1, the data made by its own step."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from bench.messages_load import getter, load
from bench.messages_steps import prepare
from glimpse.realtime.buffers import get_buffer
from glimpse.realtime.presence import get_presence
from glimpse.realtime.slots import get_slots


@pytest.fixture
def served(settings: Any, transactional_db: None) -> Iterator[str]:
    """Serve the ASGI application on a free local port; yield its URL."""
    from config.asgi import application

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    for cached in (get_buffer, get_slots, get_presence):
        cached.cache_clear()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the ASGI server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_the_benchmark_runs_tiny_and_every_message_arrives(served: str) -> None:
    plan = prepare(accounts=20, group_size=8, groups=2, prefix="tiny")
    assert len(plan["conversations"]) == 12  # 10 one-to-ones and 2 groups of 8
    for path in ("inbox_path", "page_path"):
        getter(served, plan[path], plan["viewer_token"], times=2)()
    getter(served, "/healthz", times=2)()

    # A busy machine may be slow to deliver, never lose: the wait ends once all arrived.
    figures = asyncio.run(load(served, plan, sockets=20, rate=10, seconds=2, drain_seconds=60))

    assert figures["sockets"] == 20
    assert figures["messages"] == 20
    # 20 sends over 12 conversations in turn (groups 6th and 12th): 3 reach a group of 8
    # (7 others each), 17 one other.
    assert figures["deliveries"] == 3 * 7 + 17
    assert figures["missing"] == 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] < float("inf")
