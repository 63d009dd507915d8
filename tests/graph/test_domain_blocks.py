"""An account's own domain blocks: what they hide both ways, the follows they end, and the
API, client API and settings page that manage them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import remote_account_create
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.graph import services as graph
from glimpse.graph.domain_services import account_domain_block_create, account_domain_block_delete
from glimpse.graph.models import AccountDomainBlock, Follow, FollowRequest
from glimpse.graph.visibility import account_visible, visible_account_ids
from glimpse.posts.models import Comment, Post
from tests.graph.conftest import api_as, web_as
from tests.mastodon.conftest import bearer_of, client_api
from tests.posts.conftest import follow, media_for, publish

__all__ = ["media_for", "publish"]

pytestmark = pytest.mark.django_db


def remote_user(name: str, *, private: bool = False) -> User:
    return remote_account_create(
        username=name, display_name="", bio="", is_private=private, remote_url=f"https://{name}"
    )


def rows() -> list[Any]:
    return [
        list(AccountDomainBlock.objects.values_list("owner_id", "domain")),
        list(Follow.objects.order_by("pk").values_list("follower_id", "followee_id")),
    ]


def test_blocking_a_domain_hides_its_accounts_both_ways_and_ends_follows(
    make_user: Callable[..., User], publish: Callable[..., Post]
) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    bob, cy = remote_user("bob@bad.test:8443"), remote_user("cy@bad.test", private=True)
    dee = remote_user("dee@sub.bad.test")  # a subdomain is another server for a person
    for follower, followee in ((ana, bob), (bob, ana), (ben, bob), (ana, dee)):
        follow(follower, followee)
    graph.follow_create(follower=ana, followee=cy)  # a request to a private account
    post = publish(bob)
    comment = Comment.objects.create(post=publish(ana), author=bob, text="hi")

    assert account_domain_block_create(owner=ana, domain="https://BAD.test/@bob") == "bad.test"
    assert not account_visible(ana, bob)
    assert not account_visible(bob, ana)  # and the owner from them: they cannot interact
    assert account_visible(ana, dee)
    assert account_visible(ben, bob)  # only the owner blocked it
    assert not Post.objects.visible_to(ana).filter(pk=post.pk).exists()
    assert Post.objects.visible_to(ben).filter(pk=post.pk).exists()
    assert not Comment.objects.visible_to(ana).filter(pk=comment.pk).exists()
    assert visible_account_ids(ana, {bob.pk, dee.pk}) == {dee.pk}
    assert visible_account_ids(bob, {ana.pk, ben.pk}) == {ben.pk}
    assert rows()[1] == [(ben.pk, bob.pk), (ana.pk, dee.pk)]
    assert not FollowRequest.objects.filter(requester=ana).exists()
    ana.refresh_from_db()
    bob.refresh_from_db()
    assert (ana.follower_count, ana.following_count) == (0, 1)
    assert (bob.follower_count, bob.following_count) == (1, 0)
    with pytest.raises(NotFound):
        graph.follow_create(follower=bob, followee=ana)
    assert account_domain_block_create(owner=ana, domain="bad.test") == "bad.test"  # twice: fine

    account_domain_block_delete(owner=ana, domain="bad.test")
    assert account_visible(ana, bob)
    assert Post.objects.visible_to(ana).filter(pk=post.pk).exists()
    assert len(rows()[1]) == 2  # the follows that ended stay ended


def test_a_domain_must_be_a_domain(make_user: Callable[..., User], settings: Any) -> None:
    settings.GLIMPSE_SITE_URL = "https://glimpse.example"
    ana = make_user("ana")
    for bad in ("", "not a domain", "192.168.1.1", "glimpse.example", "x" * 300 + ".test"):
        with pytest.raises(InvalidInput):
            account_domain_block_create(owner=ana, domain=bad)
    assert rows()[0] == []


def test_the_api_lists_blocks_and_unblocks_domains(make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    api = api_as(ana)
    assert api.post("accounts/me/blocked-domains", {"domain": "Bad.Test"}).json()["domain"] == (
        "bad.test"
    )
    assert [i["domain"] for i in api.get("accounts/me/blocked-domains").json()["items"]] == [
        "bad.test"
    ]
    refused = api.post("accounts/me/blocked-domains", {"domain": "nope"})
    assert refused.status_code == 422
    assert "domain" in refused.json()["error"]["fields"]
    assert api.delete("accounts/me/blocked-domains/bad.test").status_code == 204
    assert rows()[0] == []


def test_strangers_cannot_use_the_api_and_nothing_changes(make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    account_domain_block_create(owner=ana, domain="bad.test")
    before = rows()
    anonymous = api_as(None)
    assert anonymous.get("accounts/me/blocked-domains").status_code == 401
    assert anonymous.post("accounts/me/blocked-domains", {"domain": "x.test"}).status_code == 401
    assert anonymous.delete("accounts/me/blocked-domains/bad.test").status_code == 401
    # Another account sees and lifts only its own blocks.
    other = api_as(make_user("ben"))
    assert other.get("accounts/me/blocked-domains").json()["items"] == []
    assert other.delete("accounts/me/blocked-domains/bad.test").status_code == 204
    assert rows() == before


def test_the_client_api_speaks_mastodons_domain_blocks(make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    auth = bearer_of(ana)
    client = Client()
    assert client.post("/api/v1/domain_blocks", {"domain": "bad.test"}, **auth).json() == {}
    client.post("/api/v1/domain_blocks", {"domain": "worse.test"}, **auth)
    listed = client.get("/api/v1/domain_blocks", **auth)
    assert listed.json() == ["worse.test", "bad.test"]
    assert client_api().get("domain_blocks").status_code == 401
    assert client.post("/api/v1/domain_blocks", {"domain": "?"}, **auth).status_code == 422
    gone = client.delete("/api/v1/domain_blocks?domain=bad.test", **auth)
    assert gone.json() == {}
    assert client.get("/api/v1/domain_blocks", **auth).json() == ["worse.test"]


def test_the_settings_page_blocks_and_unblocks(make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    web = web_as(ana)
    page = web.post("/accounts/settings/blocked-domains/", {"domain": "bad.test"}, follow=True)
    assert b"bad.test" in page.content
    refused = web.post("/accounts/settings/blocked-domains/", {"domain": "no pe"})
    assert refused.status_code == 422
    assert b"domain name" in refused.content
    web.post("/accounts/settings/blocked-domains/unblock/", {"domain": "bad.test"})
    assert rows()[0] == []
    anonymous = web_as(None).post("/accounts/settings/blocked-domains/", {"domain": "x.test"})
    assert anonymous.status_code == 302
    assert "/login" in anonymous["Location"]
    assert rows()[0] == []
