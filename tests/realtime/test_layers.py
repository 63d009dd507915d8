"""The embedded default's channel layer: channels' in-memory layer, cleaning up once a second."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.layers import InMemoryChannelLayer as ChannelsLayer
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from glimpse.realtime.layers import InMemoryChannelLayer


def test_the_embedded_default_uses_it_and_redis_replaces_it() -> None:
    layer = get_channel_layer()
    if settings.REDIS_URL:  # the real services' run: the Redis layer, shared by processes
        assert isinstance(layer, RedisChannelLayer)
    else:
        assert isinstance(layer, InMemoryChannelLayer)


def test_many_sends_walk_the_channels_and_groups_once_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    walks: list[float] = []
    monkeypatch.setattr(ChannelsLayer, "_clean_expired", lambda self: walks.append(1))
    layer = InMemoryChannelLayer()

    async def scenario() -> list[dict[str, str]]:
        channels = [await layer.new_channel() for _ in range(50)]
        for channel in channels:
            await layer.group_add("account.1", channel)
        for n in range(100):
            await layer.group_send("account.1", {"type": "account.event", "n": str(n)})
        return [await layer.receive(channels[0]) for _ in range(100)]

    received = asyncio.run(scenario())
    assert [message["n"] for message in received] == [str(n) for n in range(100)]
    assert len(walks) == 1


def test_an_expired_message_is_still_dropped() -> None:
    layer = InMemoryChannelLayer(expiry=0.05)

    async def scenario() -> dict[str, str]:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "account.event", "n": "old"})
        time.sleep(1.1)  # past the message's expiry and the clean-up's second
        await layer.send(channel, {"type": "account.event", "n": "new"})
        return await layer.receive(channel)

    assert asyncio.run(scenario())["n"] == "new"
