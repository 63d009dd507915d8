"""Reporting: the API, deduplication, visibility, and hiding by the report threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from glimpse.accounts.services import account_activity_refresh
from glimpse.graph import services as graph
from glimpse.moderation import services
from glimpse.moderation.models import Case, ModerationAction, Report
from glimpse.posts import selectors as post_selectors
from glimpse.posts.models import Post
from tests.moderation.conftest import api_as, report, snapshot, web_as

pytestmark = pytest.mark.django_db


def test_a_report_is_made_once_per_reporter_and_target(make_user, publish) -> None:
    author, reporter = make_user("author"), make_user("reporter")
    post = publish(author)
    client = api_as(reporter)
    body = {"target_type": "post", "target_id": str(post.pk), "reason": "spam", "note": "ads"}
    first = client.post("reports", body)
    assert first.status_code == 201, first.content
    assert first.json()["reason"] == "spam"
    before = snapshot()
    again = client.post("reports", {**body, "reason": "scam"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_reported"
    assert snapshot() == before
    case = Case.objects.get(target_type="post", target_id=post.pk)
    assert case.report_count == 1
    assert case.state == "open"


@pytest.mark.parametrize("relation", ["stranger_private", "blocked", "missing"])
def test_what_the_reporter_may_not_see_is_a_404_and_nothing_changes(
    make_user, publish, relation
) -> None:
    author, reporter = make_user("author", is_private=relation == "stranger_private"), make_user()
    post = publish(author)
    if relation == "blocked":
        graph.block_create(blocker=author, blocked=reporter)
    target_id = post.pk + 1 if relation == "missing" else post.pk
    before = snapshot()
    answer = api_as(reporter).post(
        "reports", {"target_type": "post", "target_id": str(target_id), "reason": "spam"}
    )
    assert answer.status_code == 404
    assert snapshot() == before


def test_bad_input_and_own_content_are_refused(make_user, publish) -> None:
    author = make_user("author")
    post = publish(author)
    client = api_as(author)
    before = snapshot()
    bad = client.post("reports", {"target_type": "post", "target_id": str(post.pk), "reason": "x"})
    assert bad.status_code == 422
    own = client.post(
        "reports", {"target_type": "post", "target_id": str(post.pk), "reason": "spam"}
    )
    assert own.status_code == 403
    anonymous = api_as(None).post(
        "reports", {"target_type": "post", "target_id": str(post.pk), "reason": "spam"}
    )
    assert anonymous.status_code == 401
    assert snapshot() == before


def test_many_reports_hide_a_post_from_all_but_its_author(
    settings, make_user, established, publish
) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 3
    author, other = make_user("author"), make_user("other")
    post = publish(author)
    reporters = [established() for _ in range(3)]
    for reporter in reporters[:2]:
        report(reporter, "post", post.pk)
    assert post_selectors.posts_visible(viewer=other).filter(pk=post.pk).exists()
    report(reporters[2], "post", post.pk)
    assert Case.objects.get(target_id=post.pk).state == "hidden"
    assert not post_selectors.posts_visible(viewer=other).filter(pk=post.pk).exists()
    assert not post_selectors.posts_visible(viewer=None).filter(pk=post.pk).exists()
    assert post_selectors.posts_visible(viewer=author).filter(pk=post.pk).exists()
    assert api_as(other).get(f"posts/{post.pk}").status_code == 404
    assert web_as(other).get(f"/p/{post.pk}/").status_code == 404
    assert api_as(author).get(f"posts/{post.pk}").status_code == 200


def test_old_reports_do_not_count_towards_hiding(settings, make_user, established, publish) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 2
    author = make_user("author")
    post = publish(author)
    first = report(established(), "post", post.pk)
    Report.objects.filter(pk=first.pk).update(
        created_at=first.created_at.replace(year=first.created_at.year - 1)
    )
    report(established(), "post", post.pk)
    assert Case.objects.get(target_id=post.pk).state == "open"
    assert Post.objects.filter(pk=post.pk).exists()


def test_five_new_accounts_cannot_hide_a_post(make_user, publish) -> None:
    author, other = make_user("author"), make_user("other")
    post = publish(author)
    for _ in range(5):  # the default threshold, by accounts made just now
        report(make_user(), "post", post.pk)
    case = Case.objects.get(target_id=post.pk)
    assert (case.state, case.report_count) == ("open", 5)  # the queue still has them all
    assert post_selectors.posts_visible(viewer=other).filter(pk=post.pk).exists()
    assert api_as(None).get(f"posts/{post.pk}").status_code == 200


def test_five_established_reporters_still_hide_a_post(make_user, established, publish) -> None:
    author, other = make_user("author"), make_user("other")
    post = publish(author)
    for _ in range(4):
        report(established(), "post", post.pk)
    assert Case.objects.get(target_id=post.pk).state == "open"
    report(established(), "post", post.pk)
    assert Case.objects.get(target_id=post.pk).state == "hidden"
    assert api_as(other).get(f"posts/{post.pk}").status_code == 404


def test_the_minimum_age_is_a_setting(settings, make_user, publish) -> None:
    settings.GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS = 0
    post = publish(make_user("author"))
    for _ in range(5):
        report(make_user(), "post", post.pk)
    assert Case.objects.get(target_id=post.pk).state == "hidden"


def test_suspended_and_banned_reporters_do_not_count(make_user, established, publish) -> None:
    post = publish(make_user("author"))
    for _ in range(3):
        report(established(), "post", post.pk)
    suspended, banned = established("suspended"), established("banned")
    report(suspended, "post", post.pk)
    suspended.suspended_until = timezone.now() + timedelta(days=3)
    account_activity_refresh(user=suspended)  # put out of action after reporting
    report(banned, "post", post.pk)
    banned.banned_at = timezone.now()
    account_activity_refresh(user=banned)
    report(make_user(), "post", post.pk)  # and a new account: 6 reports, 3 that count
    report(established(), "post", post.pk)
    case = Case.objects.get(target_id=post.pk)
    assert (case.state, case.report_count) == ("open", 7)
    report(established(), "post", post.pk)  # the fifth in good standing
    assert Case.objects.get(target_id=post.pk).state == "hidden"


def test_a_reporter_warned_lately_does_not_count(
    settings, moderator, make_user, established, publish
) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 2
    warned = established("warned")
    own = publish(warned, caption="buy now")
    report(established(), "post", own.pk)
    services.case_act(
        moderator=moderator,
        case_id=Case.objects.get(target_id=own.pk).pk,
        action="warn",
        reason="Spam",
    )
    post = publish(make_user("author"))
    report(warned, "post", post.pk)
    report(established(), "post", post.pk)
    assert Case.objects.get(target_id=post.pk).state == "open"
    ModerationAction.objects.filter(account=warned).update(
        created_at=timezone.now() - timedelta(days=settings.GLIMPSE_REPORT_STANDING_DAYS + 1)
    )
    report(established(), "post", post.pk)  # the warning is old now: two count
    assert Case.objects.get(target_id=post.pk).state == "hidden"


def test_the_report_page_sends_a_report(make_user, publish) -> None:
    author, reporter = make_user("author"), make_user("reporter")
    post = publish(author)
    client = web_as(reporter)
    page = client.get(f"/report/post/{post.pk}/")
    assert page.status_code == 200
    assert b"Why are you reporting it?" in page.content
    sent = client.post(f"/report/post/{post.pk}/", {"reason": "nudity", "note": "no"})
    assert sent.status_code == 302
    assert Report.objects.get(reporter=reporter).reason == "nudity"
    assert web_as(make_user()).get(f"/report/post/{post.pk + 1}/").status_code == 404
