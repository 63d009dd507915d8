"""The unread badge is read from the cache once counted, and stays exact: every change of what
a recipient may see forgets its cached count.

Each test reads the badge first (the page and the API, which fills the cache), makes a change
and reads it again: a change that forgot nothing would show the old count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_ban, account_suspend, profile_update, token_create
from glimpse.graph import services as graph
from glimpse.graph.models import FollowRequest
from glimpse.moderation import services as moderation
from glimpse.moderation.models import Case
from glimpse.notifications import selectors
from glimpse.notifications import services as notifications
from glimpse.posts import services as posts
from glimpse.privacy.deletion import account_deletion_request
from tests.conftest import PASSWORD, ApiClient
from tests.notifications.conftest import Run, entries
from tests.notifications.test_web import logged_in

pytestmark = pytest.mark.django_db

COUNT = re.compile(r"<span data-notifications-count>(\d+)</span>")
PAGE = "/accounts/settings/"


class Badge:
    """The badge of one account, as its pages and its API client read it."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.page = logged_in(user)
        _, secret = token_create(user=user, name="badge")
        self.api = ApiClient(secret)

    def read(self) -> tuple[int, int]:
        """Return the count the page's navigation shows and the one the API answers."""
        found = COUNT.search(self.page.get(PAGE).content.decode())
        assert found is not None
        answer = self.api.get("notifications/unread-count")
        assert answer.status_code == 200
        return int(found.group(1)), answer.json()["count"]

    def shows(self, count: int) -> bool:
        """Tell whether the page, the API and a fresh count all say ``count``."""
        return self.read() == (count, count) and selectors.unread_count(viewer=self.user) == count


def notification_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured if 'FROM "notifications_notification"' in q["sql"]]


def test_the_badge_is_counted_once_then_read_from_the_cache(ana: User, bo: User, run: Run) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    badge = Badge(ana)
    with CaptureQueriesContext(connection) as first:
        html = badge.page.get(PAGE).content.decode()
    assert "<span data-notifications-count>1</span>" in html
    assert len(notification_queries(first)) == 1
    with CaptureQueriesContext(connection) as second:
        html = badge.page.get(PAGE).content.decode()
        answer = badge.api.get("notifications/unread-count")
    assert "<span data-notifications-count>1</span>" in html
    assert answer.json() == {"count": 1}
    assert notification_queries(second) == []


def test_without_a_lifetime_the_badge_is_counted_each_time(
    ana: User, bo: User, run: Run, settings: Any
) -> None:
    settings.GLIMPSE_NOTIFICATIONS_UNREAD_TTL = 0
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    client = logged_in(ana)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as again:
        client.get(PAGE)
    assert len(notification_queries(again)) == 1


