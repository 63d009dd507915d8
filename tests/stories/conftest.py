"""Fixtures for stories: real media through the real pipeline, stories, viewers, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import CloseFriend
from glimpse.media.models import MediaItem
from glimpse.stories import services
from glimpse.stories.models import (
    Highlight,
    HighlightItem,
    Story,
    StoryReaction,
    StoryReply,
    StoryView,
)
from tests.graph.conftest import api_as, follow_approved, web_as
from tests.posts.conftest import media_for, small_jpeg

__all__ = ["api_as", "follow_approved", "media_for", "small_jpeg", "web_as"]

STORY_MODELS = (Story, StoryView, StoryReaction, StoryReply, Highlight, HighlightItem, CloseFriend)


@pytest.fixture
def post_story(media_for: Callable[..., list[MediaItem]]) -> Callable[..., Story]:
    """Post a story of a fresh, processed photo by ``author``."""

    def make(author: User, **options: Any) -> Story:
        (media,) = media_for(author)
        return services.story_create(author=author, media_id=media.pk, **options)

    return make


def snapshot() -> dict[str, Any]:
    """Return every stories row that a refused call must leave unchanged."""
    state: dict[str, Any] = {
        model.__name__: sorted(map(str, model.objects.values_list())) for model in STORY_MODELS
    }
    state["attached"] = sorted(
        MediaItem.objects.filter(attached_at__isnull=False).values_list("pk", flat=True)
    )
    state["media"] = MediaItem.objects.count()
    return state


def block(blocker: User, blocked: User) -> None:
    """Make ``blocker`` block ``blocked``."""
    graph.block_create(blocker=blocker, blocked=blocked)
