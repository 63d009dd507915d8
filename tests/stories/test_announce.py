"""A new story is announced live to the followers that may see it and have a socket open;
the home page redraws its tray from /stories/tray/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.realtime.presence import get_presence
from glimpse.stories import services
from glimpse.stories.models import Story
from tests.conftest import Sent
from tests.stories.conftest import follow_approved, web_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """olive, and followers of hers: listening, away, listening but muting her; a stranger."""
    found = {name: make_user(name) for name in ("olive", "here", "away", "muter", "stranger")}
    for name in ("here", "away", "muter"):
        follow_approved(found[name], found["olive"])
    graph.mute_create(muter=found["muter"], muted=found["olive"])
    for name in ("here", "muter", "stranger"):
        get_presence().mark(found[name].pk)
    return found


@pytest.fixture
def post_and_announce(
    media_for: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> Callable[..., Story]:
    """Post a story through the service and run its after-commit jobs."""

    def post(author: User, **options: Any) -> Story:
        (media,) = media_for(author)
        with django_capture_on_commit_callbacks(execute=True):
            return services.story_create(author=author, media_id=media.pk, **options)

    return post


def test_a_story_reaches_present_followers_who_did_not_mute(
    people: dict[str, User], post_and_announce: Callable[..., Story], sent: Sent
) -> None:
    story = post_and_announce(people["olive"])
    [(account_id, kind, data)] = sent
    assert (account_id, kind) == (people["here"].pk, "stories.tray")
    assert data["story_id"] == str(story.pk)
    assert data["account"]["username"] == "olive"
    assert data["close_friends"] is False


def test_a_close_friends_story_reaches_only_the_list(
    people: dict[str, User], post_and_announce: Callable[..., Story], sent: Sent
) -> None:
    post_and_announce(people["olive"], audience="close_friends")
    assert sent == []
    graph.close_friend_add(owner=people["olive"], friend=people["here"])
    graph.close_friend_add(owner=people["olive"], friend=people["stranger"])  # not a follower
    post_and_announce(people["olive"], audience="close_friends")
    assert [(account_id, data["close_friends"]) for account_id, _, data in sent] == [
        (people["here"].pk, True)
    ]


def test_an_expired_or_deleted_story_is_not_announced(
    people: dict[str, User], post_and_announce: Callable[..., Story], sent: Sent
) -> None:
    story = post_and_announce(people["olive"])
    sent.clear()
    Story.objects.filter(pk=story.pk).update(expires_at=story.created_at)
    assert services.story_announce(story_id=story.pk) == 0
    assert services.story_announce(story_id=story.pk + 1_000_000) == 0
    assert sent == []


def test_the_tray_page_draws_the_tray_alone(
    people: dict[str, User], post_and_announce: Callable[..., Story]
) -> None:
    post_and_announce(people["olive"])
    response = web_as(people["here"]).get("/stories/tray/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-story-tray" in page
    assert 'data-tray-account="olive"' in page
    assert "<html" not in page
    blocked = web_as(people["away"])
    graph.block_create(blocker=people["olive"], blocked=people["away"])
    assert 'data-tray-account="olive"' not in blocked.get("/stories/tray/").content.decode()


def test_the_tray_page_asks_a_visitor_to_log_in() -> None:
    response = Client().get("/stories/tray/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
