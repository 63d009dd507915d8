"""Follow, ask, approve, mute and block in a real browser, at both viewports."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from tests.browser.conftest import BrowserPage

PASSWORD = "a-long-and-unusual-passphrase"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser_page: BrowserPage, username: str) -> None:
    page = browser_page.page
    browser_page.end_session()
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Home: the welcome card of an empty feed, or the feed (whose heading is for screen readers).
    home = re.compile(rf"^(Welcome, {re.escape(username)}|Home$)", re.IGNORECASE)
    expect(page.get_by_role("heading", level=1)).to_have_text(home)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_follow_request_approve_mute_and_block(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    make_user("rui", display_name="Rui Costa")
    make_user("lena", display_name="Lena Park", is_private=True)

    # Rui follows Lena, who is private: a request.
    log_in(browser_page, "rui")
    browser_page.goto("/lena/")
    expect(page.get_by_role("heading", name="This account is private")).to_be_visible()
    page.get_by_role("button", name="Follow @lena").click()
    expect(page.get_by_text("Requested: @lena will decide")).to_be_visible()
    page.get_by_label("Requested to follow @lena: options").click()
    expect(page.get_by_role("button", name="Cancel request")).to_be_visible()
    browser_page.screenshot("graph-01-requested")
    assert FollowRequest.objects.count() == 1

    # Lena approves it from her profile's "Follow requests".
    log_in(browser_page, "lena")
    browser_page.goto("/lena/")
    page.get_by_role("link", name="Follow requests (1)").click()
    expect(page.get_by_role("heading", name="Follow requests")).to_be_visible()
    browser_page.screenshot("graph-02-requests")
    page.get_by_role("button", name="Approve @rui").click()
    expect(page.get_by_text("No pending requests.")).to_be_visible()
    assert Follow.objects.filter(follower__username="rui", followee__username="lena").exists()

    # Her followers list shows Rui, with a Remove button.
    browser_page.goto("/lena/")
    page.get_by_role("link", name="1 follower").click()
    expect(page.get_by_role("link", name="rui Rui Costa")).to_be_visible()
    expect(page.get_by_role("button", name="Remove @rui from your followers")).to_be_visible()
    browser_page.screenshot("graph-03-followers")

    # Rui now sees Lena's profile, mutes her, then blocks her from the menu.
    log_in(browser_page, "rui")
    browser_page.goto("/lena/")
    expect(page.get_by_text("This account is private")).to_have_count(0)
    page.get_by_label("More options for @lena").click()
    browser_page.screenshot("graph-04-menu")
    page.get_by_role("button", name="Mute").click()
    expect(page.get_by_text("You muted @lena.")).to_be_visible()
    assert Mute.objects.count() == 1
    page.get_by_label("More options for @lena").click()
    page.get_by_role("button", name="Block").click()
    expect(page.get_by_text("You blocked @lena.")).to_be_visible()
    expect(page.get_by_role("heading", name="Blocked accounts")).to_be_visible()
    browser_page.screenshot("graph-05-blocked")
    assert Block.objects.count() == 1
    assert not Follow.objects.exists()

    # Lena's profile is gone for Rui until he unblocks her.
    browser_page.goto("/lena/")
    expect(page.get_by_role("heading", name="Sorry, this page isn't available.")).to_be_visible()
    browser_page.goto("/accounts/settings/blocked/")
    page.get_by_role("button", name="Unblock @lena").click()
    expect(page.get_by_text("You unblocked @lena.")).to_be_visible()
    expect(page.get_by_text("You haven't blocked anyone.")).to_be_visible()
    assert not Block.objects.exists()
