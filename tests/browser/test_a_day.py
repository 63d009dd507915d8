"""A day of Glimpse in a real Chromium, on a phone (390 x 844, touch) and on a desktop
(1280 x 800), scripted as someone uses it: the feed, a like by double tap, a comment from the
feed, a story watched full-screen and answered, a 9:16 story posted with a text and a mention
sticker, Reels, search, a hashtag page, following back from a notification; then nothing
scrolls sideways at 320 pixels, and the installable app's files are served.

Every step leaves a screenshot in test-results/screenshots/ (day-*), kept by CI.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import Follow
from glimpse.posts import services as post_services
from glimpse.posts.models import Comment, Like, Post
from glimpse.stories import services as story_services
from glimpse.stories.models import Story, StoryReply
from tests.browser.conftest import VIEWPORTS, BrowserPage
from tests.browser.test_reels_flow import reel_by
from tests.browser.test_stories_flow import tall_jpeg
from tests.conftest import PASSWORD
from tests.posts.conftest import media_for

__all__ = ["media_for"]  # a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(browser_page: BrowserPage, step: str, *, whole_page: bool = True) -> None:
    browser_page.screenshot(f"day-{step}", whole_page=whole_page)


def overflow(page: Page) -> int:
    """Return how many pixels the page is wider than the window (0: no sideways scroll)."""
    width: int = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return width


def double_tap(browser_page: BrowserPage, target: Any) -> None:
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if browser_page.viewport == "phone":
        browser_page.page.touchscreen.tap(x, y)
        browser_page.page.touchscreen.tap(x, y)
    else:
        browser_page.page.mouse.dblclick(x, y)


@pytest.fixture
def people(make_user: Any, media_for: Any, tmp_path: Path) -> dict[str, Any]:
    """Mira and the accounts of her day: Ana (followed; a post, a story, two Reels) and
    Rita (who has just started following her)."""
    mira = make_user("mira", display_name="Mira Sol")
    ana = make_user("ana", display_name="Ana Lima")
    rita = make_user("rita", display_name="Rita Reis")
    graph.follow_create(follower=mira, followee=ana)
    [photo] = media_for(ana, 1)
    post = post_services.post_create(
        author=ana, media_ids=[photo.pk], caption="Golden hour #sunset"
    )
    [story_photo] = media_for(ana, 1)
    story = story_services.story_create(author=ana, media_id=story_photo.pk)
    reels = [reel_by(ana, tmp_path, f"wave {n}") for n in range(2)]
    graph.follow_create(follower=rita, followee=mira)
    return {"mira": mira, "ana": ana, "rita": rita, "post": post, "story": story, "reels": reels}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_day_of_glimpse(
    browser_page: BrowserPage, viewport: str, people: dict[str, Any], tmp_path: Path
) -> None:
    page = browser_page.page
    page.set_default_timeout(20_000)  # videos are transcoded on this machine meanwhile
    mira: User = people["mira"]
    post: Post = people["post"]
    visited: list[str] = []

    def go(path: str) -> None:
        visited.append(path)
        browser_page.goto(path)

    # Morning: log in, the feed.
    go("/accounts/login/")
    page.get_by_label("Username or email").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-story-tray]")).to_be_visible()
    visited.append("/")
    card = page.locator(f"#post-{post.pk}")
    expect(card).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-post-ready", "true")
    shot(browser_page, "01-feed")

    # A double tap on the photo likes it, in place.
    double_tap(browser_page, card.locator("[data-track]"))
    expect(card.get_by_role("button", name="Unlike")).to_have_attribute("aria-pressed", "true")
    assert Like.objects.filter(user=mira, post=post).exists()

    # A comment from the card shows under the post at once.
    card.get_by_label("Add a comment on ana's post").fill("What light!")
    card.get_by_role("button", name="Post", exact=True).click()
    expect(card.locator(".comment-line")).to_contain_text("What light!")
    assert Comment.objects.filter(post=post, author=mira, text="What light!").exists()
    shot(browser_page, "02-liked-and-commented")

    # Ana's story, full-screen, answered from inside the viewer.
    page.locator('[data-tray-account="ana"] a[data-story-open]').click()
    viewer = page.get_by_role("dialog", name="Stories of")
    expect(viewer).to_be_visible()
    shot(browser_page, "03-story", whole_page=False)
    reply = page.get_by_label("Reply to ana")
    reply.fill("So pretty")
    reply.press("Enter")
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    assert StoryReply.objects.filter(story=people["story"], author=mira).exists()
    page.keyboard.press("Escape")
    expect(viewer).to_have_count(0)

    # Mira's own 9:16 story, with a text sticker and a mention of Ana.
    go("/stories/new/")
    expect(page.get_by_role("dialog", name="Add to your story")).to_be_visible()
    page.locator("[data-composer-file]").set_input_files(tall_jpeg(tmp_path / "tall.jpg"))
    expect(page.get_by_role("button", name="Share")).to_be_enabled(timeout=30_000)
    page.get_by_role("button", name="Add text").click()
    page.get_by_role("textbox", name="Text", exact=True).fill("Beach day")
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Add a mention").click()
    page.get_by_label("Mention an account").fill("an")
    page.get_by_role("button", name="ana").click()
    shot(browser_page, "04-story-composer", whole_page=False)
    page.get_by_role("button", name="Share").click()
    expect(page.locator("[data-story-tray]")).to_be_visible()
    mine = Story.objects.get(author=mira)
    assert sorted(sticker.kind for sticker in mine.stickers.all()) == ["mention", "text"]
    # The story as served: still 9:16, with the mention a live link.
    page.locator('[data-tray-account="mira"] a[data-story-open]').click()
    picture = page.locator("[data-story]:not([hidden]) img.sv-slide__media")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    width, height = picture.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width * 16 == height * 9
    expect(page.locator('a.sticker--mention[href="/ana/"]')).to_be_visible()
    shot(browser_page, "05-own-story", whole_page=False)
    page.keyboard.press("Escape")

    # Reels: the first plays, and the next comes with a scroll.
    go("/reels/")
    reels = page.locator("[data-reel]")
    expect(reels.first).to_have_attribute("data-ready", "true")
    shot(browser_page, "06-reels", whole_page=False)
    first_id = reels.first.get_attribute("data-reel")
    page.keyboard.press("ArrowDown")
    second = page.locator(f'[data-reel]:not([data-reel="{first_id}"])').first
    expect(second).to_be_in_viewport(ratio=0.9)

    # Search finds Ana, with her picture; a hashtag page shows her post.
    go("/search/?q=an")
    result = page.get_by_role("link", name="ana").first
    expect(result).to_be_visible()
    shot(browser_page, "07-search")
    go("/explore/tags/sunset/")
    expect(page.get_by_role("heading", name="#sunset")).to_be_visible()
    expect(page.locator(f'a[href="/p/{post.pk}/"]')).to_be_visible()
    shot(browser_page, "08-hashtag")

    # Rita followed Mira: Follow back, from the notification.
    go("/notifications/")
    page.get_by_role("button", name="Follow back @rita").click()
    expect(page.locator('summary[aria-label="Following @rita: options"]')).to_be_visible()
    assert Follow.objects.filter(follower=mira, followee=people["rita"]).exists()
    shot(browser_page, "09-followed-back")

    # The installable app's files are served, and every page has the manifest.
    manifest = page.request.get(browser_page.base_url + "/manifest.webmanifest")
    assert manifest.ok
    assert json.loads(manifest.text())["start_url"]
    worker = page.request.get(browser_page.base_url + "/sw.js")
    assert worker.ok
    assert "javascript" in worker.headers["content-type"]
    expect(page.locator('link[rel="manifest"]')).to_have_count(1)

    # At 320 pixels, no page of the day scrolls sideways.
    if viewport == "phone":
        page.set_viewport_size({"width": 320, "height": VIEWPORTS["small-phone"]["height"]})
        for path in dict.fromkeys(visited):
            if path == "/accounts/login/":
                continue
            browser_page.goto(path)
            page.wait_for_load_state("load")
            assert overflow(page) == 0, path
