"""A mention sticker on a new story tells the mentioned account, after commit, once, only
when it may see the story and wants to hear of it; the entry stays like a story reply's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.notifications import selectors
from glimpse.notifications import services as notifications
from glimpse.notifications.activity import Activity
from glimpse.notifications.models import Notification
from glimpse.notifications.presenters import (
    NotificationJson,
    notification_json,
    notification_view,
)
from glimpse.stories import services as stories
from glimpse.stories.models import Story
from tests.notifications.conftest import Run, actor_names, entries, state
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db

Post = Callable[..., Story]


def mention(*names: str) -> list[dict[str, Any]]:
    """Return a mention sticker for each username."""
    return [
        {"kind": "mention", "x": 0.5, "y": 0.2 + 0.1 * i, "username": name}
        for i, name in enumerate(names)
    ]


@pytest.fixture
def mentioning(media_for: Callable[..., list[MediaItem]], run: Run) -> Post:
    """Post a story through the real service and run what it queued on commit."""

    def make(author: User, *names: str, audience: str = "everyone") -> Story:
        (media,) = media_for(author)  # processed outside `run`: its job already ran
        return run(
            lambda: stories.story_create(
                author=author, media_id=media.pk, audience=audience, stickers=mention(*names)
            )
        )

    return make


def shown(user: User) -> list[NotificationJson]:
    """Return the recipient's notifications as its API shows them."""
    page = selectors.notifications_page(viewer=user)
    return [notification_json(notification_view(entry)) for entry in page.items]


def test_a_mentioned_follower_is_told_once(ana: User, bo: User, cy: User, mentioning: Post) -> None:
    follow(bo, ana)
    story = mentioning(ana, "bo", "cy", "bo")  # bo twice: one entry
    [entry] = entries(bo)
    assert (entry.kind, entry.story_id, entry.actor_count, entry.is_read) == (
        "story_mention",
        story.pk,
        1,
        False,
    )
    assert actor_names(entry) == ["ana"]
    assert [e.kind for e in entries(cy)] == ["story_mention"]  # public author: anyone may see
    assert entries(ana) == []
    [item] = shown(bo)
    assert item["kind"] == "story_mention"
    assert item["text"] == "ana mentioned you in their story."
    assert item["story"] == {"id": str(story.pk)}
    assert (item["post"], item["comment"]) == (None, None)


def test_nothing_before_commit(ana: User, bo: User, media_for: Callable[..., Any]) -> None:
    (media,) = media_for(ana)
    stories.story_create(author=ana, media_id=media.pk, stickers=mention("bo"))
    assert entries(bo) == []  # the test's transaction never commits


def test_running_the_job_again_changes_nothing(ana: User, bo: User, mentioning: Post) -> None:
    story = mentioning(ana, "bo")
    before = state()
    again = Activity(kind="story_mention", actor_id=ana.pk, recipient_id=bo.pk, story_id=story.pk)
    assert notifications.notification_sync(activity=again, undo=False) == 0
    assert state() == before


def test_not_for_the_author_themself(ana: User, mentioning: Post) -> None:
    before = state()
    mentioning(ana, "ana")
    assert state() == before


def test_not_for_a_blocked_account(ana: User, bo: User, cy: User, mentioning: Post) -> None:
    graph.block_create(blocker=bo, blocked=ana)
    before = state()
    with pytest.raises(InvalidInput) as refused:
        mentioning(ana, "cy", "bo")  # a sticker naming an account it may not see
    assert "stickers.1.username" in refused.value.fields
    assert state() == before
    assert not Story.objects.filter(author=ana).exists()


def test_not_for_an_account_blocked_before_the_job_runs(
    ana: User, bo: User, media_for: Callable[..., Any], run: Run
) -> None:
    (media,) = media_for(ana)

    def post_then_block() -> None:
        stories.story_create(author=ana, media_id=media.pk, stickers=mention("bo"))
        graph.block_create(blocker=ana, blocked=bo)

    before = state()
    run(post_then_block)
    assert state() == before


def test_close_friends_story_tells_only_the_close_friends(
    ana: User, bo: User, cy: User, mentioning: Post
) -> None:
    follow(bo, ana)
    follow(cy, ana)
    graph.close_friend_add(owner=ana, friend=bo)
    mentioning(ana, "bo", "cy", audience="close_friends")
    assert [e.kind for e in entries(bo)] == ["story_mention"]
    assert entries(cy) == []  # a follower, but not on the list
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [bo.pk]


def test_private_author_tells_only_approved_followers(
    ana: User, bo: User, cy: User, mentioning: Post
) -> None:
    ana.is_private = True
    ana.save()
    follow(bo, ana)  # approved
    graph.follow_create(follower=cy, followee=ana)  # a pending request gives nothing
    mentioning(ana, "bo", "cy")
    assert [e.kind for e in entries(bo)] == ["story_mention"]
    assert entries(cy) == []
    mentions = Notification.objects.filter(kind="story_mention")
    assert list(mentions.values_list("recipient_id", flat=True)) == [bo.pk]


@pytest.mark.parametrize(
    ("level", "follower_told", "stranger_told"),
    [("everyone", True, True), ("following", True, False), ("off", False, False)],
)
def test_preference_levels(
    ana: User,
    bo: User,
    cy: User,
    mentioning: Post,
    level: str,
    follower_told: bool,
    stranger_told: bool,
) -> None:
    follow(bo, ana)  # bo follows ana, cy does not
    for user in (bo, cy):
        notifications.notification_preferences_update(user=user, levels={"story_mention": level})
    mentioning(ana, "bo", "cy")
    assert (bool(entries(bo)), bool(entries(cy))) == (follower_told, stranger_told)
    assert entries(ana) == []


def test_off_tells_nothing_and_changes_nothing_else(
    ana: User, bo: User, mentioning: Post, run: Run
) -> None:
    notifications.notification_preferences_update(user=bo, levels={"story_mention": "off"})
    before = state()
    story = mentioning(ana, "bo")
    assert state() == before  # no entry, no actor, nothing bumped or read
    assert Story.objects.filter(pk=story.pk, author=ana).exists()  # the story is posted
    # Only this kind is off: bo's reply to the story still tells ana.
    run(lambda: stories.story_reply(viewer=bo, story_id=story.pk, text="thanks!"))
    assert [e.kind for e in entries(ana)] == ["story_reply"]
    assert entries(bo) == []


def test_not_for_an_account_that_muted_the_author(ana: User, bo: User, mentioning: Post) -> None:
    graph.mute_create(muter=bo, muted=ana)
    before = state()
    mentioning(ana, "bo")
    assert state() == before


@pytest.mark.parametrize("end", ["deleted", "expired"])
def test_the_entry_stays_like_a_story_replys_when_the_story_ends(
    ana: User, bo: User, mentioning: Post, run: Run, end: str
) -> None:
    story = mentioning(ana, "bo")
    run(lambda: stories.story_reply(viewer=bo, story_id=story.pk, text="me?"))
    if end == "deleted":
        stories.story_delete(actor=ana, story_id=story.pk)
    else:
        Story.objects.filter(pk=story.pk).update(expires_at=timezone.now())
        stories.stories_expire()
    # Both kinds keep their entry, with the story's id, as they did while it lived.
    assert [(e["kind"], e["story"]) for e in shown(bo)] == [
        ("story_mention", {"id": str(story.pk)})
    ]
    assert [(e["kind"], e["story"]) for e in shown(ana)] == [("story_reply", {"id": str(story.pk)})]
