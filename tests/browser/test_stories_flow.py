"""Stories in a real browser: the tray, the viewer, seen marks, highlights, at both viewports."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.graph import services as graph
from glimpse.stories import services
from glimpse.stories.models import StoryReaction, StoryReply, StoryView
from tests.browser.conftest import BrowserPage
from tests.stories.conftest import follow_approved, media_for

__all__ = ["media_for"]

PASSWORD = "a-long-and-unusual-passphrase"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser_page: BrowserPage, username: str) -> None:
    page = browser_page.page
    browser_page.end_session()
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-story-tray]")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_tray_viewer_seen_reaction_reply_and_highlights(
    browser_page: BrowserPage, viewport: str, make_user: Any, media_for: Any
) -> None:
    page = browser_page.page
    olive, rui, cleo = make_user("olive"), make_user("rui"), make_user("cleo")
    follow_approved(rui, olive)
    follow_approved(rui, cleo)
    first, second = media_for(olive, 2)
    story_one = services.story_create(author=olive, media_id=first.pk, caption="Morning")
    story_two = services.story_create(author=olive, media_id=second.pk, caption="Evening")
    (close,) = media_for(cleo)
    services.story_create(author=cleo, media_id=close.pk, audience="close_friends")
    graph.close_friend_add(owner=cleo, friend=rui)
    services.highlight_create(owner=olive, title="Days", story_ids=[story_one.pk, story_two.pk])

    log_in(browser_page, "rui")
    tray = page.locator("[data-story-tray]")
    expect(tray.locator('[data-tray-account="olive"] .story-ring--unseen')).to_be_visible()
    expect(tray.locator('[data-tray-account="cleo"] .story-ring--close')).to_be_visible()
    browser_page.screenshot("stories-01-tray")

    # Tap into Olive's stories: the first one shows and is marked seen.
    tray.locator('[data-tray-account="olive"] a').click()
    expect(page.get_by_text("Morning")).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-story]').dataset.seen === 'true'")
    page.wait_for_timeout(300)
    assert StoryView.objects.filter(viewer=rui, story=story_one).exists()
    page.get_by_role("button", name="🔥").click()
    expect(page.get_by_text("Reaction sent.")).to_be_visible()
    browser_page.screenshot("stories-02-viewer")

    # Advance with a tap on the right side: the second story, seen too.
    page.get_by_role("button", name="Next story").click()
    expect(page.get_by_text("Evening")).to_be_visible()
    page.get_by_label("Reply").fill("Lovely light")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    assert StoryView.objects.filter(viewer=rui, story=story_two).exists()
    assert StoryReaction.objects.get(story=story_one).emoji == "🔥"
    assert StoryReply.objects.get(story=story_two).text == "Lovely light"

    # Past the last story, back home, where Olive's ring is now grey.
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-story-tray]")).to_be_visible()
    expect(tray.locator('[data-tray-account="olive"] .story-ring--seen')).to_be_visible()

    # The highlights row on Olive's profile opens the same viewer.
    browser_page.goto("/olive/")
    row = page.get_by_role("region", name="Highlights")
    expect(row.get_by_text("Days")).to_be_visible()
    browser_page.screenshot("stories-03-highlights")
    row.get_by_role("link").first.click()
    expect(page.get_by_text("Morning")).to_be_visible()

    # Olive sees who viewed her story.
    log_in(browser_page, "olive")
    browser_page.goto("/stories/olive/")
    page.get_by_role("button", name="Seen by").click()
    expect(page.locator("[data-story-viewers-list]").get_by_text("rui")).to_be_visible()
    browser_page.screenshot("stories-04-seen-by")
