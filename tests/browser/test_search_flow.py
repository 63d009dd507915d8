"""Search in a real browser: the live box on Explore with the keyboard, and the results page
that follows the typing, with its pictures and tabs."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.posts.conftest import media_for, publish

__all__ = ["media_for", "publish"]  # fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_live_search_with_the_keyboard(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    make_user("rui", display_name="Rui Costa")
    make_user("harbour_ana", display_name="Ana Harbour")
    rui = User.objects.get(username="rui")
    graph.block_create(blocker=make_user("harbour_bea"), blocked=rui)

    log_in(browser_page, "rui")
    answers: list[str] = []
    page.on(
        "response",
        lambda r: (
            answers.append(f"{r.status} {r.url}") if "/api/glimpse/v1/search" in r.url else None
        ),
    )
    # Search is Explore's: its box is on top of the page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.locator("#topbar-search")).to_have_attribute("data-ready", "true")
    box = page.get_by_role("combobox", name="Search")
    box.fill("harb")
    option = page.get_by_role("option").filter(has_text="harbour_ana")
    try:
        expect(option).to_be_visible(timeout=15_000)  # a debounced fetch, on a busy machine
    except AssertionError as error:
        raise AssertionError(f"search answers: {answers}; value {box.input_value()!r}") from error
    expect(page.get_by_role("option")).to_have_count(1)  # the blocker is never listed
    expect(option).to_contain_text("Ana Harbour")
    expect(option.locator(".topsearch__pic")).to_have_count(1)  # its avatar (an initial)
    expect(box).to_have_attribute("aria-expanded", "true")
    browser_page.screenshot("search-01-live")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("harb")  # the first Escape only closes the list
    box.press("ArrowDown")  # an arrow opens it again, on the first result
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(browser_page.base_url + "/harbour_ana/")

    # Enter with nothing highlighted opens the full results page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.locator("#topbar-search")).to_have_attribute("data-ready", "true")
    box = page.get_by_role("combobox", name="Search")
    box.fill("harbour")
    box.press("Enter")
    expect(page).to_have_url(browser_page.base_url + "/search/?q=harbour")
    expect(page.locator('a.srow[href="/harbour_ana/"]')).to_be_visible()
    browser_page.screenshot("search-02-page")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_results_page_follows_the_typing(
    browser_page: BrowserPage, viewport: str, make_user: Any, publish: Any
) -> None:
    page = browser_page.page
    viewer = make_user("rui")
    lena = make_user("lena_sea", display_name="Lena Mar")
    graph.follow_create(follower=viewer, followee=lena)
    publish(lena, caption="Waves #seaside")
    hidden = make_user("sea_secret", is_private=True)
    publish(hidden, caption="Hidden #seasecret")

    log_in(browser_page, "rui")
    browser_page.goto("/search/")
    box = page.get_by_role("searchbox", name="Search accounts, hashtags, places and posts")
    expect(box).to_be_focused()
    page.wait_for_load_state("load")  # htmx is there: the button gives way to live results
    expect(page.get_by_role("button", name="Search")).to_be_hidden()
    box.press_sequentially("sea", delay=40)
    account = page.locator('a.srow[href="/lena_sea/"]')
    expect(account).to_be_visible(timeout=15_000)
    expect(account).to_contain_text("Lena Mar · Following · 1 follower")
    expect(page).to_have_url(browser_page.base_url + "/search/?q=sea&type=top")
    tag = page.locator('a.srow[href="/explore/tags/seaside/"]')
    expect(tag).to_contain_text("1 post")
    # A private account is found, its posts and their tags are not.
    expect(page.locator('a.srow[href="/sea_secret/"]')).to_be_visible()
    expect(page.locator('a[href="/explore/tags/seasecret/"]')).to_have_count(0)
    browser_page.screenshot("search-03-live-page")
    # Rows are comfortable to tap.
    box_height = account.bounding_box()
    assert box_height is not None
    assert box_height["height"] >= 44

    page.get_by_role("link", name="Tags", exact=True).click()
    expect(page.get_by_role("link", name="Tags", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("a.srow")).to_have_count(1)
    expect(tag).to_be_visible()
    page.wait_for_load_state("load")  # a new page: its htmx must be there to follow the typing
    box = page.get_by_role("searchbox", name="Search accounts, hashtags, places and posts")
    box.fill("nothing-like-this")
    expect(page.get_by_text("No results for “nothing-like-this”")).to_be_visible(timeout=15_000)
    expect(page).to_have_url(browser_page.base_url + "/search/?q=nothing-like-this&type=hashtags")
