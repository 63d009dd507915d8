"""Hiding goes through graph: the report threshold hides the content in the policy's table,
and any decision of a moderator on the case shows it again (or it is gone)."""

from __future__ import annotations

import pytest

from glimpse.graph.models import HiddenContent
from glimpse.moderation import services
from glimpse.moderation.models import Case
from glimpse.posts import selectors as post_selectors
from glimpse.posts import services as posts
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def hidden() -> list[tuple[str, int]]:
    return sorted(HiddenContent.objects.values_list("kind", "target_id"))


@pytest.mark.parametrize("action", ["dismiss", "warn", "remove"])
def test_the_threshold_hides_and_a_decision_shows_again(
    settings, make_user, established, publish, moderator, action
) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 2
    author, other = make_user("author"), make_user("other")
    post = publish(author)
    report(established(), "post", post.pk)
    assert hidden() == []
    report(established(), "post", post.pk)
    assert hidden() == [("post", post.pk)]
    case = Case.objects.get(target_id=post.pk)
    services.case_act(moderator=moderator, case_id=case.pk, action=action, reason="Looked")
    assert hidden() == []
    shown = post_selectors.posts_visible(viewer=other).filter(pk=post.pk).exists()
    assert shown is (action != "remove")


def test_a_comment_is_hidden_by_its_own_kind(settings, make_user, established, publish) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 1
    author = make_user("author")
    post = publish(author)
    comment = posts.comment_create(author=author, post_id=post.pk, text="hello")
    report(established(), "comment", comment.pk)
    assert hidden() == [("comment", comment.pk)]


def test_an_account_report_hides_nothing(settings, make_user, established) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 1
    account = make_user("account")
    report(established(), "account", account.pk)
    assert Case.objects.get(target_id=account.pk).state == "open"
    assert hidden() == []
