"""Presence marks: open sockets mark their account, and broadcasts reach only those."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from glimpse.accounts.services import token_create
from glimpse.realtime import sockets
from glimpse.realtime.presence import MemoryPresence, Presence, RedisPresence, get_presence
from tests.realtime.conftest import open_ready, socket


@pytest.fixture(params=["memory", "redis"])
def presence(request: pytest.FixtureRequest) -> Iterator[Presence]:
    """Each kind of presence, the Redis one under a key of this test's own."""
    if request.param == "memory":
        yield MemoryPresence()
        return
    url = request.getfixturevalue("redis_url")
    kept = RedisPresence(url, key=f"test:present:{uuid.uuid4().hex}")
    yield kept
    kept.client.delete(kept.key)


def test_marked_accounts_are_present_in_the_order_given(presence: Presence) -> None:
    presence.mark(30)
    presence.mark(10)
    assert presence.present([10, 20, 30]) == [10, 30]
    assert presence.present([]) == []


def test_a_mark_runs_out(presence: Presence, settings: Any) -> None:
    settings.GLIMPSE_REALTIME_PRESENCE_SECONDS = 0
    presence.mark(10)
    assert presence.present([10]) == []
    settings.GLIMPSE_REALTIME_PRESENCE_SECONDS = 60
    presence.mark(10)
    assert presence.present([10]) == [10]


@pytest.mark.django_db(transaction=True)
def test_an_open_socket_marks_its_account_present(make_user: Any) -> None:
    get_presence.cache_clear()
    ana, bo = make_user("ana"), make_user("bo")
    _, secret = token_create(user=ana, name="phone")

    async def connect() -> None:
        communicator = socket(f"token={secret}", origin=None)
        await open_ready(communicator)
        await communicator.disconnect()

    assert get_presence().present([ana.pk]) == []
    async_to_sync(connect)()
    assert get_presence().present([ana.pk, bo.pk]) == [ana.pk]


def test_a_broadcast_reaches_only_present_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    here = MemoryPresence()
    here.mark(1)
    here.mark(3)
    sent: list[tuple[int, str, dict[str, Any]]] = []
    monkeypatch.setattr(sockets, "get_presence", lambda: here)
    monkeypatch.setattr(sockets, "publish_now", lambda *event: sent.append(event))
    told = sockets.publish_to_present([1, 2, 3], "feed.new_posts", {"entry_id": "9"})
    assert told == 2
    assert sent == [
        (1, "feed.new_posts", {"entry_id": "9"}),
        (3, "feed.new_posts", {"entry_id": "9"}),
    ]
