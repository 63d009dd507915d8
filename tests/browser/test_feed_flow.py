"""The home feed on a phone in a real browser: double tap to like, comment from a card, and
the next page loading as the end of the feed scrolls into view, all without a page load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from glimpse.accounts.models import User
from glimpse.feeds import views as feed_views
from glimpse.posts import services as post_services
from glimpse.posts.models import Comment, Like, Post
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.browser.test_reels_flow import reel_by
from tests.feeds.conftest import follow
from tests.posts.conftest import media_for

__all__ = ["media_for"]  # a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_SIZE = 3


def card(page: Page, post: Post) -> Any:
    """Return the locator of a post's card in the feed."""
    return page.locator(f"#post-{post.pk}")


@pytest.mark.parametrize("viewport", ["phone"])
def test_double_tap_comment_and_scroll_on_a_phone(
    browser_page: BrowserPage,
    viewport: str,
    make_user: Any,
    media_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small pages, so that a few posts make a second one.
    monkeypatch.setattr(feed_views, "FEED_PAGE_SIZE", PAGE_SIZE)
    page = browser_page.page
    viewer: User = make_user("viewer")
    ana, rita = make_user("ana"), make_user("rita")
    follow(viewer, ana)
    follow(viewer, rita)
    posts = []
    for n in range(PAGE_SIZE + 2):
        [media] = media_for(ana, 1)
        posts.append(
            post_services.post_create(author=ana, media_ids=[media.pk], caption=f"Day {n} #sea")
        )
    newest = posts[-1]
    post_services.like_create(user=rita, post_id=newest.pk)

    log_in(browser_page, "viewer")
    expect(page.locator("html")).to_have_attribute("data-post-ready", "true")
    first = card(page, newest)
    expect(first.locator("[data-likes]")).to_have_text("Liked by rita")
    expect(page.locator("article.feed-card")).to_have_count(PAGE_SIZE)
    page.evaluate("window.stillThisPage = true")  # gone if anything reloads the page

    # Double tap the photo: liked, the likes line counts the viewer, no reload.
    box = first.locator("[data-track]").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)
    like = first.get_by_role("button", name="Unlike")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(first.locator("[data-likes]")).to_have_text("Liked by rita and 1 other")
    assert Like.objects.filter(user=viewer, post=newest).exists()
    # A second double tap keeps the like (only the heart button takes it back).
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)
    expect(first.locator("[data-likes]")).to_have_text("Liked by rita and 1 other")
    assert Like.objects.filter(post=newest).count() == 2

    # Comment from the card: it shows under the post at once, and the box is empty again.
    box_label = first.get_by_label("Add a comment on ana's post")
    box_label.fill("What a sea!")
    first.get_by_role("button", name="Post", exact=True).click()
    expect(first.locator(".comment-line")).to_have_text("viewer What a sea!")
    expect(first.get_by_label("Add a comment on ana's post")).to_have_value("")
    assert Comment.objects.get(post=newest, author=viewer).text == "What a sea!"

    # Scrolling to the end of the feed loads the next page, without a click.
    page.locator("[data-feed-more]").scroll_into_view_if_needed()
    expect(page.locator("article.feed-card")).to_have_count(len(posts))
    expect(card(page, posts[0])).to_be_visible()
    expect(page.locator("[data-feed-more]")).to_have_count(0)  # the end: nothing more to load
    assert page.evaluate("window.stillThisPage") is True
    browser_page.screenshot("feed-phone")


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_video_in_the_feed_has_a_sound_button_and_a_double_tap_likes_it(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    page.set_default_timeout(20_000)  # the clip is transcoded on this machine meanwhile
    viewer, ana = make_user("viewer"), make_user("ana")
    follow(viewer, ana)
    reel = reel_by(ana, tmp_path, "waves")
    log_in(browser_page, "viewer")
    expect(page.locator("html")).to_have_attribute("data-post-ready", "true")
    video = card(page, reel).locator("video")
    sound = card(page, reel).get_by_role("button", name="Sound")

    # No player controls over the picture; it plays muted, and the button turns sound on.
    assert video.evaluate("v => v.controls") is False
    page.wait_for_function("v => !v.paused && v.muted", arg=video.element_handle())
    expect(sound).to_have_attribute("aria-pressed", "false")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")
    assert video.evaluate("v => v.muted") is False
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "false")
    assert video.evaluate("v => v.muted") is True

    # A double tap on the video likes the reel, as on a photo.
    box = video.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)
    expect(card(page, reel).get_by_role("button", name="Unlike")).to_be_visible()
    assert Like.objects.filter(user=viewer, post=reel).exists()
    browser_page.screenshot("feed-video-phone")
