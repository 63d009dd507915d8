"""Drafts and scheduled posts in a real browser: save a draft from the composer, resume it,
schedule it in the browser's time zone, reschedule, publish now, and delete after asking;
at three widths, light and dark, nothing wider than the screen."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from glimpse.posts.models import Draft, Post
from tests.browser.conftest import BrowserPage
from tests.browser.test_composer import log_in, quadrants, scripted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fits_across(page: Page) -> None:
    assert page.evaluate(OVERFLOW_JS) <= 0


def both_schemes(browser_page: BrowserPage, name: str) -> None:
    """Screenshot the page light and dark, checking its width in each."""
    page = browser_page.page
    fits_across(page)
    browser_page.screenshot(name)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(200)
    fits_across(page)
    browser_page.screenshot(name + "-dark")
    page.emulate_media(color_scheme="light")


def browser_zone(page: Page) -> ZoneInfo:
    return ZoneInfo(page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone"))


@pytest.mark.parametrize("viewport", ["desktop", "phone", "small-phone"])
def test_save_resume_schedule_reschedule_publish_and_delete(
    browser_page: BrowserPage, make_user: Any, tmp_path: Path, viewport: str
) -> None:
    page = browser_page.page
    mira = make_user("mira", display_name="Mira Sol")
    log_in(browser_page, mira)

    # Compose, then keep it as a draft instead of sharing.
    browser_page.goto("/create/")
    scripted(page, "[data-composer]")
    page.get_by_label("Select from your device").set_input_files(quadrants(tmp_path / "q.jpg"))
    expect(page.get_by_role("heading", name="Edit", exact=True)).to_be_visible()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Caption").fill("Sunset, later")
    page.locator("[data-schedule] summary").click()  # open the schedule part
    expect(page.get_by_label("Date and time")).to_be_visible()
    both_schemes(browser_page, "drafts-01-composer-share")
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"/accounts/drafts/$"))
    [draft] = Draft.objects.all()
    assert (draft.caption, draft.publish_at) == ("Sunset, later", None)
    card = page.locator(f"[data-draft='{draft.pk}']")
    expect(card).to_contain_text("Sunset, later")
    both_schemes(browser_page, "drafts-02-list")

    # The composer offers it too, under the picker.
    browser_page.goto("/create/")
    scripted(page, "[data-composer]")
    offered = page.get_by_role("region", name="Continue a draft")
    expect(offered.get_by_role("link", name="Sunset, later")).to_have_attribute(
        "href", f"/create/?draft={draft.pk}"
    )
    both_schemes(browser_page, "drafts-02-composer-offer")
    browser_page.goto("/accounts/drafts/")

    # Resume it (as on another device: the page knows only its id), then schedule it.
    card.get_by_role("link", name="Edit", exact=True).click()
    scripted(page, "[data-composer]")
    expect(page.get_by_role("heading", name="Edit", exact=True)).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("Caption")).to_have_value("Sunset, later")
    expect(page.get_by_role("heading", name="Edit draft")).to_be_visible()
    zone = browser_zone(page)
    when = (datetime.now(zone) + timedelta(days=2)).replace(second=0, microsecond=0)
    page.locator("[data-schedule] summary").click()
    page.get_by_label("Date and time").fill(f"{when:%Y-%m-%dT%H:%M}")
    page.locator("[data-schedule-post]").click()
    expect(page).to_have_url(re.compile(r"/accounts/scheduled/$"))
    draft.refresh_from_db()
    assert draft.publish_at == when
    assert draft.time_zone == zone.key
    card = page.locator(f"[data-draft='{draft.pk}']")
    expect(card).to_contain_text(f"{when:%H:%M}")
    both_schemes(browser_page, "drafts-03-scheduled")

    # Reschedule from the list, a day later.
    later = when + timedelta(days=1)
    card.locator("summary").click()
    card.get_by_label("Date and time").fill(f"{later:%Y-%m-%dT%H:%M}")
    card.locator(".draft__schedule-form [type=submit]").click()
    expect(page.get_by_text(re.compile(r"^Scheduled for "))).to_be_visible()
    draft.refresh_from_db()
    assert draft.publish_at == later

    # Publish it now.
    page.locator(f"[data-draft='{draft.pk}']").get_by_role("button", name="Publish now").click()
    expect(page).to_have_url(re.compile(r"/p/\d+/$"))
    [post] = Post.objects.all()
    assert post.caption == "Sunset, later"
    assert not Draft.objects.exists()

    # A second draft, deleted after asking.
    browser_page.goto("/create/")
    scripted(page, "[data-composer]")
    page.get_by_label("Select from your device").set_input_files(quadrants(tmp_path / "r.jpg"))
    expect(page.get_by_role("heading", name="Edit", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save draft").first.click()  # from the editor's bar
    expect(page).to_have_url(re.compile(r"/accounts/drafts/$"))
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete draft?")).to_be_visible()
    both_schemes(browser_page, "drafts-04-delete")
    page.get_by_role("button", name="Delete draft").click()
    expect(page.get_by_role("heading", name="No drafts")).to_be_visible()
    assert not Draft.objects.exists()
    both_schemes(browser_page, "drafts-05-empty")

    # The owner's profile leads there (five tabs still fit a small phone).
    browser_page.goto("/mira/")
    tabs = page.get_by_role("navigation", name="Profile sections")
    tabs.get_by_role("link", name="Drafts").click()
    expect(page).to_have_url(re.compile(r"/accounts/drafts/$"))
    browser_page.goto("/mira/")
    both_schemes(browser_page, "drafts-06-profile")
