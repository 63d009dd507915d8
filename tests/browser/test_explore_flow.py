"""Explore and "Suggested for you" in a real browser, at both viewports."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.graph.models import Follow
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.feeds.conftest import follow
from tests.feeds.test_explore import raw_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_suggestions_and_explore_load_more(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    viewer, friend, star = make_user("viewer"), make_user("friend"), make_user("star")
    follow(viewer, friend)
    follow(friend, star)
    raw_post(friend)  # a feed, so that the home page shows it and the suggestions
    author = make_user("author")
    posts = {raw_post(author).pk for _ in range(30)}

    log_in(browser_page, "viewer")
    # The suggestions load once their place after the feed's posts scrolls into view.
    page.wait_for_load_state("load")  # the post's picture has its height: the place stays put
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(page.get_by_role("heading", name="Suggested for you")).to_be_visible()
    page.get_by_role("button", name="Follow @star").click()
    # Back home, followed: no longer suggested.
    expect(page.locator('[data-suggested="star"]')).to_have_count(0)
    assert Follow.objects.filter(follower=viewer, followee=star).exists()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Explore")).to_be_visible()
    tiles = page.locator("#grid-main [data-tile]")
    expect(tiles).to_have_count(24)
    # Until its deferred scripts ran, the link is a plain one to the next page: wait for
    # them, so that the click loads more in place.
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Load more").click()
    expect(tiles).to_have_count(len(posts))
    shown = tiles.evaluate_all("els => els.map(e => e.dataset.tile)")
    assert sorted(shown) == sorted(str(pk) for pk in posts)  # strings: ids exceed 2^53
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
    browser_page.screenshot("explore")
