"""The top bar's live search in a real browser: typing, keyboard choice, the results page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in

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
        lambda r: answers.append(f"{r.status} {r.url}") if "/api/v1/search" in r.url else None,
    )
    # Search is Explore's: its box is on top of the page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.locator("#topbar-search")).to_have_attribute("data-ready", "true")
    box = page.get_by_role("combobox", name="Search")
    box.fill("harb")
    option = page.get_by_role("option", name="@harbour_ana")
    try:
        expect(option).to_be_visible(timeout=15_000)  # a debounced fetch, on a busy machine
    except AssertionError as error:
        raise AssertionError(f"search answers: {answers}; value {box.input_value()!r}") from error
    expect(page.get_by_role("option")).to_have_count(1)  # the blocker is never listed
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
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="@harbour_ana")).to_be_visible()
    browser_page.screenshot("search-02-page")
