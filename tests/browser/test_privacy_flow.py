"""The privacy story end to end in a real browser.

Lena makes her account private; Rui asks to follow, is approved, sees her posts, likes one
and comments; Lena blocks Rui, who then finds the post page "not available".
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.accounts.models import User
from glimpse.graph.models import Block, Follow
from glimpse.media import services as media_services
from glimpse.posts import services as post_services
from glimpse.posts.models import Comment, Like
from tests.accounts.images import jpeg_with_gps
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_AVAILABLE = "Sorry, this page isn't available."


def publish(author: User, caption: str) -> int:
    data = jpeg_with_gps((900, 700))
    item = media_services.media_upload(owner=author, upload=io.BytesIO(data), size_bytes=len(data))
    return post_services.post_create(author=author, media_ids=[item.pk], caption=caption).pk


@pytest.mark.parametrize("viewport", ["desktop"])
def test_private_account_follow_like_comment_then_block(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    lena = make_user("lena", display_name="Lena Park")
    make_user("rui", display_name="Rui Costa")
    post_id = publish(lena, "Harbour lights #nightwalk")

    # Lena makes her account private from her profile settings.
    log_in(browser_page, "lena")
    browser_page.goto("/accounts/edit/")
    page.get_by_text("Private account", exact=True).click()  # the switch, as a person clicks it
    expect(page.get_by_label("Private account")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Private").first).to_be_visible()
    lena.refresh_from_db()
    assert lena.is_private

    # Rui cannot see the post, and asks to follow.
    log_in(browser_page, "rui")
    browser_page.goto(f"/p/{post_id}/")
    expect(page.get_by_role("heading", name=NOT_AVAILABLE)).to_be_visible()
    browser_page.goto("/lena/")
    page.get_by_role("button", name="Follow @lena").click()
    expect(page.get_by_text("Requested: @lena will decide")).to_be_visible()

    # Lena approves.
    log_in(browser_page, "lena")
    browser_page.goto("/accounts/follow-requests/")
    page.get_by_role("button", name="Approve @rui").click()
    expect(page.get_by_text("No pending requests.")).to_be_visible()
    assert Follow.objects.filter(follower__username="rui", followee=lena).exists()

    # Rui now sees the post in her grid, likes it and comments.
    log_in(browser_page, "rui")
    browser_page.goto("/lena/")
    page.locator(f'a[href="/p/{post_id}/"]').first.click()
    expect(page.get_by_text("Harbour lights")).to_be_visible()
    page.get_by_role("button", name="Like", exact=True).first.click()
    expect(page.get_by_role("button", name="Unlike", exact=True).first).to_be_visible()
    page.locator("#comment-text").fill("Beautiful light!")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Beautiful light!")).to_be_visible()
    browser_page.screenshot("privacy-01-follower-sees-post")
    assert Like.objects.filter(post_id=post_id, user__username="rui").exists()
    assert Comment.objects.filter(post_id=post_id, text="Beautiful light!").exists()

    # Lena blocks Rui from his profile's menu.
    log_in(browser_page, "lena")
    browser_page.goto("/rui/")
    page.get_by_label("More options for @rui").click()
    page.get_by_role("button", name="Block").click()
    expect(page.get_by_text("You blocked @rui.")).to_be_visible()
    assert Block.objects.filter(blocker=lena, blocked__username="rui").exists()
    assert not Follow.objects.exists()

    # For Rui the post is gone: the same page as for a post that never existed.
    log_in(browser_page, "rui")
    browser_page.goto(f"/p/{post_id}/")
    expect(page.get_by_role("heading", name=NOT_AVAILABLE)).to_be_visible()
    browser_page.screenshot("privacy-02-blocked-not-found")
    gone = page.content()
    browser_page.goto("/p/1/")
    assert page.get_by_role("heading", name=NOT_AVAILABLE).is_visible()
    assert "Harbour lights" not in gone
