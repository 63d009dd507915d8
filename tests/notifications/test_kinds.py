"""Every kind is made by the real write services, after commit, and never for own actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import FollowRequest
from glimpse.notifications import services as notifications
from glimpse.notifications.activity import Activity
from glimpse.notifications.models import Kind, Notification
from glimpse.posts import services as posts
from glimpse.posts.services import UNSET
from glimpse.stories import services as stories
from tests.notifications.conftest import Run, actor_names, entries
from tests.stories.conftest import post_story

__all__ = ["post_story"]

pytestmark = pytest.mark.django_db


def test_nothing_is_made_before_commit(ana: User, bo: User, post_by: Callable[..., Any]) -> None:
    post = post_by(ana)
    posts.like_create(user=bo, post_id=post.pk)  # the test's transaction never commits
    assert entries(ana) == []


def test_like(ana: User, bo: User, post_by: Callable[..., Any], run: Run) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    [entry] = entries(ana)
    assert (entry.kind, entry.post_id, entry.actor_count, entry.is_read) == (
        "like",
        post.pk,
        1,
        False,
    )
    assert actor_names(entry) == ["bo"]


def test_comment_reply_and_mentions(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    comment = run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="Lovely @cy"))
    assert [(e.kind, e.comment_id) for e in entries(ana)] == [("comment", comment.pk)]
    assert [(e.kind, e.comment_id) for e in entries(cy)] == [("mention", comment.pk)]
    reply = run(
        lambda: posts.comment_create(
            author=cy, post_id=post.pk, text="thanks", parent_id=comment.pk
        )
    )
    assert [(e.kind, e.comment_id) for e in entries(bo)] == [("reply", reply.pk)]
    assert [e.kind for e in entries(ana)] == ["comment", "comment"]
    assert entries(cy, "reply") == []  # cy wrote it


def test_each_account_hears_once_of_a_comment(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="@ana look"))
    assert [e.kind for e in entries(ana)] == ["mention"]


def test_caption_mention_and_people_tag(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any]
) -> None:
    post = post_by(ana, caption="With @bo", tagged=("cy",))
    assert [(e.kind, e.post_id) for e in entries(bo)] == [("mention", post.pk)]
    assert [(e.kind, e.post_id) for e in entries(cy)] == [("tagged", post.pk)]
    assert entries(ana) == []  # mentioning yourself tells nobody


def test_editing_a_caption_tells_the_new_mentions_and_untells_the_removed(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana, caption="With @bo")
    run(lambda: posts.post_update(actor=ana, post_id=post.pk, caption="With @cy", place=UNSET))
    assert entries(bo) == []
    assert [e.kind for e in entries(cy)] == ["mention"]


def test_comment_like(ana: User, bo: User, post_by: Callable[..., Any], run: Run) -> None:
    post = post_by(ana)
    comment = run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="hi"))
    run(lambda: posts.comment_like_create(user=ana, comment_id=comment.pk))
    [entry] = entries(bo)
    assert (entry.kind, entry.comment_id, actor_names(entry)) == (
        "comment_like",
        comment.pk,
        ["ana"],
    )


def test_new_follower(ana: User, bo: User, run: Run) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    [entry] = entries(ana)
    assert (entry.kind, actor_names(entry)) == ("follow", ["bo"])


def test_follow_request_then_approval(ana: User, bo: User, run: Run) -> None:
    ana.is_private = True
    ana.save()
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    assert [e.kind for e in entries(ana)] == ["follow_request"]
    request = FollowRequest.objects.get(requester=bo, target=ana)
    run(lambda: graph.follow_request_approve(owner=ana, request_id=request.pk))
    assert [(e.kind, actor_names(e)) for e in entries(bo)] == [("request_approved", ["ana"])]
    # The request became a follower, like on a phone.
    assert [(e.kind, actor_names(e)) for e in entries(ana)] == [("follow", ["bo"])]


def test_denied_or_cancelled_requests_are_untold(ana: User, bo: User, cy: User, run: Run) -> None:
    ana.is_private = True
    ana.save()
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(lambda: graph.follow_create(follower=cy, followee=ana))
    request = FollowRequest.objects.get(requester=bo, target=ana)
    run(lambda: graph.follow_request_deny(owner=ana, request_id=request.pk))
    assert [actor_names(e) for e in entries(ana)] == [["cy"]]
    run(lambda: graph.follow_delete(follower=cy, followee=ana))
    assert entries(ana) == []
    assert entries(bo) == []  # a denial is silent


def test_approve_all_tells_every_requester(ana: User, bo: User, cy: User, run: Run) -> None:
    ana.is_private = True
    ana.save()
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(lambda: graph.follow_create(follower=cy, followee=ana))
    run(lambda: graph.follow_requests_approve_all(owner=ana))
    assert [e.kind for e in entries(bo)] == ["request_approved"]
    assert [e.kind for e in entries(cy)] == ["request_approved"]
    assert [(e.kind, e.actor_count) for e in entries(ana)] == [("follow", 2)]


@pytest.mark.parametrize("kind", [Kind.STORY_REACTION, Kind.STORY_REPLY])
def test_story_kinds_through_the_entry_point(ana: User, bo: User, run: Run, kind: str) -> None:
    run(
        lambda: notifications.notify_on_commit(
            activity=Activity(
                kind=kind, actor_id=bo.pk, recipient_id=ana.pk, story_id=42, text="🔥"
            )
        )
    )
    [entry] = entries(ana)
    assert (entry.kind, entry.story_id, entry.text) == (kind, 42, "🔥")
    run(
        lambda: notifications.unnotify_on_commit(
            activity=Activity(kind=kind, actor_id=bo.pk, recipient_id=ana.pk, story_id=42)
        )
    )
    assert entries(ana) == []


def test_no_notification_for_own_actions(ana: User, post_by: Callable[..., Any], run: Run) -> None:
    post = post_by(ana, caption="me @ana", tagged=("ana",))
    run(lambda: posts.like_create(user=ana, post_id=post.pk))
    comment = run(lambda: posts.comment_create(author=ana, post_id=post.pk, text="@ana hi"))
    run(lambda: posts.comment_like_create(user=ana, comment_id=comment.pk))
    run(lambda: posts.comment_create(author=ana, post_id=post.pk, text="r", parent_id=comment.pk))
    run(
        lambda: notifications.notify_on_commit(
            activity=Activity(
                kind=Kind.STORY_REACTION, actor_id=ana.pk, recipient_id=ana.pk, story_id=1, text="x"
            )
        )
    )
    assert Notification.objects.count() == 0


def test_running_a_job_twice_changes_nothing(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    before = list(Notification.objects.values_list("pk", "actor_count", "sort_id"))
    like = Activity(kind="like", actor_id=bo.pk, post_id=post.pk)
    assert notifications.notification_sync(activity=like, undo=False) == 0
    assert list(Notification.objects.values_list("pk", "actor_count", "sort_id")) == before


def test_story_reaction_and_reply_tell_the_author(
    ana: User, bo: User, post_story: Callable[..., Any], run: Run
) -> None:
    story = post_story(ana)  # public account: bo may see it without following
    run(lambda: stories.story_react(viewer=bo, story_id=story.pk, emoji="😍"))
    run(lambda: stories.story_reply(viewer=bo, story_id=story.pk, text="Where is this?"))
    shown = [(e.kind, e.story_id, e.text, actor_names(e)) for e in entries(ana)]
    assert shown == [
        ("story_reply", story.pk, "Where is this?", ["bo"]),
        ("story_reaction", story.pk, "😍", ["bo"]),
    ]
    assert entries(bo) == []


def test_a_changed_story_reaction_updates_its_entry(
    ana: User, bo: User, post_story: Callable[..., Any], run: Run
) -> None:
    story = post_story(ana)
    run(lambda: stories.story_react(viewer=bo, story_id=story.pk, emoji="😍"))
    run(lambda: stories.story_react(viewer=bo, story_id=story.pk, emoji="🔥"))
    assert [(e.kind, e.text) for e in entries(ana)] == [("story_reaction", "🔥")]
