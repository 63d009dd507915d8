"""Reports across servers: another server's ``Flag`` of a local account or its posts is filed
in the moderation queue (never hiding anything by itself); a local report of another server's
account is sent to that server, without the reporter's name, only when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, TestCase

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.federation.actors import actor_id, instance_actor_id
from glimpse.federation.models import InboxActivity, InboxState
from glimpse.federation.objects import local_post_uri
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.moderation.models import Case, Report
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.federation.remote_server import Peer, Remote, peer
from tests.posts.conftest import media_for

__all__ = ["media_for"]


@pytest.fixture
def moderators(remote: Remote) -> Peer:
    """The other server's instance actor, which sends its moderators' reports."""
    return peer(remote, "moderators")


@pytest.fixture
def ana_post(ana: User, media_for: Callable[..., list[Any]]) -> Post:
    [photo] = media_for(ana)
    return services.post_create(author=ana, media_ids=[photo.pk], caption="Lake")


def test_a_flag_of_an_account_and_its_post_reaches_the_queue(
    moderators: Peer, ana: User, ana_post: Post
) -> None:
    flag = moderators.activity(
        "Flag", [actor_id("ana"), local_post_uri(ana_post.pk)], content="<p>Spam links</p>"
    )
    assert moderators.send(flag).status_code == 202
    (report,) = Report.objects.all()
    assert (report.target_type, report.target_id) == ("post", ana_post.pk)
    assert report.reporter == actor_by_uri(moderators.uri)
    assert report.reason == "other"
    assert report.note == f"Sent from {moderators.remote.host}'s moderators. Spam links"
    assert Case.objects.get().account == ana


def test_a_flag_of_an_account_alone_reports_the_account(moderators: Peer, ana: User) -> None:
    moderators.send(moderators.activity("Flag", actor_id("ana"), content="Impersonation"))
    (report,) = Report.objects.all()
    assert (report.target_type, report.target_id) == ("account", ana.pk)


def test_a_flag_of_a_post_alone_finds_its_author(moderators: Peer, ana_post: Post) -> None:
    moderators.send(moderators.activity("Flag", [local_post_uri(ana_post.pk)]))
    (report,) = Report.objects.all()
    assert (report.target_type, report.target_id) == ("post", ana_post.pk)


def test_a_flag_of_nothing_here_is_left_alone(moderators: Peer, remote: Remote) -> None:
    other = peer(remote, "bob")
    moderators.send(moderators.activity("Flag", [other.uri, "https://glimpse.example/p/1/"]))
    assert not Report.objects.exists()
    assert InboxActivity.objects.get().state == InboxState.IGNORED


def test_a_flag_of_what_the_sender_may_not_see_files_nothing(
    moderators: Peer, make_user: Callable[..., User], media_for: Callable[..., list[Any]]
) -> None:
    bea = make_user("bea", is_private=True)
    [photo] = media_for(bea)
    post = services.post_create(author=bea, media_ids=[photo.pk])
    moderators.send(moderators.activity("Flag", [actor_id("bea"), local_post_uri(post.pk)]))
    assert not Report.objects.exists()
    assert not Case.objects.exists()


def test_reports_from_other_servers_never_hide_content(
    remote: Remote, ana_post: Post, settings: Any
) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 2
    settings.GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS = 0
    for name in ("m1", "m2", "m3"):
        reporter = peer(remote, name)
        reporter.send(reporter.activity("Flag", [local_post_uri(ana_post.pk)]))
    assert Report.objects.count() == 3
    assert Case.objects.get().state == Case.State.OPEN


# --- Reports sent to other servers -----------------------------------------------------------


def _report(reporter: User, account: User, *, forward: bool) -> Any:
    _, secret = token_create(user=reporter, name="tests")
    body: dict[str, Any] = {"target_type": "account", "target_id": str(account.pk)}
    body |= {"reason": "spam", "note": "Sells fake watches", "forward": forward}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return ApiClient(secret).post("reports", body)


def test_a_report_asked_to_go_to_the_other_server_is_sent_without_the_reporter(
    remote: Remote, ana: User
) -> None:
    bob = peer(remote, "bob")
    account = actor_by_uri(bob.uri)
    assert _report(ana, account, forward=True).status_code == 201
    (flag,) = remote.posted("/inbox")  # bob's server's shared inbox
    assert flag["type"] == "Flag"
    assert flag["actor"] == instance_actor_id()
    assert flag["object"] == [bob.uri]
    assert flag["content"] == "Sells fake watches"
    assert "ana" not in str(flag)


def test_a_report_not_asked_to_go_stays_here(remote: Remote, ana: User) -> None:
    account = actor_by_uri(peer(remote, "bob").uri)
    assert _report(ana, account, forward=False).status_code == 201
    assert remote.posted("/inbox") == []
    assert Report.objects.count() == 1


def test_the_client_api_forwards_when_asked(remote: Remote, ana: User) -> None:
    bob = peer(remote, "bob")
    account = actor_by_uri(bob.uri)
    _, secret = token_create(user=ana, name="tests")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            "/api/v1/reports",
            {"account_id": str(account.pk), "comment": "Spam", "forward": "true"},
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code == 200, response.content
    (flag,) = remote.posted("/inbox")
    assert flag["object"] == [bob.uri]


def test_the_report_form_offers_to_send_it_only_for_another_servers_account(
    remote: Remote, ana: User, make_user: Callable[..., User]
) -> None:
    account = actor_by_uri(peer(remote, "bob").uri)
    local = make_user("cai")
    client = Client()
    client.force_login(ana)
    remote_form = client.get(
        f"/report/account/{account.pk}/", secure=True, HTTP_HOST="glimpse.example"
    )
    local_form = client.get(
        f"/report/account/{local.pk}/", secure=True, HTTP_HOST="glimpse.example"
    )
    assert remote_form.status_code == local_form.status_code == 200
    assert b'name="forward"' in remote_form.content
    assert remote.host.encode() in remote_form.content
    assert b'name="forward"' not in local_form.content
