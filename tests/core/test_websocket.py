"""The websocket at /ws/ accepts logged-in accounts and delivers their group's events."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from config.websockets import websocket_urlpatterns
from glimpse.core.consumers import account_group


def _communicator(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/")
    communicator.scope["user"] = user
    return communicator


@pytest.mark.django_db(transaction=True)
def test_anonymous_connection_is_refused() -> None:
    async def scenario() -> tuple[bool, int | None]:
        communicator = _communicator(AnonymousUser())
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    connected, code = async_to_sync(scenario)()
    assert not connected
    assert code == 4401


@pytest.mark.django_db(transaction=True)
def test_account_receives_events_sent_to_its_group(user) -> None:
    async def scenario() -> tuple[dict, dict]:
        communicator = _communicator(user)
        connected, _ = await communicator.connect()
        assert connected
        ready = await communicator.receive_json_from(timeout=2)
        await get_channel_layer().group_send(
            account_group(user.pk), {"type": "account.event", "event": {"type": "hello"}}
        )
        event = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return ready, event

    ready, event = async_to_sync(scenario)()
    assert ready == {"type": "ready", "account_id": str(user.pk)}
    assert event == {"type": "hello"}
