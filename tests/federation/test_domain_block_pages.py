"""The moderators' pages of other servers: only moderators reach them, a suspension is
confirmed with what it reaches, and every form's refusal says what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from glimpse.accounts.models import User
from glimpse.accounts.services import remote_account_create
from glimpse.federation.domain_blocks.models import DomainBlock
from glimpse.graph import services as graph
from tests.graph.conftest import web_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    mod = make_user("mod")
    mod.user_permissions.add(Permission.objects.get(codename="moderate"))
    return User.objects.get(pk=mod.pk)


def blocks() -> list[tuple[str, str, bool]]:
    return list(DomainBlock.objects.values_list("domain", "severity", "reject_media"))


def test_only_moderators_reach_the_pages_and_nothing_changes(
    make_user: Callable[..., User], moderator: User
) -> None:
    block = DomainBlock.objects.create(domain="bad.test", severity="silence")
    someone, blocked = make_user("someone"), make_user("blocked")
    graph.block_create(blocker=moderator, blocked=blocked)
    before = blocks()
    for user in (None, someone, blocked):
        web = web_as(user)
        answers = [
            web.get("/moderation/domains/"),
            web.post("/moderation/domains/", {"domain": "x.test", "severity": "silence"}),
            web.get(f"/moderation/domains/{block.pk}/"),
            web.post(f"/moderation/domains/{block.pk}/", {"severity": "suspend", "confirm": "yes"}),
            web.post(f"/moderation/domains/{block.pk}/remove/"),
        ]
        expected = 302 if user is None else 404  # a stranger logs in first
        assert [answer.status_code for answer in answers] == [expected] * 5
    assert blocks() == before


def test_a_moderator_silences_then_suspends_after_confirming(moderator: User) -> None:
    remote_account_create(
        username="bob@bad.test",
        display_name="",
        bio="",
        is_private=False,
        remote_url="https://bad.test/users/bob",
    )
    web = web_as(moderator)
    listed = web.post(
        "/moderation/domains/",
        {"domain": "bad.test", "severity": "silence", "public_comment": "Spam"},
        follow=True,
    )
    assert b"bad.test" in listed.content
    assert blocks() == [("bad.test", "silence", False)]
    block = DomainBlock.objects.get()
    asked = web.post(
        f"/moderation/domains/{block.pk}/", {"severity": "suspend", "reject_media": "on"}
    )
    assert asked.status_code == 200
    assert b"1</strong> account" in asked.content  # what the suspension reaches
    assert blocks() == [("bad.test", "silence", False)]  # nothing yet
    web.post(
        f"/moderation/domains/{block.pk}/",
        {"severity": "suspend", "reject_media": "on", "confirm": "yes"},
    )
    assert blocks() == [("bad.test", "suspend", True)]
    web.post(f"/moderation/domains/{block.pk}/remove/")
    assert blocks() == []


def test_a_new_suspension_is_confirmed_and_bad_input_explained(moderator: User) -> None:
    web = web_as(moderator)
    asked = web.post("/moderation/domains/", {"domain": "worse.test", "severity": "suspend"})
    assert b"Suspend worse.test" in asked.content
    assert blocks() == []
    web.post(
        "/moderation/domains/", {"domain": "worse.test", "severity": "suspend", "confirm": "yes"}
    )
    assert blocks() == [("worse.test", "suspend", False)]
    refused = web.post("/moderation/domains/", {"domain": "not a domain", "severity": "silence"})
    assert refused.status_code == 422
    assert b"like example.social" in refused.content
    again = web.post("/moderation/domains/", {"domain": "worse.test", "severity": "silence"})
    assert again.status_code == 409
    assert b"change that block instead" in again.content
    assert blocks() == [("worse.test", "suspend", False)]


def test_an_unknown_block_is_a_404(moderator: User) -> Any:
    web = web_as(moderator)
    assert web.get("/moderation/domains/999/").status_code == 404
    assert web.post("/moderation/domains/999/remove/").status_code == 404
