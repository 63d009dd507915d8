"""The social graph's web pages through Django's test client, checked against the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.graph import services
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from tests.graph.conftest import counts, follow_approved, graph_state, web_as

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


def page(response: Any) -> str:
    return response.content.decode()


def buttons(html: str) -> list[str]:
    """Return the visible text of every button and menu summary of a page."""
    found = re.findall(r"<(?:button|summary)[^>]*>(.*?)</(?:button|summary)>", html, re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


@pytest.fixture
def ben(make_user: MakeUser) -> User:
    return make_user("ben", display_name="Ben Ito")


@pytest.fixture
def pia(make_user: MakeUser) -> User:
    return make_user("pia", display_name="Pia Ray", is_private=True)


@pytest.fixture
def browser(user: User) -> Client:
    """A web client logged in as ana."""
    return web_as(user)


# --- The follow button and its three states -----------------------------------------------


def test_follow_button_follow_then_following_then_unfollow(
    browser: Client, user: User, ben: User
) -> None:
    profile = reverse("profile", args=["ben"])
    assert "Follow" in buttons(page(browser.get(profile)))
    response = browser.post(reverse("graph:follow", args=["ben"]), {"next": profile})
    assert response.status_code == 302
    assert response["Location"] == profile
    assert Follow.objects.filter(follower=user, followee=ben).exists()
    html = page(browser.get(profile))
    assert "Following" in buttons(html)
    assert "Unfollow @ben" in buttons(html)
    assert "<strong>1</strong> follower" in html
    browser.post(reverse("graph:unfollow", args=["ben"]), {"next": profile})
    assert not Follow.objects.exists()
    assert counts(ben) == (0, 0)


def test_follow_button_requested_then_cancel(browser: Client, user: User, pia: User) -> None:
    profile = reverse("profile", args=["pia"])
    html = page(browser.get(profile))
    assert "This account is private" in html
    assert reverse("graph:followers", args=["pia"]) not in html  # counts are not links
    response = browser.post(reverse("graph:follow", args=["pia"]), follow=True)
    assert "will decide whether to approve" in page(response)
    html = page(browser.get(profile))
    assert "Requested" in buttons(html)
    assert "Cancel request" in buttons(html)
    assert "waiting for approval" in html
    browser.post(reverse("graph:unfollow", args=["pia"]))
    assert not FollowRequest.objects.exists()
    assert "Follow" in buttons(page(browser.get(profile)))


def test_follow_back_and_follows_you(browser: Client, user: User, ben: User) -> None:
    services.follow_create(follower=ben, followee=user)
    html = page(browser.get(reverse("profile", args=["ben"])))
    assert "Follow back" in buttons(html)
    assert "Follows you" in html
    assert "Remove follower" in buttons(html)


def test_anonymous_visitors_are_sent_to_log_in(client: Client, ben: User) -> None:
    html = page(client.get(reverse("profile", args=["ben"])))
    assert f"{reverse('accounts:login')}?next=/ben/" in html
    before = graph_state()
    response = client.post(reverse("graph:follow", args=["ben"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert graph_state() == before


def test_own_profile_links_to_requests_and_lists(client: Client, pia: User, ben: User) -> None:
    services.follow_create(follower=ben, followee=pia)
    client.force_login(pia)
    html = page(client.get(reverse("profile", args=["pia"])))
    assert "Follow requests (1)" in html
    assert reverse("graph:followers", args=["pia"]) in html
    assert reverse("graph:following", args=["pia"]) in html
    assert "This account is private" not in html


def test_approved_follower_sees_the_private_profile(client: Client, pia: User, ben: User) -> None:
    follow_approved(ben, pia)
    client.force_login(ben)
    html = page(client.get(reverse("profile", args=["pia"])))
    assert "This account is private" not in html
    assert reverse("graph:followers", args=["pia"]) in html


# --- Lists --------------------------------------------------------------------------------


def test_followers_and_following_pages(
    browser: Client, user: User, ben: User, make_user: MakeUser
) -> None:
    fans = [make_user(f"fan{i}", display_name=f"Fan {i}") for i in range(3)]
    for fan in fans:
        services.follow_create(follower=fan, followee=ben)
    services.follow_create(follower=user, followee=fans[0])
    html = page(browser.get(reverse("graph:followers", args=["ben"])))
    assert html.index("fan2") < html.index("fan1") < html.index("fan0")
    assert "Unfollow @fan0" in buttons(html)  # ana follows fan0
    # The buttons say "Follow" and name the account for screen readers.
    assert 'aria-label="Follow @fan1">Follow</button>' in html
    html = page(browser.get(reverse("graph:following", args=["fan1"])))
    assert "ben" in html
    assert 'aria-current="page"' in html


def test_lists_paginate_with_a_more_link(
    browser: Client, ben: User, make_user: MakeUser, settings: Any
) -> None:
    from glimpse.graph import views

    for i in range(views.PAGE_SIZE + 2):
        services.follow_create(follower=make_user(f"fan{i}"), followee=ben)
    html = page(browser.get(reverse("graph:followers", args=["ben"])))
    more = re.search(r'href="\?max_id=(\d+)" rel="next"', html)
    assert more
    rest = page(browser.get(reverse("graph:followers", args=["ben"]) + f"?max_id={more[1]}"))
    assert "fan1" in rest
    assert "fan0" in rest
    assert 'rel="next"' not in rest
    assert browser.get(reverse("graph:followers", args=["ben"]) + "?max_id=x").status_code == 404


def test_own_followers_page_can_remove(browser: Client, user: User, ben: User) -> None:
    services.follow_create(follower=ben, followee=user)
    here = reverse("graph:followers", args=["ana"])
    html = page(browser.get(here))
    assert "Remove" in buttons(html)
    response = browser.post(reverse("graph:follower_remove", args=["ben"]), {"next": here})
    assert response["Location"] == here
    assert not Follow.objects.exists()
    assert counts(user) == (0, 0)


def test_private_lists_are_the_404_page_for_non_followers(
    browser: Client, pia: User, user: User
) -> None:
    services.follow_create(follower=user, followee=pia)  # requested only
    for name in ("graph:followers", "graph:following"):
        response = browser.get(reverse(name, args=["pia"]))
        assert response.status_code == 404
        assert "this page isn't available" in page(response)


# --- Follow requests ----------------------------------------------------------------------


def test_follow_requests_page_approve_and_deny(
    client: Client, pia: User, make_user: MakeUser
) -> None:
    first, second = make_user("first"), make_user("second")
    services.follow_create(follower=first, followee=pia)
    services.follow_create(follower=second, followee=pia)
    client.force_login(pia)
    html = page(client.get(reverse("graph:follow_requests")))
    assert "Approve" in buttons(html)
    assert html.index("second") < html.index("first")
    approve = FollowRequest.objects.get(requester=first)
    deny = FollowRequest.objects.get(requester=second)
    client.post(reverse("graph:follow_request_approve", args=[approve.pk]))
    response = client.post(reverse("graph:follow_request_deny", args=[deny.pk]))
    assert response["Location"] == reverse("graph:follow_requests")
    assert Follow.objects.filter(follower=first, followee=pia).exists()
    assert not FollowRequest.objects.exists()
    assert "No pending requests." in page(client.get(reverse("graph:follow_requests")))


def test_others_cannot_answer_a_request(client: Client, pia: User, make_user: MakeUser) -> None:
    asker, stranger = make_user("asker"), make_user("stranger")
    services.follow_create(follower=asker, followee=pia)
    request_id = FollowRequest.objects.get().pk
    before = graph_state()
    for who in (asker, stranger):
        client.force_login(who)
        for name in ("graph:follow_request_approve", "graph:follow_request_deny"):
            assert client.post(reverse(name, args=[request_id])).status_code == 404
        assert "No pending requests." in page(client.get(reverse("graph:follow_requests")))
    assert graph_state() == before


# --- Block and mute -----------------------------------------------------------------------


def test_block_from_the_profile_then_unblock_in_settings(
    browser: Client, user: User, ben: User
) -> None:
    follow_approved(ben, user)
    follow_approved(user, ben)
    html = page(browser.get(reverse("profile", args=["ben"])))
    assert "Block" in buttons(html)
    response = browser.post(reverse("graph:block", args=["ben"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("graph:blocked")
    html = page(response)
    assert "You blocked @ben" in html
    assert "Unblock" in buttons(html)
    assert not Follow.objects.exists()
    assert counts(user) == (0, 0)
    assert counts(ben) == (0, 0)
    # Each side is now a 404 for the other.
    assert browser.get(reverse("profile", args=["ben"])).status_code == 404
    assert web_as(ben).get(reverse("profile", args=["ana"])).status_code == 404
    here = reverse("graph:blocked")
    response = browser.post(reverse("graph:unblock", args=["ben"]), {"next": here})
    assert response["Location"] == here
    assert not Block.objects.exists()
    assert browser.get(reverse("profile", args=["ben"])).status_code == 200


def test_home_page_leaves_out_a_blocked_pair(client: Client, user: User, ben: User) -> None:
    client.force_login(ben)
    assert 'href="/ana/"' in page(client.get(reverse("home")))
    services.block_create(blocker=user, blocked=ben)
    assert 'href="/ana/"' not in page(client.get(reverse("home")))
    assert 'href="/ben/"' not in page(web_as(user).get(reverse("home")))


def test_the_blocked_side_cannot_act_on_the_blocker(client: Client, user: User, ben: User) -> None:
    services.block_create(blocker=user, blocked=ben)
    client.force_login(ben)
    before = graph_state()
    for name in ("follow", "unfollow", "block", "unblock", "mute", "unmute", "follower_remove"):
        assert client.post(reverse(f"graph:{name}", args=["ana"])).status_code == 404
    assert graph_state() == before


def test_mute_and_unmute_from_the_profile_and_settings(
    browser: Client, user: User, ben: User
) -> None:
    profile = reverse("profile", args=["ben"])
    assert "Mute" in buttons(page(browser.get(profile)))
    browser.post(reverse("graph:mute", args=["ben"]), {"next": profile})
    assert Mute.objects.filter(muter=user, muted=ben).exists()
    assert "Unmute" in buttons(page(browser.get(profile)))
    # The muted account sees nothing of it.
    assert "Unmute" not in buttons(page(web_as(ben).get(reverse("profile", args=["ana"]))))
    html = page(browser.get(reverse("graph:muted")))
    assert "ben" in html
    browser.post(reverse("graph:unmute", args=["ben"]), {"next": reverse("graph:muted")})
    assert not Mute.objects.exists()
    assert "You haven't muted anyone." in page(browser.get(reverse("graph:muted")))


def test_settings_link_to_the_privacy_pages(browser: Client) -> None:
    html = page(browser.get(reverse("accounts:settings")))
    for name in ("graph:follow_requests", "graph:blocked", "graph:muted"):
        assert reverse(name) in html


@pytest.mark.parametrize(
    "name", ["graph:follow_requests", "graph:blocked", "graph:muted"], ids=lambda n: n[6:]
)
def test_own_pages_need_a_log_in(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name", ["follow", "unfollow", "block", "unblock", "mute", "unmute", "follower_remove"]
)
def test_actions_are_post_only_with_csrf(user: User, ben: User, name: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = graph_state()
    url = reverse(f"graph:{name}", args=["ben"])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert graph_state() == before


def test_following_oneself_is_a_400(browser: Client, user: User) -> None:
    before = graph_state()
    assert browser.post(reverse("graph:follow", args=["ana"])).status_code == 400
    assert graph_state() == before


def test_redirects_only_to_this_site(browser: Client, ben: User) -> None:
    response = browser.post(
        reverse("graph:follow", args=["ben"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("profile", args=["ben"])
