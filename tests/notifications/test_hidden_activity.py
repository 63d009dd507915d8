"""What a recipient may not see never reaches it: no live count for hidden entries, no hidden
comment (nor its text) in anyone's notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.services import content_hide
from glimpse.moderation.models import Case
from glimpse.notifications import selectors
from glimpse.notifications import services as notifications
from glimpse.notifications.presenters import notification_json, notification_view
from glimpse.posts import services as posts
from glimpse.realtime.buffers import get_buffer
from tests.notifications.conftest import Run, entries
from tests.notifications.test_web import logged_in

pytestmark = pytest.mark.django_db

SECRET = "a very secret remark"


def events_after(account: User, action: Callable[[], Any], run: Run) -> list[dict[str, Any]]:
    """Run an action (and its after-commit jobs); return the events the account got meanwhile."""
    buffer = get_buffer()
    mark = int(buffer.append(account.pk, "test_mark", {})["id"])
    run(action)
    return buffer.since(account.pk, mark)


def hide(kind: str, target_id: int) -> None:
    """Hide a target the way the report threshold does: its case becomes ``hidden``, and the
    policy's table hides the content."""
    Case.objects.create(target_type=kind, target_id=target_id, state=Case.State.HIDDEN)
    content_hide(kind=kind, target_id=target_id)


def test_a_private_accounts_mention_sends_a_stranger_nothing(
    make_user: Callable[..., User], post_by: Callable[..., Any], run: Run
) -> None:
    author, stranger, follower = make_user("author"), make_user("stranger"), make_user("follower")
    run(lambda: graph.follow_create(follower=follower, followee=author))
    author.is_private = True
    author.save()
    post = post_by(author)

    mention = "hello @stranger and @follower"
    told = events_after(
        stranger,
        lambda: posts.comment_create(author=author, post_id=post.pk, text=mention),
        run,
    )
    # The row is kept (it shows if the stranger is approved later), but nothing is sent.
    assert [e.kind for e in entries(stranger)] == ["mention"]
    assert told == []
    assert selectors.unread_count(viewer=stranger) == 0
    assert selectors.notifications_page(viewer=stranger).items == []

    heard = events_after(
        follower,
        lambda: posts.comment_create(author=author, post_id=post.pk, text="again @follower"),
        run,
    )
    assert [e["kind"] for e in heard] == ["notification", "unread_count"]
    assert heard[-1]["data"] == {"count": 2}


def test_a_caption_mention_by_a_private_account_sends_a_stranger_nothing(
    make_user: Callable[..., User], media_for: Callable[..., list], run: Run
) -> None:
    author, stranger = make_user("author", is_private=True), make_user("stranger")
    [media] = media_for(author, 1)
    told = events_after(
        stranger,
        lambda: posts.post_create(author=author, media_ids=[media.pk], caption="hi @stranger"),
        run,
    )
    assert len(entries(stranger)) == 1
    assert told == []
    assert selectors.unread_count(viewer=stranger) == 0


def test_no_count_is_sent_when_a_hidden_entry_goes(
    make_user: Callable[..., User], post_by: Callable[..., Any], run: Run
) -> None:
    author, stranger = make_user("author", is_private=True), make_user("stranger")
    post = post_by(author)
    comment = run(lambda: posts.comment_create(author=author, post_id=post.pk, text="@stranger"))
    told = events_after(
        stranger, lambda: posts.comment_delete(actor=author, comment_id=comment.pk), run
    )
    assert entries(stranger) == []
    assert told == []


def test_reading_sends_the_count_only_when_it_changes(
    make_user: Callable[..., User], post_by: Callable[..., Any], run: Run
) -> None:
    author, stranger = make_user("author", is_private=True), make_user("stranger")
    post = post_by(author)
    run(lambda: posts.comment_create(author=author, post_id=post.pk, text="@stranger"))
    read = events_after(
        stranger, lambda: notifications.notifications_mark_all_read(recipient=stranger), run
    )
    assert read == []  # only a hidden entry was unread: the visible count did not change
    assert entries(stranger)[0].is_read
    fan = make_user("fan")
    run(lambda: graph.follow_create(follower=fan, followee=stranger))
    first = events_after(
        stranger, lambda: notifications.notifications_mark_all_read(recipient=stranger), run
    )
    assert [(e["kind"], e["data"]) for e in first] == [("unread_count", {"count": 0})]


def test_a_hidden_comment_leaves_every_notification(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    kept = run(lambda: posts.comment_create(author=cy, post_id=post.pk, text="a kind word"))
    flagged = run(lambda: posts.comment_create(author=bo, post_id=post.pk, text=f"{SECRET} @cy"))
    reply = run(
        lambda: posts.comment_create(
            author=bo, post_id=post.pk, parent_id=kept.pk, text=f"{SECRET} again"
        )
    )
    run(lambda: posts.comment_like_create(user=cy, comment_id=flagged.pk))
    assert selectors.unread_count(viewer=ana) == 3  # two comments and the reply by bo
    assert selectors.unread_count(viewer=cy) == 2  # mentioned, replied to
    assert selectors.unread_count(viewer=bo) == 1  # cy liked the comment

    hide("comment", flagged.pk)
    hide("comment", reply.pk)

    for viewer, left in ((ana, 1), (cy, 0), (bo, 0)):
        page = selectors.notifications_page(viewer=viewer)
        shown = [notification_json(notification_view(entry)) for entry in page.items]
        assert SECRET not in repr(shown)
        assert {e.comment_id for e in page.items} <= {kept.pk}
        assert selectors.unread_count(viewer=viewer) == left
        html = logged_in(viewer).get("/notifications/").content.decode()
        assert SECRET not in html
    assert logged_in(ana).get("/notifications/").content.decode().count("a kind word") == 1
