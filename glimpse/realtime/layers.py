"""The embedded default's channel layer: channels' in-memory layer, cleaning up less often.

Channels' in-memory layer drops expired messages and group memberships on every send and
every receive, walking every channel and every group to do so: with 1,000 sockets open,
each event costs thousands of steps, and the bench of direct messages found the event loop
spending 40 % of its time there. Here the clean-up runs at most once a second; messages
expire after a minute and memberships after a day, so nothing is kept noticeably longer.
"""

from __future__ import annotations

import time
from typing import Any

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

CLEAN_EVERY = 1.0  # seconds between two clean-ups, at most one each


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    """Channels' in-memory layer, whose clean-up of expired entries runs once a second."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cleaned_at = float("-inf")

    def _clean_expired(self) -> None:
        """Drop expired messages and memberships, unless that was done within a second."""
        now = time.monotonic()
        if now - self.cleaned_at < CLEAN_EVERY:
            return
        self.cleaned_at = now
        super()._clean_expired()
