"""Events published after commit reach every connection of the account, and only those."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from glimpse.accounts.services import token_create
from glimpse.realtime.sockets import account_group, publish_on_commit
from tests.realtime.conftest import open_ready, session_cookie, socket


def run(scenario: Any) -> Any:
    return async_to_sync(scenario)()


def publish(account_id: int, kind: str, data: dict) -> None:
    """Publish inside a committed transaction, like a service does."""
    with transaction.atomic():
        publish_on_commit(account_id, kind, data)


publish_async = sync_to_async(publish)


@pytest.mark.django_db(transaction=True)
def test_event_reaches_every_connection_of_the_account_and_no_other(user, make_user) -> None:
    other = make_user("bruno")
    _, secret = token_create(user=user, name="phone")
    _, other_secret = token_create(user=other, name="phone")
    cookie = session_cookie(user)

    async def scenario() -> tuple[list[dict], bool]:
        mine = [socket(session=cookie), socket(f"token={secret}")]
        theirs = socket(f"token={other_secret}")
        for communicator in [*mine, theirs]:
            await open_ready(communicator)
        await publish_async(user.pk, "unread_count", {"count": 3})
        received = [await c.receive_json_from(timeout=2) for c in mine]
        silent = await theirs.receive_nothing(timeout=0.3)
        for communicator in [*mine, theirs]:
            await communicator.disconnect()
        return received, silent

    received, silent = run(scenario)
    assert received[0] == received[1]
    assert received[0]["kind"] == "unread_count"
    assert received[0]["data"] == {"count": 3}
    assert received[0]["id"].isdigit()
    assert silent


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(user) -> None:
    _, secret = token_create(user=user, name="phone")

    def publish_then_fail() -> None:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            publish_on_commit(user.pk, "notification", {"n": 1})
            raise RuntimeError("the write failed")

    async def scenario() -> tuple[bool, dict]:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        await publish_async(user.pk, "unread_count", {"count": 0})
        first = await communicator.receive_json_from(timeout=2)
        await sync_to_async(publish_then_fail)()
        silent = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        # A client resuming from the last real event gets nothing: the rolled-back event
        # was never buffered either.
        again = socket(f"token={secret}&last_event_id={first['id']}")
        await open_ready(again)
        nothing_replayed = await again.receive_nothing(timeout=0.3)
        await again.disconnect()
        return silent and nothing_replayed, first

    quiet, first = run(scenario)
    assert first["kind"] == "unread_count"
    assert quiet


@pytest.mark.django_db(transaction=True)
def test_event_is_sent_only_once_the_transaction_commits(user) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[bool, dict]:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        ctx = transaction.atomic()
        await sync_to_async(ctx.__enter__)()
        await sync_to_async(publish_on_commit)(user.pk, "notification", {"n": 1})
        before_commit = await communicator.receive_nothing(timeout=0.3)
        await sync_to_async(ctx.__exit__)(None, None, None)
        event = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return before_commit, event

    before_commit, event = run(scenario)
    assert before_commit
    assert event["kind"] == "notification"


@pytest.mark.django_db(transaction=True)
def test_resume_by_query_replays_missed_events_in_order_then_live_ones(user) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[list[dict], bool]:
        for n in range(1, 5):
            await publish_async(user.pk, "notification", {"n": n})
        seen = await sync_to_async(_buffered_ids)(user.pk)
        communicator = socket(f"token={secret}&last_event_id={seen[0]}")
        await open_ready(communicator)
        got = [await communicator.receive_json_from(timeout=2) for _ in range(3)]
        await publish_async(user.pk, "notification", {"n": 5})
        got.append(await communicator.receive_json_from(timeout=2))
        no_more = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return got, no_more

    got, no_more = run(scenario)
    assert [event["data"]["n"] for event in got] == [2, 3, 4, 5]
    assert [int(e["id"]) for e in got] == sorted(int(e["id"]) for e in got)
    assert no_more


@pytest.mark.django_db(transaction=True)
def test_resume_message_replays_missed_events_and_live_duplicates_are_dropped(user) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[list[dict], dict, bool]:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        await publish_async(user.pk, "notification", {"n": 1})
        first = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        for n in (2, 3):
            await publish_async(user.pk, "notification", {"n": n})
        again = socket(f"token={secret}")
        await open_ready(again)
        await again.send_json_to({"type": "resume", "last_event_id": first["id"]})
        replayed = [await again.receive_json_from(timeout=2) for _ in range(2)]
        # The same events arriving late from the group (published during the replay) are
        # dropped: nothing at or below the last replayed id is sent twice.
        layer = get_channel_layer()
        for event in replayed:
            await layer.group_send(
                account_group(user.pk), {"type": "account.event", "event": event}
            )
        duplicates_dropped = await again.receive_nothing(timeout=0.3)
        await publish_async(user.pk, "notification", {"n": 4})
        live = await again.receive_json_from(timeout=2)
        await again.disconnect()
        return replayed, live, duplicates_dropped

    replayed, live, duplicates_dropped = run(scenario)
    assert [event["data"]["n"] for event in replayed] == [2, 3]
    assert duplicates_dropped
    assert live["data"] == {"n": 4}


@pytest.mark.django_db(transaction=True)
def test_resume_from_the_newest_event_sends_nothing(user) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> bool:
        await publish_async(user.pk, "notification", {"n": 1})
        newest = (await sync_to_async(_buffered_ids)(user.pk))[-1]
        communicator = socket(f"token={secret}&last_event_id={newest}")
        await open_ready(communicator)
        quiet = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return quiet

    assert run(scenario)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("last_id", ["123456789", "0"])
def test_unknown_event_id_asks_for_a_refetch(user, last_id: str) -> None:
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> tuple[dict, dict]:
        await publish_async(user.pk, "notification", {"n": 1})
        by_query = socket(f"token={secret}&last_event_id={last_id}")
        await open_ready(by_query)
        first = await by_query.receive_json_from(timeout=2)
        await by_query.disconnect()
        by_message = socket(f"token={secret}")
        await open_ready(by_message)
        await by_message.send_json_to({"type": "resume", "last_event_id": last_id})
        second = await by_message.receive_json_from(timeout=2)
        await by_message.disconnect()
        return first, second

    assert run(scenario) == ({"kind": "refetch"}, {"kind": "refetch"})


@pytest.mark.django_db(transaction=True)
def test_id_pushed_out_of_the_buffer_asks_for_a_refetch(user, settings) -> None:
    settings.GLIMPSE_REALTIME_BUFFER_SIZE = 3
    _, secret = token_create(user=user, name="phone")

    async def scenario() -> dict:
        await publish_async(user.pk, "notification", {"n": 0})
        oldest = (await sync_to_async(_buffered_ids)(user.pk))[0]
        for n in range(1, 4):
            await publish_async(user.pk, "notification", {"n": n})
        communicator = socket(f"token={secret}&last_event_id={oldest}")
        await open_ready(communicator)
        reply = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return reply

    assert run(scenario) == {"kind": "refetch"}


def _buffered_ids(account_id: int) -> list[str]:
    """Return the ids of the account's buffered events (read through a replay from 0)."""
    from glimpse.realtime.buffers import get_buffer

    buffer: Any = get_buffer()
    if hasattr(buffer, "client"):
        raw = buffer.client.zrangebylex(buffer.key(account_id), "-", "+")
        return [str(int(member[:20])) for member in raw]
    return [event["id"] for _, event in buffer._events[account_id]]
