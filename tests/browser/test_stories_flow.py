"""Stories in a real browser, on a touch phone (390 x 844) and a desktop (1280 x 800): the
full-screen viewer opened from the tray without a reload (taps, hold, reply and reactions
inside it, Escape, swipe, the next account), posting a 9:16 story with stickers from the
composer, and a highlight made from the archive. At 320 px nothing scrolls sideways."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from glimpse.stories import services
from glimpse.stories.models import Highlight, Story, StoryReaction, StoryReply, StoryView
from tests.browser.conftest import VIEWPORTS, BrowserPage
from tests.stories.conftest import follow_approved, media_for

__all__ = ["media_for"]

PASSWORD = "a-long-and-unusual-passphrase"
REMOVE = "\N{MULTIPLICATION SIGN}"  # the sticker's remove button, inside it in the composer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser_page: BrowserPage, username: str) -> None:
    page = browser_page.page
    browser_page.end_session()
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-story-tray]")).to_be_visible()


def viewer(page: Page) -> Any:
    return page.get_by_role("dialog", name="Stories of")


def shown_story(page: Page) -> str:
    return page.locator("[data-story]:not([hidden])").get_attribute("data-story") or ""


def _covers_now(page: Page) -> bool:
    """Whether the viewer lies over the whole viewport, with nothing of the site showing."""
    return page.evaluate(
        """() => {
          const box = document.querySelector('.sv').getBoundingClientRect();
          const corners = [[2, 2], [innerWidth - 3, 2], [2, innerHeight - 3],
                           [innerWidth - 3, innerHeight - 3]];
          return box.width === innerWidth && box.height === innerHeight &&
            corners.every(([x, y]) => document.elementFromPoint(x, y).closest('.sv'));
        }"""
    )


def covers_the_screen(page: Page) -> bool:
    """Whether the viewer comes to lie over the whole viewport within 5 seconds (it may still
    be opening, or its stylesheet loading, on a busy machine)."""
    deadline = time.monotonic() + 5
    while not _covers_now(page):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
    return True


def swipe_down(page: Page) -> None:
    box = page.locator("[data-story-frame]").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x, y + step * 30)
    page.mouse.up()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_watch_stories_full_screen_from_the_tray(
    browser_page: BrowserPage, viewport: str, make_user: Any, media_for: Any
) -> None:
    page = browser_page.page
    olive, rui, cleo = make_user("olive"), make_user("rui"), make_user("cleo")
    follow_approved(rui, olive)
    follow_approved(rui, cleo)
    (clip,) = media_for(cleo)
    services.story_create(author=cleo, media_id=clip.pk, caption="Cleo's day")
    first, second = media_for(olive, 2)
    story_one = services.story_create(
        author=olive,
        media_id=first.pk,
        caption="Morning",
        stickers=[{"kind": "mention", "x": 0.5, "y": 0.7, "username": "cleo"}],
    )
    story_two = services.story_create(author=olive, media_id=second.pk, caption="Evening")

    log_in(browser_page, "rui")
    page.evaluate("window.notReloaded = true")
    tray = page.locator("[data-story-tray]")
    expect(tray.locator('[data-tray-account="olive"] .story-ring--unseen')).to_be_visible()
    browser_page.screenshot("stories-01-tray")

    # Olive is first in the tray (her stories are the newest): her viewer covers everything.
    tray.locator('[data-tray-account="olive"] a[data-story-open]').click()
    expect(viewer(page)).to_be_visible()
    expect(page).to_have_url(browser_page.base_url + "/stories/olive/")
    assert page.evaluate("window.notReloaded") is True
    assert covers_the_screen(page)
    expect(page.get_by_text("Morning")).to_be_visible()
    expect(page.locator("[data-story-when]")).to_have_text(re.compile(r"^(just now|\d+ m)$"))
    expect(page.locator('a.sticker--mention[href="/cleo/"]')).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-story]').dataset.seen === 'true'")
    page.wait_for_timeout(300)
    assert StoryView.objects.filter(viewer=rui, story=story_one).exists()
    # The reply box is inside the viewer, on screen.
    reply = page.get_by_label("Reply to olive")
    box = reply.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= VIEWPORTS[viewport]["height"]
    browser_page.screenshot("stories-02-viewer")

    # The focus stays in the dialog, whatever the number of Tabs.
    for _ in range(14):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('[data-story-viewer]')")
    page.locator("[data-story-viewer]").focus()

    # Holding the picture pauses it: after longer than a photo's five seconds, the same story.
    frame = page.locator("[data-story-frame]").bounding_box()
    assert frame is not None
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    page.mouse.down()
    expect(viewer(page)).to_have_attribute("data-paused", "true")
    page.wait_for_timeout(5_600)
    assert shown_story(page) == str(story_one.pk)
    page.mouse.up()
    expect(viewer(page)).to_have_attribute("data-paused", "false")

    # A tap on the right third: the next story.
    page.get_by_role("button", name="Next story").click()
    expect(page.get_by_text("Evening")).to_be_visible()
    assert shown_story(page) == str(story_two.pk)

    # Reply and react from inside the viewer: the reply goes to Olive's replies.
    reply.fill("Lovely light")
    reply.press("Enter")
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    reply.focus()
    page.get_by_role("button", name="React with 🔥").click()
    expect(page.get_by_text("Reaction sent.")).to_be_visible()
    assert StoryReply.objects.get(story=story_two).text == "Lovely light"
    assert StoryReaction.objects.get(story=story_two).emoji == "🔥"
    assert StoryView.objects.filter(viewer=rui, story=story_two).exists()

    # Escape closes it: back on the home page, never reloaded, Olive's ring now grey.
    page.keyboard.press("Escape")
    expect(viewer(page)).to_have_count(0)
    expect(page).to_have_url(browser_page.base_url + "/")
    assert page.evaluate("window.notReloaded") is True
    expect(tray.locator('[data-tray-account="olive"] .story-ring--seen')).to_be_visible()
    expect(tray.locator('[data-tray-account="olive"] a[data-story-open]')).to_be_focused()

    # Swiping down closes it too.
    tray.locator('[data-tray-account="cleo"] a[data-story-open]').click()
    expect(page.get_by_text("Cleo's day")).to_be_visible()
    swipe_down(page)
    expect(viewer(page)).to_have_count(0)

    # At the end of an account's stories, the next account's (arrow keys on a desk).
    tray.locator('[data-tray-account="olive"] a[data-story-open]').click()
    expect(page.get_by_text("Morning")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Evening")).to_be_visible()
    page.keyboard.press("Space")
    expect(viewer(page)).to_have_attribute("data-paused", "true")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Cleo's day")).to_be_visible()
    expect(viewer(page)).to_have_attribute("data-account", "cleo")
    expect(page).to_have_url(browser_page.base_url + "/stories/cleo/")
    page.keyboard.press("Escape")
    expect(viewer(page)).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True


def tall_jpeg(path: Path) -> Path:
    image = Image.new("RGB", (1080, 1920), (30, 90, 160))
    image.paste((240, 200, 40), (0, 0, 1080, 192))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_post_a_9_16_story_with_stickers_and_keep_it_in_a_highlight(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    olive = make_user("olive")
    make_user("cleo")
    log_in(browser_page, "olive")
    browser_page.goto("/stories/new/")
    composer = page.get_by_role("dialog", name="Add to your story")
    expect(composer).to_be_visible()
    browser_page.screenshot("stories-03-composer-empty")
    page.locator("[data-composer-file]").set_input_files(tall_jpeg(tmp_path / "tall.jpg"))
    expect(page.get_by_role("button", name="Share")).to_be_enabled(timeout=30_000)

    # A text sticker, in the "strong" style and yellow, then moved by dragging it.
    page.get_by_role("button", name="Add text").click()
    page.get_by_role("textbox", name="Text", exact=True).fill("Hello 9:16")
    page.locator(".sc-style", has_text="Strong").click()
    page.get_by_title("Yellow").click()
    page.get_by_role("button", name="Done").click()
    text = page.locator('.sc .sticker[data-sticker-kind="text"]')
    expect(text).to_have_text("Hello 9:16" + REMOVE)
    frame = page.locator("[data-composer-frame]").bounding_box()
    start = text.bounding_box()
    assert frame is not None
    assert start is not None
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    to_x, to_y = frame["x"] + frame["width"] * 0.3, frame["y"] + frame["height"] * 0.25
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + (to_x - x) * step / 10, y + (to_y - y) * step / 10)
    page.mouse.up()

    # A mention sticker, picked from the suggestions.
    page.get_by_role("button", name="Add a mention").click()
    page.get_by_label("Mention an account").fill("cle")
    page.get_by_role("button", name="cleo").click()
    expect(page.locator('.sc .sticker[data-sticker-kind="mention"]')).to_have_text("@cleo" + REMOVE)
    browser_page.screenshot("stories-04-composer")
    page.get_by_role("button", name="Share").click()
    expect(page.locator("[data-story-tray]")).to_be_visible()

    story = Story.objects.get(author=olive)
    stickers = list(story.stickers.order_by("position"))
    assert [(s.kind, s.text) for s in stickers] == [("text", "Hello 9:16"), ("mention", "cleo")]
    moved = stickers[0]
    assert (moved.style, moved.color) == ("strong", "yellow")
    assert abs(moved.x - 0.3) < 0.03
    assert abs(moved.y - 0.25) < 0.03
    assert stickers[1].account is not None

    # In the viewer, the picture served is 1080 x 1920 and the mention links to the profile.
    page.locator('[data-tray-account="olive"] a[data-story-open]').click()
    expect(viewer(page)).to_be_visible()
    picture = page.locator("[data-story]:not([hidden]) img.sv-slide__media")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    size = picture.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [1080, 1920]
    mention = page.locator('a.sticker--mention[href="/cleo/"]')
    expect(mention).to_have_text("@cleo")
    expect(page.locator(".sv .sticker--strong")).to_have_text("Hello 9:16")
    browser_page.screenshot("stories-05-own-story")
    mention.click()
    expect(page).to_have_url(browser_page.base_url + "/cleo/")

    # From the profile's Archive circle to a new highlight, with the story as its cover.
    browser_page.goto("/olive/")
    page.get_by_role("region", name="Highlights").get_by_role("link", name="Archive").click()
    expect(page.get_by_role("heading", name="Archive")).to_be_visible()
    browser_page.screenshot("stories-06-archive")
    page.get_by_role("link", name="New highlight").click()
    page.get_by_label("Name").fill("Blue")
    page.locator(".he-tile__pick").first.click()
    expect(page.locator("[data-highlight-cover]").first).to_be_checked()
    expect(page.locator("[data-highlight-cover-preview] img")).to_have_count(1)
    browser_page.screenshot("stories-07-highlight-editor")
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.get_by_role("region", name="Highlights")
    expect(row.get_by_text("Blue")).to_be_visible()
    highlight = Highlight.objects.get()
    assert (highlight.title, highlight.cover_id) == ("Blue", story.pk)

    # The highlight opens in the same full-screen viewer.
    row.get_by_role("link", name="Blue").click()
    expect(viewer(page)).to_be_visible()
    assert covers_the_screen(page)
    expect(page.locator("[data-story]:not([hidden])")).to_have_attribute(
        "data-story", str(story.pk)
    )
    page.get_by_role("link", name="Edit highlight").click()
    expect(page.get_by_role("heading", name="Edit highlight")).to_be_visible()


@pytest.mark.parametrize("viewport", ["small-phone"])
def test_nothing_scrolls_sideways_at_320(
    browser_page: BrowserPage, viewport: str, make_user: Any, media_for: Any
) -> None:
    page = browser_page.page
    olive = make_user("olive")
    (item,) = media_for(olive)
    story = services.story_create(
        author=olive,
        media_id=item.pk,
        stickers=[{"kind": "text", "x": 0.9, "y": 0.5, "text": "A long line of words " * 5}],
    )
    highlight = services.highlight_create(owner=olive, title="Everything", story_ids=[story.pk])
    log_in(browser_page, "olive")
    for path in (
        "/",
        "/stories/olive/",
        "/stories/new/",
        "/accounts/archive/stories/",
        "/accounts/highlights/new/",
        f"/accounts/highlights/{highlight.pk}/edit/",
        "/accounts/settings/close-friends/",
        "/olive/",
    ):
        browser_page.goto(path)
        page.wait_for_load_state("load")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow == 0, path
