"""Moderators' actions: who may take them, removal with its notice, the audit log, accounts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.media.models import MediaBlock
from glimpse.moderation import services
from glimpse.moderation.models import Case, ModerationAction
from glimpse.moderation.tasks import end_suspensions
from glimpse.notifications import selectors as notes
from glimpse.posts.models import Comment, Post
from tests.moderation.conftest import api_as, report, snapshot, web_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(make_user, publish) -> tuple[User, Post, Case]:
    author = make_user("author")
    post = publish(author, caption="buy now")
    report(make_user("reporter"), "post", post.pk)
    return author, post, Case.objects.get(target_id=post.pk)


def test_a_stranger_cannot_see_the_queue_or_act(make_user, reported) -> None:
    author, post, case = reported
    stranger = make_user("stranger")
    client = web_as(stranger)
    before = snapshot()
    assert client.get("/moderation/").status_code == 404
    assert client.get(f"/moderation/cases/{case.pk}/").status_code == 404
    answer = client.post(
        f"/moderation/cases/{case.pk}/act/", {"action": "remove", "reason": "spam"}
    )
    assert answer.status_code == 404
    assert (
        web_as(author)
        .post(f"/moderation/cases/{case.pk}/act/", {"action": "ban", "reason": "x"})
        .status_code
        == 404
    )
    with pytest.raises(Exception, match="Only moderators"):
        services.case_act(moderator=stranger, case_id=case.pk, action="dismiss", reason="x")
    assert snapshot() == before
    assert Post.objects.filter(pk=post.pk).exists()


def test_the_queue_and_case_pages_show_the_target_and_reports(moderator, reported) -> None:
    _, _post, case = reported
    client = web_as(moderator)
    queue = client.get("/moderation/")
    assert queue.status_code == 200
    assert b"buy now" in queue.content
    assert b"Spam (1)" in queue.content
    page = client.get(f"/moderation/cases/{case.pk}/")
    assert page.status_code == 200
    assert b"@reporter" in page.content
    assert b"<img" in page.content


def test_removing_a_post_deletes_it_blocks_its_image_and_tells_the_author(
    moderator, reported, make_user
) -> None:
    author, post, case = reported
    count = User.objects.get(pk=author.pk).post_count
    answer = web_as(moderator).post(
        f"/moderation/cases/{case.pk}/act/", {"action": "remove", "reason": "Spam links"}
    )
    assert answer.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    assert User.objects.get(pk=author.pk).post_count == count - 1
    assert MediaBlock.objects.count() == 1
    logged = ModerationAction.objects.get()
    assert (logged.moderator, logged.action, logged.reason) == (moderator, "remove", "Spam links")
    assert Case.objects.get(pk=case.pk).state == "resolved"
    (notice,) = notes.notifications_page(viewer=author).items
    assert notice.kind == "content_removed"
    assert "Spam links" in notice.text
    assert api_as(make_user()).get(f"posts/{post.pk}").status_code == 404
    with pytest.raises(ValueError, match="append-only"):
        logged.save()


def test_removing_a_comment_keeps_the_counts_exact(moderator, make_user, publish) -> None:
    author, commenter = make_user("author"), make_user("commenter")
    post = publish(author)
    from glimpse.posts import services as posts

    comment = posts.comment_create(author=commenter, post_id=post.pk, text="rude")
    report(author, "comment", comment.pk, reason="harassment")
    case = Case.objects.get(target_type="comment")
    services.case_act(moderator=moderator, case_id=case.pk, action="remove", reason="Rude")
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_dismissing_shows_hidden_content_again(
    settings, moderator, make_user, established, publish
) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 1
    post = publish(make_user("author"))
    report(established(), "post", post.pk)
    viewer = api_as(make_user())
    assert viewer.get(f"posts/{post.pk}").status_code == 404
    case = Case.objects.get(target_id=post.pk)
    services.case_act(moderator=moderator, case_id=case.pk, action="dismiss", reason="Fine")
    assert viewer.get(f"posts/{post.pk}").status_code == 200


def test_warning_tells_the_account(moderator, reported) -> None:
    author, _, case = reported
    services.case_act(moderator=moderator, case_id=case.pk, action="warn", reason="Be nice")
    (notice,) = notes.notifications_page(viewer=author).items
    assert notice.kind == "warning"
    assert "Be nice" in notice.text
    prefs = api_as(author).patch("notifications/preferences", {"warning": "off"})
    assert prefs.status_code == 422


def test_suspension_stops_the_token_and_hides_content_until_the_job_ends_it(
    moderator, reported, make_user
) -> None:
    author, post, case = reported
    client, viewer = api_as(author), api_as(make_user())
    assert client.get("accounts/me").status_code == 200
    answer = web_as(moderator).post(
        f"/moderation/cases/{case.pk}/act/", {"action": "suspend", "reason": "Spam", "days": "3"}
    )
    assert answer.status_code == 302
    assert client.get("accounts/me").status_code == 401
    assert viewer.get(f"posts/{post.pk}").status_code == 404
    assert ModerationAction.objects.get().duration == timedelta(days=3)
    assert end_suspensions() == 0  # not over yet
    User.objects.filter(pk=author.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    assert end_suspensions() == 1
    assert client.get("accounts/me").status_code == 200
    assert viewer.get(f"posts/{post.pk}").status_code == 200


def test_a_suspension_needs_a_valid_length_and_a_reason(moderator, reported) -> None:
    _, _, case = reported
    before = snapshot()
    client = web_as(moderator)
    client.post(f"/moderation/cases/{case.pk}/act/", {"action": "suspend", "reason": "x"})
    client.post(f"/moderation/cases/{case.pk}/act/", {"action": "ban", "reason": " "})
    assert snapshot() == before


def test_ban_is_permanent(moderator, reported) -> None:
    author, _, case = reported
    services.case_act(moderator=moderator, case_id=case.pk, action="ban", reason="Scam ring")
    User.objects.filter(pk=author.pk).update(suspended_until=timezone.now() - timedelta(days=1))
    assert end_suspensions() == 0
    assert not User.objects.get(pk=author.pk).is_active
    assert web_as(None).get(f"/{author.username}/").status_code == 404


def test_only_moderators_see_the_queue_in_the_navigation(
    moderator: User, make_user: Callable[..., User]
) -> None:
    queue = reverse("moderation:queue")
    assert f'href="{queue}"' in web_as(moderator).get("/").content.decode()
    assert f'href="{queue}"' not in web_as(make_user("ana")).get("/").content.decode()
