"""Explore and "Suggested for you" in a real browser, at both viewports."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.graph.models import Follow
from glimpse.posts.models import Post
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
    reels = {raw_post(author, kind=Post.Kind.REEL).pk for _ in range(6)}

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
    expect(page.get_by_role("heading", name="Explore")).to_be_attached()
    page.wait_for_load_state("load")  # the mosaic's stylesheet applied, on a busy machine too
    tiles = page.locator("#grid-main [data-tile]")
    expect(tiles).to_have_count(25)
    # Five blocks of four squares and a Reel two squares tall, its side changing each time.
    tall = page.locator("#grid-main .xtile--tall")
    expect(tall).to_have_count(5)
    square, reel = tiles.first.bounding_box(), tall.first.bounding_box()
    assert square is not None
    assert reel is not None
    assert reel["height"] == pytest.approx(2 * square["height"], abs=6)
    assert reel["width"] == pytest.approx(square["width"], abs=1)
    first, second = (tall.nth(n).bounding_box() for n in (0, 1))
    assert first is not None
    assert second is not None
    assert first["x"] > second["x"]
    expect(tall.first.get_by_title("Reel")).to_be_attached()
    # The next tiles load as the end of the grid scrolls into view: no click needed.
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Load more").scroll_into_view_if_needed()
    expect(tiles).to_have_count(len(posts) + len(reels))
    shown = tiles.evaluate_all("els => els.map(e => e.dataset.tile)")
    assert sorted(shown) == sorted(str(pk) for pk in posts | reels)  # strings: ids exceed 2^53
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow == 0
    browser_page.screenshot("explore")


@pytest.mark.parametrize("viewport", ["small-phone", "desktop"])
def test_a_short_explore_ends_with_a_note_and_an_unused_tag_has_an_empty_page(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    make_user("viewer")
    raw_post(make_user("author"), caption="#lonely")

    log_in(browser_page, "viewer")
    browser_page.goto("/explore/")
    expect(page.locator("#grid-main [data-tile]")).to_have_count(1)
    # The one tile's row is not left blank: the note fills the two other cells.
    note = page.get_by_text("You're all caught up")
    expect(note).to_be_visible()
    tile, end = page.locator("#grid-main [data-tile]").bounding_box(), note.bounding_box()
    assert tile is not None
    assert end is not None
    assert end["y"] >= tile["y"]
    assert end["y"] + end["height"] <= tile["y"] + tile["height"]
    browser_page.screenshot("explore-short")

    browser_page.goto("/explore/tags/nosuchtagever/")
    expect(page.get_by_role("heading", name="#nosuchtagever")).to_be_visible()
    expect(page.get_by_text("0 posts")).to_be_visible()
    expect(page.get_by_role("heading", name="No posts yet")).to_be_visible()
    browser_page.screenshot("tag-empty")
