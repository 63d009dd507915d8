"""What direct messages do when lower apps change: answers to stories become messages, and
a block changes both sides' unread counts."""

from __future__ import annotations

from glimpse.core import events
from glimpse.core.event_bus import subscribe
from glimpse.messages import badge, services


def subscribe_all() -> None:
    """Subscribe to the events direct messages follow (called once, at start)."""
    subscribe(events.StoryReplied, story_replied)
    subscribe(events.StoryReacted, story_reacted)
    subscribe(events.BlockChanged, block_changed)


def story_replied(event: events.StoryReplied) -> None:
    """Put a story reply into the conversation with the story's author."""
    services.story_reply_deliver(reply_id=event.reply_id)


def story_reacted(event: events.StoryReacted) -> None:
    """Put a story reaction into the conversation with the story's author."""
    services.story_reaction_deliver(reaction_id=event.reaction_id)


def block_changed(event: events.BlockChanged) -> None:
    """Recount both sides' unread conversations: a one-to-one is hidden or shown again."""
    badge.forget([event.blocker_id, event.blocked_id])
