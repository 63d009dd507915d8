"""Removing a story for the moderators: like its author's own delete, whoever the story is by."""

from __future__ import annotations

import pytest

from glimpse.media.models import MediaItem
from glimpse.stories import selectors, services
from glimpse.stories.models import Highlight, Story
from tests.stories.conftest import post_story, snapshot

__all__ = ["post_story"]

pytestmark = pytest.mark.django_db


def test_a_story_leaves_with_its_media_and_its_places_in_highlights(make_user, post_story) -> None:
    author = make_user("olive")
    a, b = post_story(author), post_story(author)
    mixed = services.highlight_create(owner=author, title="Both", story_ids=[a.pk, b.pk])
    services.highlight_create(owner=author, title="Only", story_ids=[b.pk])
    assert services.story_remove_by_moderator(story_id=b.pk) is True
    assert list(Story.objects.values_list("pk", flat=True)) == [a.pk]
    assert not MediaItem.objects.filter(pk=b.media_id).exists()
    # A highlight left empty goes; the other keeps its remaining story.
    assert list(Highlight.objects.values_list("pk", flat=True)) == [mixed.pk]
    view = selectors.highlight_get(viewer=author, highlight_id=mixed.pk)
    assert [s.pk for s in view.stories] == [a.pk]


def test_a_missing_story_changes_nothing(make_user, post_story) -> None:
    story = post_story(make_user("olive"))
    before = snapshot()
    assert services.story_remove_by_moderator(story_id=story.pk + 1) is False
    assert snapshot() == before