def test_a_new_notification_shows_at_once(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    badge = Badge(ana)
    assert badge.shows(0)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    assert badge.shows(1)
    run(lambda: posts.like_delete(user=bo, post_id=post.pk))
    assert badge.shows(0)


def test_reading_one_and_reading_all_show_at_once(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: graph.follow_create(follower=cy, followee=ana))
    badge = Badge(ana)
    assert badge.shows(2)
    like, _follow = entries(ana)
    # Through the API and the page, in the test's transaction: the count is dropped at once.
    assert badge.api.post(f"notifications/{like.pk}/read").json() == {"count": 1}
    assert badge.shows(1)
    assert badge.page.post("/notifications/read/").status_code == 302
    assert badge.shows(0)


def test_reading_all_through_the_service_shows_at_once(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    badge = Badge(ana)
    assert badge.shows(1)
    run(lambda: notifications.notifications_mark_all_read(recipient=ana))
    assert badge.shows(0)


def test_a_deleted_comment_shows_at_once(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    comment = run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="nice"))
    badge = Badge(ana)
    assert badge.shows(1)
    run(lambda: posts.comment_delete(actor=bo, comment_id=comment.pk))
    assert badge.shows(0)


def test_a_block_either_way_shows_at_once(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    badge = Badge(ana)
    assert badge.shows(1)
    run(lambda: graph.block_create(blocker=ana, blocked=bo))
    assert badge.shows(0)  # the blocker's
    run(lambda: graph.block_delete(blocker=ana, blocked=bo))
    assert badge.shows(1)
    run(lambda: graph.block_create(blocker=bo, blocked=ana))
    assert badge.shows(0)  # the blocked account's


def test_a_mute_leaves_the_badge_exact(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    """A mute hides nothing from notifications (the policy's rule): the count stays, exactly."""
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    badge = Badge(ana)
    assert badge.shows(1)
    run(lambda: graph.mute_create(muter=ana, muted=bo))
    assert badge.shows(1)
    run(lambda: graph.mute_delete(muter=ana, muted=bo))
    assert badge.shows(1)


def test_following_and_unfollowing_a_private_account_show_at_once(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    ana.is_private = True
    ana.save()
    # bo hears of nothing but the mention: the approval itself tells it nothing.
    notifications.notification_preferences_update(user=bo, levels={"request_approved": "off"})
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    post_by(ana, caption="hello @bo")
    badge = Badge(bo)
    assert badge.shows(0)  # a private account's post: hidden from a stranger
    request = FollowRequest.objects.get(requester=bo, target=ana)
    run(lambda: graph.follow_request_approve(owner=ana, request_id=request.pk))
    assert badge.shows(1)
    run(lambda: graph.follow_delete(follower=bo, followee=ana))
    assert badge.shows(0)


def test_a_deleted_post_shows_at_once(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana, caption="with @cy")
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    author, mentioned = Badge(ana), Badge(cy)
    assert author.shows(1)
    assert mentioned.shows(1)
    run(lambda: posts.post_delete(actor=ana, post_id=post.pk))
    assert author.shows(0)
    assert mentioned.shows(0)


def test_an_archived_post_shows_at_once(
    ana: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana, caption="with @cy")
    badge = Badge(cy)
    assert badge.shows(1)
    run(lambda: posts.post_archive(actor=ana, post_id=post.pk))
    assert badge.shows(0)
    run(lambda: posts.post_unarchive(actor=ana, post_id=post.pk))
    assert badge.shows(1)


@pytest.mark.parametrize("close", ["suspend", "ban", "deactivate"])
def test_a_closed_account_leaves_the_badges_at_once(
    make_user: Callable[..., User],
    ana: User,
    bo: User,
    cy: User,
    post_by: Callable[..., Any],
    run: Run,
    close: str,
) -> None:
    dee = make_user("dee")
    run(lambda: posts.like_create(user=bo, post_id=post_by(ana).pk))  # bo acted
    on_bos = post_by(bo)
    run(lambda: posts.comment_create(author=cy, post_id=on_bos.pk, text="see @dee"))  # bo's post
    acted, about = Badge(ana), Badge(dee)
    assert acted.shows(1)
    assert about.shows(1)
    actions: dict[str, Callable[[], object]] = {
        "suspend": lambda: account_suspend(user=bo, until=timezone.now() + timedelta(days=1)),
        "ban": lambda: account_ban(user=bo),
        "deactivate": lambda: account_deletion_request(user=bo, password=PASSWORD),
    }
    run(actions[close])
    assert acted.shows(0)
    assert about.shows(0)


def test_an_account_made_public_or_private_shows_or_hides_at_once(
    ana: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    ana.is_private = True
    ana.save()
    post_by(ana, caption="hello @cy")
    badge = Badge(cy)
    assert badge.shows(0)
    run(lambda: profile_update(user=ana, is_private=False))
    assert badge.shows(1)
    run(lambda: profile_update(user=ana, is_private=True))  # cy does not follow ana
    assert badge.shows(0)


def test_an_account_active_again_comes_back_to_the_badges_at_once(
    ana: User, bo: User, post_by: Callable[..., Any], run: Run
) -> None:
    run(lambda: posts.like_create(user=bo, post_id=post_by(ana).pk))
    badge = Badge(ana)
    run(lambda: account_suspend(user=bo, until=timezone.now() + timedelta(days=1)))
    assert badge.shows(0)
    run(lambda: account_suspend(user=bo, until=timezone.now() - timedelta(seconds=1)))
    assert badge.shows(1)


@pytest.mark.parametrize("kind", ["post", "comment"])
def test_hiding_by_reports_and_a_moderators_look_show_at_once(
    make_user: Callable[..., User],
    ana: User,
    bo: User,
    cy: User,
    post_by: Callable[..., Any],
    run: Run,
    settings: Any,
    kind: str,
) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 1
    post = post_by(ana, caption="hello @cy")
    comment = run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="hi @cy"))
    target = post.pk if kind == "post" else comment.pk
    badge = Badge(cy)  # mentioned by both: one entry about the post, one about the comment
    assert badge.shows(2)
    reporter = make_user("reporter", date_joined=timezone.now() - timedelta(days=30))
    run(
        lambda: moderation.report_create(
            reporter=reporter, target_type=kind, target_id=target, reason="spam"
        )
    )
    assert Case.objects.get(target_id=target).state == Case.State.HIDDEN
    # A hidden post hides both entries (the comment is on it); a hidden comment, its own.
    assert badge.shows(0 if kind == "post" else 1)
    moderator = make_user("mod")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate"))
    moderator = User.objects.get(pk=moderator.pk)
    case = Case.objects.get(target_id=target)
    run(
        lambda: moderation.case_act(
            moderator=moderator, case_id=case.pk, action="dismiss", reason="Looked"
        )
    )
    assert badge.shows(2)
