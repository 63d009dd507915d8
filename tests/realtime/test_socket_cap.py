"""Open sockets per account are capped; a socket that dies without closing frees its slot."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from glimpse.accounts.services import token_create
from glimpse.realtime.consumers import CLOSE_TOO_MANY_SOCKETS
from glimpse.realtime.slots import MemorySlots, RedisSlots, Slots, get_slots
from tests.realtime.conftest import open_ready, socket


@pytest.fixture(params=["memory", "redis"])
def slots(request: pytest.FixtureRequest, redis_url: str) -> Iterator[Slots]:
    """Each kind of slot store, the Redis one under a prefix of this test's own."""
    if request.param == "memory":
        yield MemorySlots()
        return
    prefix = f"test:sockets:{uuid.uuid4().hex}:"
    kept = RedisSlots(redis_url, prefix=prefix)
    yield kept
    kept.client.delete(*[kept.key(pk) for pk in (1, 2)])


def test_an_account_holds_at_most_the_cap(slots: Slots, settings: Any) -> None:
    settings.GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT = 3
    assert [slots.take(1, f"s{i}") for i in range(4)] == [True, True, True, False]
    assert slots.take(1, "s0")  # a socket that holds a slot keeps it
    assert slots.count(1) == 3
    assert slots.take(2, "other")  # another account has slots of its own
    slots.give_back(1, "s1")
    assert slots.take(1, "s3")
    assert slots.count(1) == 3


def test_the_slot_of_a_socket_that_never_closed_runs_out(slots: Slots, settings: Any) -> None:
    settings.GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT = 2
    settings.GLIMPSE_REALTIME_PRESENCE_SECONDS = 0  # the dead server's marks end at once
    assert slots.take(1, "dead-1")
    assert slots.take(1, "dead-2")
    settings.GLIMPSE_REALTIME_PRESENCE_SECONDS = 60
    assert slots.count(1) == 0
    assert slots.take(1, "alive-1")
    assert slots.take(1, "alive-2")
    assert not slots.take(1, "alive-3")
    slots.renew(1, "alive-1")  # renewed while open: still held
    assert slots.count(1) == 2


@pytest.mark.django_db(transaction=True)
def test_the_twenty_first_socket_is_refused_with_a_code_and_a_reason(make_user: Any) -> None:
    ana, bo = make_user("ana"), make_user("bo")
    _, secret = token_create(user=ana, name="phone")
    _, other = token_create(user=bo, name="phone")

    async def scenario() -> dict[str, Any]:
        opened = [socket(f"token={secret}", origin=None) for _ in range(20)]
        for communicator in opened:
            await open_ready(communicator)
        extra = socket(f"token={secret}", origin=None)
        connected, _ = await extra.connect(timeout=5)
        told = await extra.receive_json_from(timeout=5)
        closing = await extra.receive_output(timeout=5)
        theirs = socket(f"token={other}", origin=None)
        await open_ready(theirs)  # another account is not concerned
        held = get_slots().count(ana.pk)
        await opened[0].disconnect()  # one closes: its slot is free again
        again = socket(f"token={secret}", origin=None)
        await open_ready(again)
        for communicator in [*opened[1:], theirs, again]:
            await communicator.disconnect()
        return {
            "connected": connected,
            "told": told,
            "closing": closing,
            "held": held,
            "left": get_slots().count(ana.pk),
        }

    seen = async_to_sync(scenario)()
    assert seen["connected"]
    assert seen["told"]["kind"] == "error"
    assert seen["told"]["data"]["code"] == "too_many_sockets"
    assert seen["closing"]["type"] == "websocket.close"
    assert seen["closing"]["code"] == CLOSE_TOO_MANY_SOCKETS == 4429
    assert "Too many open sockets" in seen["closing"]["reason"]
    assert "at most 20" in seen["closing"]["reason"]
    assert seen["held"] == 20  # the refused socket took no slot
    assert seen["left"] == 0  # every closed socket gave its slot back


@pytest.mark.django_db(transaction=True)
def test_slots_left_by_a_crashed_server_do_not_lock_the_account_out(
    make_user: Any, settings: Any
) -> None:
    ana = make_user("ana")
    _, secret = token_create(user=ana, name="phone")
    settings.GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT = 2
    settings.GLIMPSE_REALTIME_PRESENCE_SECONDS = 0
    # Two sockets of a server that died: they never disconnect, their marks are never renewed.
    assert get_slots().take(ana.pk, "dead-server-1")
    assert get_slots().take(ana.pk, "dead-server-2")
    settings.GLIMPSE_REALTIME_PRESENCE_SECONDS = 60

    async def scenario() -> None:
        communicator = socket(f"token={secret}", origin=None)
        await open_ready(communicator)
        await communicator.disconnect()

    async_to_sync(scenario)()
    assert get_slots().count(ana.pk) == 0
