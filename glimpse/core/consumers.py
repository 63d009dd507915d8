"""The one websocket of Glimpse: events for the connected account, pushed by the server."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


def account_group(account_id: int) -> str:
    """Return the channel-layer group every connection of an account joins."""
    return f"account.{account_id}"


class EventsConsumer(AsyncJsonWebsocketConsumer):
    """Accept logged-in accounts, join their group and forward its events."""

    group: str | None = None

    async def connect(self) -> None:
        """Refuse anonymous connections; join the account's group otherwise."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = account_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "ready", "account_id": str(user.pk)})

    async def disconnect(self, code: int) -> None:
        """Leave the account's group."""
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Answer pings; the server pushes everything else."""
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def account_event(self, message: dict[str, Any]) -> None:
        """Forward an event sent to the account's group."""
        await self.send_json(message["event"])
