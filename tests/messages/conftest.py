"""What the direct-message tests share: people who follow each other, conversations made
through the services, and a snapshot of every messages row to show a refusal changed nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.messages import services
from glimpse.messages.models import (
    Conversation,
    Member,
    Message,
    MessageMedia,
    MessageReaction,
    MessagingSettings,
)
from tests.graph.conftest import api_as, follow_approved, web_as
from tests.posts.conftest import media_for, publish, small_jpeg

__all__ = ["api_as", "follow_approved", "media_for", "publish", "small_jpeg", "web_as"]

MODELS = (Conversation, Member, Message, MessageMedia, MessageReaction, MessagingSettings)


def snapshot() -> dict[str, Any]:
    """Return every messages row (and attached media) that a refused call must leave as is."""
    state: dict[str, Any] = {
        model.__name__: sorted(map(str, model.objects.values_list())) for model in MODELS
    }
    state["attached"] = sorted(
        MediaItem.objects.filter(attached_at__isnull=False).values_list("pk", flat=True)
    )
    return state


def friends(*accounts: User) -> None:
    """Make every pair of these accounts follow each other (no conversation is a request)."""
    for one in accounts:
        for other in accounts:
            if one.pk != other.pk:
                follow_approved(one, other)


def start(actor: User, *others: User, name: str = "") -> Conversation:
    """Start a conversation through the service."""
    conversation, _ = services.conversation_start(
        actor=actor, usernames=[other.username for other in others], name=name
    )
    return conversation


def send(actor: User, conversation: Conversation, text: str = "hello", **more: Any) -> Message:
    """Send a message through the service."""
    return services.message_send(actor=actor, conversation_id=conversation.pk, text=text, **more)


def block(blocker: User, blocked: User) -> None:
    """Make ``blocker`` block ``blocked``."""
    graph.block_create(blocker=blocker, blocked=blocked)


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", display_name="Ana Lima")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user("bob", display_name="Bob Reis")


@pytest.fixture
def cleo(make_user: Callable[..., User]) -> User:
    return make_user("cleo")


@pytest.fixture
def dan(make_user: Callable[..., User]) -> User:
    return make_user("dan")
