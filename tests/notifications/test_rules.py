"""Who is told: blocks, mutes and preferences; grouping and undoing; what a list shows."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.graph import services as graph
from glimpse.notifications import selectors
from glimpse.notifications import services as notifications
from glimpse.notifications.activity import Activity
from glimpse.notifications.models import Notification, NotificationActor
from glimpse.posts import services as posts
from glimpse.realtime.buffers import get_buffer
from tests.notifications.conftest import Run, actor_names, entries

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


def test_none_from_an_account_the_recipient_blocked(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    comment = run(lambda: posts.comment_create(author=ana, post_id=post.pk, text="hi @bo"))
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    graph.block_create(blocker=ana, blocked=bo)
    Notification.objects.all().delete()
    # bo can no longer reach ana's post: the services refuse; a follow is refused too.
    with pytest.raises(NotFound):
        run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(
        lambda: notifications.notify_on_commit(
            activity=Activity(
                kind="story_reply", actor_id=bo.pk, recipient_id=ana.pk, story_id=7, text="hey"
            )
        )
    )
    assert entries(ana) == []
    assert comment.pk  # the comment that mentioned bo stays, but told nothing after the block


def test_none_from_an_account_that_blocked_the_recipient(ana: User, bo: User, run: Run) -> None:
    graph.block_create(blocker=bo, blocked=ana)
    run(
        lambda: notifications.notify_on_commit(
            activity=Activity(
                kind="story_reaction", actor_id=bo.pk, recipient_id=ana.pk, story_id=7, text="👏"
            )
        )
    )
    assert entries(ana) == []


def test_none_from_a_muted_account(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    graph.mute_create(muter=ana, muted=bo)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="hello"))
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    assert entries(ana) == []


@pytest.mark.parametrize(
    ("level", "from_followed", "from_stranger"),
    [("everyone", True, True), ("following", True, False), ("off", False, False)],
)
def test_preferences(
    ana: User,
    bo: User,
    cy: User,
    post_by: Callable[..., Any],
    run: Run,
    level: str,
    from_followed: bool,
    from_stranger: bool,
) -> None:
    graph.follow_create(follower=ana, followee=bo)  # ana follows bo, not cy
    notifications.notification_preferences_update(user=ana, levels={"like": level})
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    told = {name for entry in entries(ana, "like") for name in actor_names(entry)}
    assert ("bo" in told, "cy" in told) == (from_followed, from_stranger)
    # Other kinds keep their default (everyone).
    run(lambda: posts.comment_create(author=cy, post_id=post.pk, text="nice"))
    assert len(entries(ana, "comment")) == 1


def test_thirteen_likes_make_one_entry(
    ana: User, make_user: MakeUser, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    fans = [make_user(f"fan{i:02d}") for i in range(13)]
    for fan in fans:
        run(partial(posts.like_create, user=fan, post_id=post.pk))
    [entry] = entries(ana)
    assert entry.actor_count == 13
    assert actor_names(entry)[:3] == ["fan12", "fan11", "fan10"]
    page = selectors.notifications_page(viewer=ana)
    [shown] = page.items
    assert shown.visible_actor_count == 13
    assert [a.username for a in shown.shown_actors] == ["fan12", "fan11", "fan10"]
    from glimpse.notifications.presenters import notification_json, notification_view

    assert (
        notification_json(notification_view(shown))["text"]
        == "fan12 and 12 others liked your post."
    )


def test_a_new_like_bumps_the_entry_to_the_top_unread(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    first, second = post_by(ana), post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=first.pk))
    run(lambda: posts.like_create(user=bo, post_id=second.pk))
    notifications.notifications_mark_all_read(recipient=ana)
    run(lambda: posts.like_create(user=cy, post_id=first.pk))
    top, other = entries(ana)
    assert (top.post_id, top.is_read, top.actor_count) == (first.pk, False, 2)
    assert (other.post_id, other.is_read) == (second.pk, True)


def test_new_followers_are_grouped_per_day(ana: User, make_user: MakeUser, run: Run) -> None:
    for name in ("f1", "f2", "f3"):
        follower = make_user(name)
        run(partial(graph.follow_create, follower=follower, followee=ana))
    [entry] = entries(ana)
    assert (entry.kind, entry.actor_count, actor_names(entry)) == ("follow", 3, ["f3", "f2", "f1"])


def test_undo_takes_the_actor_out_and_removes_the_empty_entry(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    run(lambda: posts.like_delete(user=cy, post_id=post.pk))
    [entry] = entries(ana)
    assert (entry.actor_count, actor_names(entry)) == (1, ["bo"])
    run(lambda: posts.like_delete(user=bo, post_id=post.pk))
    assert entries(ana) == []
    assert NotificationActor.objects.count() == 0


def test_deleting_a_comment_and_unfollowing_undo_their_notifications(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    comment = run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="hey"))
    run(lambda: posts.comment_like_create(user=bo, comment_id=comment.pk))  # own: nothing
    run(lambda: posts.comment_delete(actor=bo, comment_id=comment.pk))
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    assert [e.kind for e in entries(ana)] == ["follow"]
    run(lambda: graph.follow_delete(follower=bo, followee=ana))
    assert entries(ana) == []


def test_removing_a_follower_and_unliking_a_comment_undo_too(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(lambda: graph.follower_remove(owner=ana, follower=bo))
    assert entries(ana) == []
    post = post_by(bo)
    comment = run(lambda: posts.comment_create(author=ana, post_id=post.pk, text="hey"))
    run(lambda: posts.comment_like_create(user=bo, comment_id=comment.pk))
    assert [e.kind for e in entries(ana)] == ["comment_like"]
    run(lambda: posts.comment_like_delete(user=bo, comment_id=comment.pk))
    assert entries(ana) == []


def test_a_deleted_post_takes_its_notifications(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="hey"))
    run(lambda: posts.post_delete(actor=ana, post_id=post.pk))
    assert entries(ana) == []
    assert selectors.unread_count(viewer=ana) == 0


def test_the_list_leaves_out_actors_that_later_blocked(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    run(lambda: graph.follow_create(follower=cy, followee=ana))
    graph.block_create(blocker=cy, blocked=ana)
    page = selectors.notifications_page(viewer=ana)
    assert [(e.kind, [a.username for a in e.shown_actors]) for e in page.items] == [
        ("like", ["bo"])
    ]
    assert page.items[0].visible_actor_count == 1
    assert selectors.unread_count(viewer=ana) == 1  # the follow entry is hidden, not counted


def test_a_post_the_recipient_may_no_longer_see_hides_its_entry(
    ana: User, bo: User, post_by: Callable[..., Any]
) -> None:
    post_by(bo, caption="hi @ana")
    assert selectors.unread_count(viewer=ana) == 1
    bo.is_private = True
    bo.save()
    assert selectors.notifications_page(viewer=ana).items == []
    assert selectors.unread_count(viewer=ana) == 0


def test_changes_are_sent_live(ana: User, bo: User, post_by: Callable[..., Any], run: Run) -> None:
    post = post_by(ana)
    buffer = get_buffer()
    mark = int(buffer.append(ana.pk, "test_mark", {})["id"])
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    events = buffer.since(ana.pk, mark)
    kinds = [event["kind"] for event in events]
    assert "notification" in kinds
    assert events[-1]["kind"] == "unread_count"
    assert events[-1]["data"] == {"count": 1}
    shown = next(e for e in events if e["kind"] == "notification")["data"]
    assert shown["text"] == "bo liked your post."
    assert shown["actors"][0]["username"] == "bo"
    run(lambda: notifications.notifications_mark_all_read(recipient=ana))
    assert buffer.since(ana.pk, mark)[-1]["data"] == {"count": 0}
